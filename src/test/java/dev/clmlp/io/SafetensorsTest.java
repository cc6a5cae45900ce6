package dev.clmlp.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir Path dir;

    @Test
    void roundTripKeepsOrderShapesValuesAndMetadata() throws IOException {
        Map<String, Safetensors.Entry> t = new LinkedHashMap<>();
        t.put("b", new Safetensors.Entry(new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}));
        t.put("a", new Safetensors.Entry(new long[] {1}, new float[] {42}));
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, t, Map.of("k", "v"));
        Map<String, Safetensors.Entry> back = Safetensors.read(f);
        assertEquals(java.util.List.of("b", "a"), new java.util.ArrayList<>(back.keySet()));
        assertArrayEquals(t.get("b").data(), back.get("b").data());
        assertArrayEquals(new long[] {2, 3}, back.get("b").shape());
        assertEquals(Map.of("k", "v"), Safetensors.metadata(f));
    }

    static Path file(Path dir, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("x.safetensors");
        Files.write(f, b.array());
        return f;
    }

    static void assertBad(Path f, String... parts) {
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
    }

    @Test
    void malformedFilesNameTheProblem() throws IOException {
        Path f = dir.resolve("short");
        Files.write(f, new byte[3]);
        assertBad(f, "shorter than the 8-byte header length");
        Files.write(f, new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertBad(f, "header length 255");
        assertBad(file(dir, "{not json", 0), "not valid JSON");
        assertBad(file(dir, "{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2), "'w'", "F16", "F32");
        assertBad(file(dir, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "'w'", "outside the 4 data bytes");
        assertBad(file(dir, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "'w'", "needs 12 bytes");
        assertBad(file(dir, "{\"w\":{\"dtype\":\"F32\"}}", 0), "'w'", "malformed");
    }

    @Test
    void truncatingAValidFileAnywhereFailsCleanly() throws IOException {
        Map<String, Safetensors.Entry> t = Map.of("w", new Safetensors.Entry(new long[] {4}, new float[] {1, 2, 3, 4}));
        Path f = dir.resolve("ok.safetensors");
        Safetensors.write(f, t, Map.of());
        byte[] good = Files.readAllBytes(f);
        for (int len = 0; len < good.length; len++) {
            Files.write(f, Arrays.copyOf(good, len));
            assertThrows(IOException.class, () -> Safetensors.read(f), "truncated to " + len + " bytes");
        }
    }
}
