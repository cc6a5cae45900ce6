package dev.clmlp.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.clmlp.data.Generated;
import dev.clmlp.data.Npy;
import dev.clmlp.data.Idx;
import dev.clmlp.nn.Checkpoint;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.Dropout;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Sequential;
import dev.clmlp.nn.TrainingState;
import dev.clmlp.optim.Adam;
import dev.clmlp.tensor.TestBackends;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bounded fuzzing of every reader of user files, on mutated valid files (bit flips, interesting
 * values over header fields, truncation, insertion, and for JSON, fields removed or retyped):
 * each either reads the file or throws its documented exception (DataFileException for binary
 * files, IllegalArgumentException for a config's JSON), within a second, allocating no more than
 * a small multiple of what the file could hold.
 */
class ReaderFuzzTest {
    static Path dir;
    static byte[] idxRaw, idxGz, safetensors, checkpoint, npy, npz, csv;
    static String config;

    @BeforeContainer
    static void validFiles() throws IOException {
        dir = Files.createTempDirectory("clmlp-fuzz");
        idxRaw = Generated.idx(Generated.digits(3, 6, 1), true);
        idxGz = Generated.gzip(idxRaw);
        byte[] x = new byte[3 * 2 * 4];
        ByteBuffer.wrap(x).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[] {1, 2, 3, 4, 5, 6});
        npy = Generated.npy("<f4", "(3, 2)", x);
        npz = Generated.npz(Map.of("x", npy, "y", Generated.npy("<i8", "(3,)", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
                2, 0, 0, 0, 0, 0, 0, 0})), true);
        csv = "a,b,label\n1.5,2,0\n-3e2,.25,1\n\"4\",5,2\n".getBytes(StandardCharsets.UTF_8);
        Path st = dir.resolve("valid.safetensors");
        Safetensors.write(st, Map.of("a.kernel", new Safetensors.Entry(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                "a.bias", new Safetensors.Entry(new long[] {3}, new float[] {7, 8, 9})), Map.of("format", "clmlp"));
        safetensors = Files.readAllBytes(st);
        try (Sequential m = new Sequential(36, new Dense(5, "relu"), new Dropout(0.1f), new Dense(10, "softmax"))) {
            m.compile(TestBackends.cpu(), new Adam(0.01f), 3);
            config = m.toJson();
            int n = (int) m.parameterCount();
            TrainingState s = new TrainingState(2, 1, 7, 7, new float[n], List.of(new float[n], new float[n]), new float[] {3.5f},
                    new float[] {4}, List.of(new History.Epoch(1, 2.3, 0.1, 2.2, 0.15, 0.01)));
            checkpoint = Files.readAllBytes(Checkpoint.write(dir.resolve("ckpt"), config, "{}", s));
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static final int[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 1 << 20, 1 << 30, 0x00000803, 8};

    /** Up to four mutations of a copy of valid. */
    static byte[] mutate(byte[] valid, long seed) {
        Random r = new Random(seed);
        byte[] b = valid.clone();
        for (int m = 0, count = 1 + r.nextInt(4); m < count && b.length > 0; m++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> { // a 4- or 8-byte header field, in either byte order
                    if (at + 8 <= b.length) {
                        ByteBuffer w = ByteBuffer.wrap(b).order(r.nextBoolean() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
                        if (r.nextBoolean()) w.putInt(at, INTERESTING[r.nextInt(INTERESTING.length)]);
                        else w.putLong(at, r.nextBoolean() ? Long.MAX_VALUE : (long) INTERESTING[r.nextInt(INTERESTING.length)]);
                    }
                }
                case 3 -> b = Arrays.copyOf(b, at); // truncated
                default -> { // inserted bytes
                    byte[] extra = new byte[1 + r.nextInt(16)];
                    r.nextBytes(extra);
                    byte[] out = new byte[b.length + extra.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(extra, 0, out, at, extra.length);
                    System.arraycopy(b, at, out, at + extra.length, b.length - at);
                    b = out;
                }
            }
        }
        return b;
    }

    interface Reader { void read(Path file) throws Exception; }

    /** Reads the bytes through reader: success or an allowed exception, in time and allocation bounds. */
    static void check(String what, byte[] bytes, Class<? extends Exception> allowed, Reader reader) throws IOException {
        Path f = Files.write(dir.resolve("mutated"), bytes);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[1];
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            try {
                reader.read(f);
            } catch (Exception e) {
                if (!allowed.isInstance(e)) fail(what + ": " + e + " escaped, expected " + allowed.getSimpleName(), e);
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": an exception without a message");
            }
            allocated[0] = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        });
        assertTrue(allocated[0] < (8L << 20) + 64L * bytes.length, what + ": allocated " + allocated[0] + " bytes for a file of " + bytes.length);
    }

    @Property(tries = 1000)
    void idxFiles(@ForAll long seed, @ForAll boolean gzipped) throws IOException {
        check("idx", mutate(gzipped ? idxGz : idxRaw, seed), DataFileException.class, f -> Idx.read(f, 3));
    }

    /** Bytes or, one time in three, the JSON header of a safetensors file mutated (re-encoded with its new length). */
    static byte[] mutateSafetensors(byte[] valid, long seed) {
        Random r = new Random(seed);
        if (r.nextInt(3) != 0) return mutate(valid, seed);
        ByteBuffer in = ByteBuffer.wrap(valid).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int len = (int) in.getLong(0);
        byte[] header = retype(new String(valid, 8, len, StandardCharsets.UTF_8), r).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + valid.length - 8 - len).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(valid, 8 + len, valid.length - 8 - len);
        return out.array();
    }

    @Property(tries = 1000)
    void safetensorsFiles(@ForAll long seed) throws IOException {
        check("safetensors", mutateSafetensors(safetensors, seed), DataFileException.class, f -> {
            Safetensors.read(f);
            Safetensors.metadata(f);
        });
    }

    @Property(tries = 600)
    void numpyFiles(@ForAll long seed, @ForAll boolean archive) throws IOException {
        check(archive ? "npz" : "npy", mutate(archive ? npz : npy, seed), DataFileException.class, f -> {
            if (archive) Npy.npz(f, 0);
            else Npy.dataset(Npy.read(f), null, 0, "x");
        });
    }

    @Property(tries = 600)
    void csvFiles(@ForAll long seed) throws IOException {
        check("csv", mutate(csv, seed), DataFileException.class, f -> {
            dev.clmlp.table.Table t = dev.clmlp.table.Table.read(f);
            dev.clmlp.table.Schema s = dev.clmlp.table.Schema.fit(t, t.labelColumn(null));
            s.encode(t, true);
            s.encode(t, false);
        });
    }

    @Property(tries = 600)
    void checkpoints(@ForAll long seed) throws IOException {
        check("checkpoint", mutateSafetensors(checkpoint, seed), DataFileException.class, Checkpoint::read);
    }

    @Property(tries = 1000)
    void modelConfigs(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        String json = r.nextInt(4) == 0 ? new String(mutate(config.getBytes(StandardCharsets.UTF_8), seed), StandardCharsets.UTF_8)
                : retype(config, r);
        check("config", json.getBytes(StandardCharsets.UTF_8), IllegalArgumentException.class, f -> Sequential.fromJson(Files.readString(f)));
    }

    /** The config with one or two values anywhere in its tree removed or replaced by a value of another type. */
    static String retype(String json, Random r) {
        JsonElement root = JsonParser.parseString(json);
        for (int k = 0, count = 1 + r.nextInt(2); k < count; k++) {
            List<Object[]> slots = new ArrayList<>(); // {parent, key or index}
            collect(root, slots);
            Object[] slot = slots.get(r.nextInt(slots.size()));
            JsonElement[] values = {JsonNull.INSTANCE, new JsonPrimitive("x"), new JsonPrimitive(-1), new JsonPrimitive(0),
                new JsonPrimitive(1e300), new JsonPrimitive(2.5), new JsonPrimitive(Long.MAX_VALUE), new JsonPrimitive(true),
                new JsonArray(), new JsonObject()};
            JsonElement v = values[r.nextInt(values.length)];
            if (slot[0] instanceof JsonObject o) {
                if (r.nextInt(3) == 0) o.remove((String) slot[1]);
                else o.add((String) slot[1], v);
            } else if (slot[0] instanceof JsonArray a) {
                a.set((Integer) slot[1], v);
            }
        }
        return root.toString();
    }

    private static void collect(JsonElement e, List<Object[]> slots) {
        if (e instanceof JsonObject o) {
            for (String k : o.keySet()) {
                slots.add(new Object[] {o, k});
                collect(o.get(k), slots);
            }
        } else if (e instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new Object[] {a, i});
                collect(a.get(i), slots);
            }
        }
    }
}
