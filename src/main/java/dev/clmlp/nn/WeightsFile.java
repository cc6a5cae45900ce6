package dev.clmlp.nn;

import dev.clmlp.io.AtomicFiles;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.Safetensors;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model's weights on disk: safetensors with a tensor NAME.kernel [in, out] and NAME.bias [out]
 * per Dense layer (Keras' names), and a model directory (config.json + model.safetensors).
 * Reading checks names, shapes and finiteness, naming the file and the tensor.
 */
final class WeightsFile {
    private WeightsFile() {}

    static void save(Sequential m, Path dir) {
        AtomicFiles.write(dir.resolve(Sequential.CONFIG_FILE), m.toJson().getBytes(StandardCharsets.UTF_8));
        write(m, dir.resolve(Sequential.WEIGHTS_FILE));
    }

    static Sequential load(Path dir, Backend backend) throws IOException {
        Path config = dir.resolve(Sequential.CONFIG_FILE), weights = dir.resolve(Sequential.WEIGHTS_FILE);
        for (Path p : new Path[] {config, weights})
            if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, "a model directory holds config.json and model.safetensors");
        Sequential.Config c;
        try {
            c = ModelConfig.fromJson(Files.readString(config));
        } catch (IllegalArgumentException e) {
            throw new DataFileException(config, e.getMessage());
        }
        Sequential m = c.model();
        try {
            m.compile(backend, c.optimizer() != null ? c.optimizer() : new Sgd(0.01f), c.seed() != null ? c.seed() : 0);
            m.loadWeights(weights);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    static void write(Sequential m, Path file) {
        Plan plan = m.plan("saveWeights");
        Map<String, Safetensors.Entry> out = new LinkedHashMap<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            Plan.Step st = plan.step(i);
            if (!st.dense()) continue;
            out.put(st.name() + ".kernel", new Safetensors.Entry(new long[] {st.in(), st.out()}, m.weights(i)));
            out.put(st.name() + ".bias", new Safetensors.Entry(new long[] {st.out()}, m.bias(i)));
        }
        Safetensors.write(file, out, new TreeMap<>(Map.of("format", "clmlp", "config", m.toJson()))); // sorted: the same bytes in every run
    }

    static void read(Sequential m, Path file) throws IOException {
        Plan plan = m.plan("loadWeights");
        Map<String, Safetensors.Entry> in = Safetensors.read(file);
        Set<String> expected = new LinkedHashSet<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            Plan.Step st = plan.step(i);
            if (!st.dense()) continue;
            load(file, in, st.name() + ".kernel", new long[] {st.in(), st.out()}, m.params.weights(i));
            load(file, in, st.name() + ".bias", new long[] {st.out()}, m.params.bias(i));
            expected.add(st.name() + ".kernel");
            expected.add(st.name() + ".bias");
        }
        Set<String> extra = new TreeSet<>(in.keySet());
        extra.removeAll(expected);
        if (!extra.isEmpty()) throw new DataFileException(file, "tensors " + extra + " do not belong to this model (expected " + expected + ")");
    }

    private static void load(Path file, Map<String, Safetensors.Entry> in, String name, long[] shape, Tensor dst) throws IOException {
        Safetensors.Entry e = in.get(name);
        if (e == null) throw new DataFileException(file, "tensor '" + name + "' is missing (found " + in.keySet() + ")");
        if (!Arrays.equals(e.shape(), shape))
            throw new DataFileException(file, "tensor '" + name + "' has shape " + Arrays.toString(e.shape()) + ", expected " + Arrays.toString(shape));
        float[] v = e.data();
        for (int i = 0; i < v.length; i++)
            if (!Float.isFinite(v[i]))
                throw new DataFileException(file, "tensor '" + name + "' holds " + v[i] + " at element " + i + ", expected finite weights");
        dst.upload(v);
    }
}
