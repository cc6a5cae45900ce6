package dev.clmlp.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {dtype, shape, data_offsets}, then the raw little-endian data.
 * clmlp writes and reads float32 ("F32") tensors; PyTorch, JAX and numpy users open the files
 * with the safetensors package.
 */
public final class Safetensors {
    /**
     * A float32 tensor.
     *
     * @param shape its dimensions
     * @param data  its values, row-major; as many as the dimensions' product
     */
    public record Entry(long[] shape, float[] data) {
        /**
         * Checks that data holds as many values as shape says.
         *
         * @param shape its dimensions
         * @param data  its values
         */
        public Entry {
            long n = 1;
            for (long d : shape) n *= d;
            if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    private Safetensors() {}

    /**
     * Writes the entries (in order) and string metadata, atomically.
     *
     * @param file     the file
     * @param tensors  the tensors by name, written in the map's order
     * @param metadata string metadata (__metadata__), written in the map's order
     */
    public static void write(Path file, Map<String, Entry> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) shape.add(d);
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * e.getValue().data().length;
            offsets.add(offset);
            t.add("data_offsets", offsets);
            header.add(e.getKey(), t);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // align the data to 8 bytes, padding with spaces
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) buf.put((byte) ' ');
        for (Entry e : tensors.values()) for (float v : e.data()) buf.putFloat(v);
        AtomicFiles.write(file, buf.array());
    }

    /**
     * Reads every tensor, never allocating more than the file holds.
     *
     * @param file a safetensors file of F32 tensors
     * @return the tensors by name, in the header's order
     * @throws IOException when it cannot be read; DataFileException naming the file and the field when malformed
     */
    public static Map<String, Entry> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return tensors(file, bytes, buf, header(file, bytes, buf));
    }

    /**
     * A file's tensors and its string metadata.
     *
     * @param tensors  the tensors by name, in the header's order
     * @param metadata the string metadata, or an empty map
     */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {}

    /**
     * {@link #read} and {@link #metadata} from one reading of the file.
     *
     * @param file a safetensors file of F32 tensors
     * @return its tensors and metadata
     * @throws IOException when it cannot be read; DataFileException naming the file and the field when malformed
     */
    public static Contents load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        JsonObject header = header(file, bytes, buf);
        return new Contents(tensors(file, bytes, buf, header), metadata(file, header));
    }

    /** The tensors the header describes, each checked to lie within the data. */
    private static Map<String, Entry> tensors(Path file, byte[] bytes, ByteBuffer buf, JsonObject header) throws DataFileException {
        long dataStart = 8 + buf.getLong(0), dataLen = bytes.length - dataStart;
        Map<String, Entry> out = new LinkedHashMap<>();
        for (var e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            String name = e.getKey();
            try {
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                if (!dtype.equals("F32")) throw bad(file, "tensor '" + name + "': dtype " + dtype + " is not supported, expected F32");
                JsonArray s = t.getAsJsonArray("shape"), o = t.getAsJsonArray("data_offsets");
                long[] shape = new long[s.size()];
                long n = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = s.get(i).getAsLong();
                    if (shape[i] < 0) throw bad(file, "tensor '" + name + "': negative dimension " + shape[i]);
                    try {
                        n = Math.multiplyExact(n, shape[i]); // a product past 2^63 would wrap around to a small size
                    } catch (ArithmeticException overflow) {
                        throw bad(file, "tensor '" + name + "': shape " + s + " has more than 2^63 elements");
                    }
                }
                long begin = o.get(0).getAsLong(), end = o.get(1).getAsLong();
                if (begin < 0 || end < begin || end > dataLen)
                    throw bad(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end + "] outside the " + dataLen + " data bytes");
                if (n > (end - begin) / 4 + 1)
                    throw bad(file, "tensor '" + name + "': shape " + Arrays.toString(shape) + " has " + n + " elements, data_offsets give " + (end - begin) + " bytes");
                if (end - begin != 4 * n)
                    throw bad(file, "tensor '" + name + "': shape " + Arrays.toString(shape) + " needs " + 4 * n + " bytes, data_offsets give " + (end - begin));
                float[] data = new float[(int) n];
                buf.position((int) (dataStart + begin));
                buf.asFloatBuffer().get(data);
                out.put(name, new Entry(shape, data));
            } catch (IllegalStateException | NullPointerException | UnsupportedOperationException | IndexOutOfBoundsException
                     | ClassCastException | NumberFormatException ex) {
                throw bad(file, "tensor '" + name + "': malformed entry " + abbreviate(e.getValue().toString())
                        + ", expected {\"dtype\": \"F32\", \"shape\": [...], \"data_offsets\": [begin, end]}");
            }
        }
        return out;
    }

    /** The JSON header of a file's bytes, checked to fit in the file. */
    private static JsonObject header(Path file, byte[] bytes, ByteBuffer buf) throws DataFileException {
        if (bytes.length < 8) throw bad(file, "file is " + bytes.length + " bytes, shorter than the 8-byte header length");
        long headerLen = buf.getLong(0);
        if (headerLen < 2 || headerLen > bytes.length - 8)
            throw bad(file, "header length " + headerLen + " does not fit in a file of " + bytes.length + " bytes");
        try {
            JsonElement parsed = JsonParser.parseString(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) throw bad(file, "header is not a JSON object");
            return parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw bad(file, "header is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * @param file a safetensors file
     * @return the string metadata of its header, or an empty map
     * @throws IOException when it cannot be read; DataFileException when the header is malformed
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return metadata(file, header(file, bytes, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)));
    }

    private static Map<String, String> metadata(Path file, JsonObject header) throws DataFileException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!header.has("__metadata__")) return out;
        try {
            header.getAsJsonObject("__metadata__").entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
        } catch (IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw bad(file, "__metadata__ must map names to strings, found " + abbreviate(header.get("__metadata__").toString()));
        }
        return out;
    }

    private static String abbreviate(String s) { return s.length() <= 200 ? s : s.substring(0, 200) + "..."; }

    private static DataFileException bad(Path file, String what) { return new DataFileException(file, what); }
}
