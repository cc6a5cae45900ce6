package dev.clmlp.nn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;
import dev.clmlp.io.Safetensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A training state on disk: a safetensors file named for its global step
 * (checkpoint-000000001234.safetensors) holding the parameters, the optimizer state and the
 * current epoch's statistics as tensors, and in its metadata the model config, the caller's run
 * options, the counters and history, and a SHA-256 over all of it. A new checkpoint is a new
 * file written atomically; only then are older ones beyond the newest two deleted, so a crash at
 * any moment leaves at least one good checkpoint, and a corrupt newest one falls back to the one
 * before.
 */
public final class Checkpoint {
    static final String PREFIX = "checkpoint-", SUFFIX = ".safetensors", FORMAT = "clmlp.checkpoint";
    static final int KEEP = 2;

    /**
     * A checkpoint read back.
     *
     * @param file        its file
     * @param modelConfig the model config it was written with (Sequential.toJson)
     * @param run         the caller's run options it was written with
     * @param state       the training state
     */
    public record Loaded(Path file, String modelConfig, String run, TrainingState state) {}

    private Checkpoint() {}

    /**
     * Writes the state into dir as a new checkpoint, then deletes all but the newest two.
     *
     * @param dir         the run directory
     * @param modelConfig the model's config (Sequential.toJson)
     * @param run         the caller's run options, any text (the command line stores JSON)
     * @param s           the state, as fit hands it to TrainingListener.checkpoint
     * @return the new file
     * @throws IOException when it cannot be written
     */
    public static Path write(Path dir, String modelConfig, String run, TrainingState s) throws IOException {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        tensors.put("params", vector(s.params()));
        for (int i = 0; i < s.optimizerState().size(); i++) tensors.put("optimizer." + i, vector(s.optimizerState().get(i)));
        tensors.put("epoch.loss_sums", vector(s.lossSums()));
        float[] correct = s.metricSums(); // hit counts of at most a batch (exact in float32), or |error| sums
        tensors.put("epoch.correct", vector(correct));
        Map<String, String> meta = new TreeMap<>();
        meta.put("format", FORMAT);
        meta.put("version", "1");
        meta.put("model", modelConfig);
        meta.put("run", run);
        meta.put("state", stateJson(s).toString());
        meta.put("sha256", checksum(meta, tensors));
        Path file = dir.resolve(String.format("%s%012d%s", PREFIX, s.globalStep(), SUFFIX));
        Safetensors.write(file, tensors, meta);
        List<Path> all = list(dir);
        for (int i = KEEP; i < all.size(); i++) Files.deleteIfExists(all.get(i));
        return file;
    }

    /**
     * Reads and verifies a checkpoint.
     *
     * @param file a checkpoint file
     * @return its contents
     * @throws IOException when it cannot be read; DataFileException naming the file and what is wrong when damaged
     */
    public static Loaded read(Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.load(file);
        Map<String, Safetensors.Entry> tensors = contents.tensors();
        Map<String, String> meta = new TreeMap<>(contents.metadata());
        if (!FORMAT.equals(meta.get("format")))
            throw new DataFileException(file, "metadata 'format' is " + meta.get("format") + ", expected " + FORMAT);
        String sum = meta.remove("sha256");
        if (sum == null) throw new DataFileException(file, "metadata 'sha256' is missing");
        String actual = checksum(meta, tensors);
        if (!actual.equals(sum)) throw new DataFileException(file, "checksum mismatch: the contents hash to " + actual + ", the file says " + sum);
        try {
            JsonFields st = JsonFields.parse(meta.get("state"));
            List<float[]> opt = new ArrayList<>();
            while (tensors.containsKey("optimizer." + opt.size())) opt.add(tensors.get("optimizer." + opt.size()).data());
            float[] correct = tensor(tensors, "epoch.correct");
            List<History.Epoch> history = new ArrayList<>();
            for (JsonElement e : st.array("history")) history.add(epoch(e));
            TrainingState s = new TrainingState(st.integer("epoch", 1, Integer.MAX_VALUE), st.integer("step", 0, Integer.MAX_VALUE),
                    st.integer("global_step"), st.integer("optimizer_steps"), tensor(tensors, "params"), opt,
                    tensor(tensors, "epoch.loss_sums"), correct, history);
            return new Loaded(file, meta.get("model"), meta.get("run"), s);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new DataFileException(file, "state: " + e.getMessage());
        }
    }

    /**
     * The newest checkpoint of dir that reads back intact; each damaged newer one is reported to
     * warn (with why) and skipped.
     *
     * @param dir  the run directory
     * @param warn receives a line per damaged checkpoint
     * @return the newest intact checkpoint, or empty when dir holds none
     * @throws IOException when the directory cannot be listed
     */
    public static Optional<Loaded> latest(Path dir, Consumer<String> warn) throws IOException {
        for (Path p : list(dir)) {
            try {
                return Optional.of(read(p));
            } catch (IOException e) {
                warn.accept("skipping damaged checkpoint " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * @param dir a run directory
     * @return its checkpoint files, newest (highest step) first; empty if dir does not exist
     * @throws IOException when it cannot be listed
     */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
            }).sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString())).toList();
        }
    }

    private static Safetensors.Entry vector(float[] v) { return new Safetensors.Entry(new long[] {v.length}, v); }

    private static float[] tensor(Map<String, Safetensors.Entry> tensors, String name) {
        Safetensors.Entry e = tensors.get(name);
        if (e == null) throw new IllegalArgumentException("tensor '" + name + "' is missing");
        return e.data();
    }

    private static JsonObject stateJson(TrainingState s) {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", s.epoch());
        o.addProperty("step", s.step());
        o.addProperty("global_step", s.globalStep());
        o.addProperty("optimizer_steps", s.optimizerSteps());
        JsonArray h = new JsonArray();
        for (History.Epoch e : s.history()) {
            JsonArray row = new JsonArray();
            row.add(e.epoch());
            for (double v : e.values())
                row.add(Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE); // no validation: NaN, written as null
            h.add(row);
        }
        o.add("history", h);
        return o;
    }

    private static History.Epoch epoch(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        if (a.size() != 6 && a.size() != 8) throw new IllegalArgumentException("history row " + a + ": expected 6 values (a classifier's) or 8 (a regression's)");
        double[] v = new double[a.size() - 1];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i + 1).isJsonNull() ? Double.NaN : a.get(i + 1).getAsDouble();
        return History.Epoch.of(a.get(0).getAsInt(), v);
    }

    /** SHA-256 over the metadata (sorted, without the checksum) and every tensor's name, shape and bits. */
    private static String checksum(Map<String, String> meta, Map<String, Safetensors.Entry> tensors) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : new TreeMap<>(meta).entrySet())
                if (!e.getKey().equals("sha256")) md.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            for (var e : new TreeMap<>(tensors).entrySet()) {
                md.update((e.getKey() + java.util.Arrays.toString(e.getValue().shape()) + "\n").getBytes(StandardCharsets.UTF_8));
                float[] d = e.getValue().data();
                byte[] bits = new byte[4 * d.length];
                java.nio.ByteBuffer.wrap(bits).asFloatBuffer().put(d);
                md.update(bits);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
