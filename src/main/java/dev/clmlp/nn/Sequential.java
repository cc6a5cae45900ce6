package dev.clmlp.nn;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.clmlp.data.Dataset;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;
import dev.clmlp.io.Safetensors;
import dev.clmlp.optim.Optimizer;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.Philox;
import dev.clmlp.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A stack of layers trained with softmax cross-entropy, Keras-style:
 * <pre>
 * Sequential model = new Sequential(784, new Dense(128, "relu"), new Dense(10, "softmax"));
 * model.compile(backend, new Adam(0.001f), seed);
 * History h = model.fit(train, test, new FitOptions(10, 32, seed), null);
 * </pre>
 * The last layer must be Dense with softmax. Weights live on the backend; close the model
 * (or the backend) to free them.
 */
public final class Sequential implements AutoCloseable {
    private int inputSize; // 0 until given or inferred from the first data
    private final List<Layer> layers;
    private Backend backend;
    private Optimizer optimizer;
    private long seed;
    private Parameters params, grads;
    private Network train, eval;
    private long step; // global training step: the dropout stream counter
    private Plan plan; // computed once the input size is known

    public Sequential(int inputSize, Layer... layers) { this(inputSize, List.of(layers)); }

    /** A model whose input size is inferred from the first data it is fitted on or applied to. */
    public Sequential(Layer... layers) { this(0, List.of(layers)); }

    public Sequential(int inputSize, List<Layer> layers) {
        if (inputSize < 0) throw new IllegalArgumentException("Sequential: input size must be positive, got " + inputSize);
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Dense last) || !last.isSoftmax())
            throw new IllegalArgumentException("Sequential: the last layer must be Dense with softmax activation (the loss is softmax cross-entropy), got "
                    + (layers.isEmpty() ? "no layers" : layers.get(layers.size() - 1)));
        for (int i = 0; i < layers.size() - 1; i++)
            if (layers.get(i) instanceof Dense d && d.isSoftmax())
                throw new IllegalArgumentException("Sequential: softmax is only supported on the last layer, found it on layer " + i);
        this.inputSize = inputSize;
        this.layers = List.copyOf(layers);
    }

    /** The input width, or 0 while it is not known yet. */
    public int inputSize() { return inputSize; }

    public List<Layer> layers() { return layers; }

    public int classes() { return layers.get(layers.size() - 1).outputSize(0); }

    public Backend backend() { return backend; }

    public Optimizer optimizer() { return optimizer; }

    public long seed() { return seed; }

    public long parameterCount() { return plan("parameterCount").parameterCount(); }

    /** The layout of the model (widths, names, parameter offsets), once the input size is known. */
    private Plan plan(String op) {
        requireInputSize(op);
        if (plan == null || plan.inputSize() != inputSize) plan = Plan.of(inputSize, layers);
        return plan;
    }

    /**
     * Places the model on a backend with fresh initial weights drawn from the seed (once the
     * input size is known: at once, or at the first fit/evaluate/predict).
     */
    public Sequential compile(Backend backend, Optimizer optimizer, long seed) {
        close();
        this.backend = backend;
        this.optimizer = optimizer;
        this.seed = seed;
        this.step = 0;
        if (inputSize > 0) build();
        return this;
    }

    private void build() {
        Plan p = plan("compile");
        params = Parameters.allocate(backend, p);
        grads = Parameters.allocate(backend, p);
        for (int i = 0; i < layers.size(); i++)
            if (layers.get(i) instanceof Dense d) params.weights(i).upload(d.initialWeights(p.step(i).in(), seed, i));
        optimizer.attach(backend, (int) params.flat.size());
    }

    private void requireCompiled(String op) {
        requireBackend(op);
        requireInputSize(op);
    }

    private void requireBackend(String op) {
        if (backend == null) throw new IllegalStateException(op + ": compile the model on a backend first");
    }

    private void requireInputSize(String op) {
        if (inputSize == 0)
            throw new IllegalStateException(op + ": the model has not been built yet: give the input size to the constructor, or fit it on data first");
    }

    /** The cached network if it is for this batch size, else a new one (closing the old). */
    private Network sized(Network cached, int batch) {
        if (cached != null && cached.batch == batch) return cached;
        if (cached != null) cached.close();
        return new Network(backend, plan("network"), batch);
    }

    private void checkData(String op, Dataset d) {
        requireBackend(op);
        if (inputSize == 0) { // infer the input size from the first data, as Keras does
            inputSize = d.features();
            build();
        }
        if (d.features() != inputSize)
            throw new IllegalArgumentException(op + ": " + d.name() + " has " + d.features() + " features, the model takes " + inputSize);
        if (d.classes() > classes())
            throw new IllegalArgumentException(op + ": " + d.name() + " has " + d.classes() + " classes, the model outputs " + classes());
    }

    /** A dataset resident on the device for the duration of a fit or evaluation. */
    private record Resident(Tensor x, Tensor y, Tensor order) implements AutoCloseable {
        static Resident of(Backend b, Dataset d) {
            int[] identity = new int[d.rows()];
            for (int i = 0; i < identity.length; i++) identity[i] = i;
            return new Resident(d.uploadFeatures(b), d.uploadLabels(b), b.upload(identity, 1, identity.length));
        }

        @Override public void close() { x.close(); y.close(); order.close(); }
    }

    /**
     * Trains for opts.epochs() epochs over train, reshuffled each epoch from the seed; the last
     * partial batch is used. The device waits only once per epoch (plus every syncEvery steps,
     * and at each checkpoint).
     */
    public History fit(Dataset train, Dataset validation, FitOptions opts, TrainingListener listener) {
        return fit(train, validation, opts, listener, null);
    }

    /**
     * {@link #fit}, continuing from a checkpoint's state when {@code from} is not null (same
     * data, batch size and seed give the weights an uninterrupted run would have, bit for bit).
     * The listener receives a {@link TrainingState} at the end of every epoch and every
     * opts.checkpointEvery() steps, and training stops early, after such a state, at the first
     * step boundary where {@link TrainingListener#stopRequested()} answers true. A loss, weight
     * or gradient that is NaN or infinite throws {@link TrainingDivergedException} at the next
     * such point, before the listener sees the bad state.
     */
    public History fit(Dataset train, Dataset validation, FitOptions opts, TrainingListener listener, TrainingState from) {
        checkData("fit", train);
        if (validation != null) checkData("fit", validation);
        TrainingListener l = listener != null ? listener : new TrainingListener() {};
        int n = train.rows(), steps = (n + opts.batchSize() - 1) / opts.batchSize();
        Network net = this.train = sized(this.train, Math.min(opts.batchSize(), n));
        History history = new History();
        int firstEpoch = 1, firstStep = 0;
        if (from != null) {
            restore(from, steps);
            from.history().forEach(history::add);
            firstEpoch = from.epoch();
            firstStep = from.step();
        }
        try (Resident data = Resident.of(backend, train); Resident val = validation == null ? null : Resident.of(backend, validation);
             Tensor lossSums = backend.zeros(1, steps); Tensor correct = backend.allocate(DType.INT32, 1, steps);
             Tensor labels = backend.allocate(DType.INT32, n, 1)) {
            for (int epoch = firstEpoch; epoch <= opts.epochs(); epoch++) {
                long t0 = System.nanoTime();
                int s0 = epoch == firstEpoch ? firstStep : 0, checked = s0;
                l.epochStarted(epoch, steps);
                data.order().upload(Philox.permutation(n, opts.shuffleSeed(), epoch));
                backend.gatherRows(data.y(), data.order(), 0, labels); // the epoch's labels in shuffled order
                if (s0 > 0) { // the resumed epoch's statistics so far
                    lossSums.view(0, 1, s0).upload(from.lossSums());
                    correct.view(0, 1, s0).upload(from.correct());
                }
                for (int s = s0; s < steps; s++) {
                    int start = s * opts.batchSize(), rows = Math.min(opts.batchSize(), n - start);
                    trainStep(net, data, labels.rows(start, rows), start, rows, lossSums, correct, s);
                    if (opts.syncEvery() > 0 && (s + 1) % opts.syncEvery() == 0) backend.finish();
                    l.stepDone(epoch, s);
                    boolean stop = l.stopRequested();
                    if (s + 1 < steps && (stop || opts.checkpointEvery() > 0 && (s + 1) % opts.checkpointEvery() == 0)) {
                        l.checkpoint(checkedState(epoch, s + 1, checked, steps, lossSums, correct, history));
                        checked = s + 1;
                        if (stop) return history;
                    }
                }
                float[] stepLoss = lossSums.download();
                requireFinite(stepLoss, epoch, checked, steps, steps);
                double loss = sum(stepLoss) / n, acc = sum(correct.downloadInts()) / (double) n;
                double[] v = val == null ? new double[] {Double.NaN, Double.NaN} : evaluate(val, validation.rows());
                if (val != null && !Double.isFinite(v[0]))
                    throw new TrainingDivergedException(epoch, checked + 1, steps, steps, "the validation loss is " + v[0]
                            + " (weights finite, but so large that the outputs overflow)");
                History.Epoch e = new History.Epoch(epoch, loss, acc, v[0], v[1], (System.nanoTime() - t0) / 1e9);
                TrainingState end = checkedState(epoch, steps, checked, steps, lossSums, correct, history);
                history.add(e);
                l.epochEnded(e, this);
                l.checkpoint(new TrainingState(epoch + 1, 0, end.globalStep(), end.optimizerSteps(), end.params(),
                        end.optimizerState(), new float[0], new int[0], history.epochs()));
                if (epoch < opts.epochs() && l.stopRequested()) return history;
            }
        }
        return history;
    }

    /** Puts a checkpoint's parameters, optimizer state and step counter back on the device. */
    private void restore(TrainingState from, int steps) {
        if (from.params().length != params.flat.size())
            throw new IllegalArgumentException("fit: the checkpoint holds " + from.params().length + " parameters, the model has " + params.flat.size());
        if (from.step() >= steps)
            throw new IllegalArgumentException("fit: the checkpoint is at step " + from.step() + " of an epoch of " + steps
                    + " steps: resume with the batch size and data it was written with");
        params.flat.upload(from.params());
        optimizer.restore(from.optimizerSteps(), from.optimizerState());
        step = from.globalStep();
    }

    /**
     * The state after `done` steps of the epoch, once its losses since step `checked` and all
     * parameters, optimizer state and last gradients are finite.
     */
    private TrainingState checkedState(int epoch, int done, int checked, int steps, Tensor lossSums, Tensor correct, History history) {
        float[] stepLoss = lossSums.view(0, 1, done).download();
        requireFinite(stepLoss, epoch, checked, done, steps);
        float[] p = params.flat.download();
        requireFinite("weights", p, epoch, checked, done, steps);
        requireFinite("gradients", grads.flat.download(), epoch, checked, done, steps);
        List<float[]> state = new ArrayList<>();
        for (Tensor t : optimizer.state()) {
            float[] values = t.download();
            requireFinite(optimizer.name() + " state", values, epoch, checked, done, steps);
            state.add(values);
        }
        return new TrainingState(epoch, done, step, optimizer.steps(), p, state, stepLoss,
                correct.view(0, 1, done).downloadInts(), history.epochs());
    }

    private static void requireFinite(float[] stepLoss, int epoch, int checked, int done, int steps) {
        for (int s = checked; s < done; s++)
            if (!Float.isFinite(stepLoss[s]))
                throw new TrainingDivergedException(epoch, s + 1, s + 1, steps, "the loss is " + stepLoss[s]);
    }

    private void requireFinite(String what, float[] values, int epoch, int checked, int done, int steps) {
        for (int i = 0; i < values.length; i++)
            if (!Float.isFinite(values[i]))
                throw new TrainingDivergedException(epoch, checked + 1, done, steps,
                        what + " of " + parameterName(i) + " are non-finite (" + values[i] + " at element " + i + ")");
    }

    /** "dense_1.kernel" or "dense_1.bias": the tensor that holds flat parameter i. */
    private String parameterName(int i) { return plan("fit").parameterName(i); }

    /** One step: gather the batch, forward, loss, backward, update. Loss and hits go to slot s. */
    private void trainStep(Network net, Resident data, Tensor labels, int start, int rows, Tensor lossSums, Tensor correct, int s) {
        backend.gatherRows(data.x(), data.order(), start, net.input.rows(0, rows));
        step++;
        net.forward(params, rows, true, seed, step);
        net.loss(labels, rows, lossSums, correct, s);
        net.backward(params, grads, rows);
        optimizer.update(params.flat, grads.flat);
    }

    private static double sum(float[] x) { double s = 0; for (float v : x) s += v; return s; }

    private static double sum(int[] x) { long s = 0; for (int v : x) s += v; return s; }

    /** {loss, accuracy} of the model on data (no dropout). */
    public double[] evaluate(Dataset data) {
        checkData("evaluate", data);
        try (Resident r = Resident.of(backend, data)) {
            return evaluate(r, data.rows());
        }
    }

    private static final int EVAL_BATCH = 1000;

    private double[] evaluate(Resident data, int n) {
        int steps = (n + EVAL_BATCH - 1) / EVAL_BATCH;
        Network net = eval = sized(eval, Math.min(EVAL_BATCH, n));
        try (Tensor lossSums = backend.zeros(1, steps); Tensor correct = backend.allocate(DType.INT32, 1, steps)) {
            for (int s = 0; s < steps; s++) {
                int start = s * net.batch, rows = Math.min(net.batch, n - start);
                backend.gatherRows(data.x(), data.order(), start, net.input.rows(0, rows));
                net.forward(params, rows, false, seed, 0);
                net.loss(data.y().rows(start, rows), rows, lossSums, correct, s); // in order: no gather; the gradient it writes is not used
            }
            return new double[] {sum(lossSums.download()) / n, sum(correct.downloadInts()) / (double) n};
        }
    }

    /** Class probabilities, rows x classes, row-major. */
    public float[] predict(Dataset data) {
        checkData("predict", data);
        int n = data.rows(), k = classes();
        float[] out = new float[n * k];
        Network net = eval = sized(eval, Math.min(EVAL_BATCH, n));
        try (Resident r = Resident.of(backend, data)) {
            for (int start = 0; start < n; start += net.batch) {
                int rows = Math.min(net.batch, n - start);
                backend.gatherRows(r.x(), r.order(), start, net.input.rows(0, rows));
                net.forward(params, rows, false, seed, 0);
                net.softmax(rows);
                System.arraycopy(net.probs.rows(0, rows).download(), 0, out, start * k, rows * k);
            }
        }
        return out;
    }

    /** The most probable class of each example. */
    public int[] predictClasses(Dataset data) {
        float[] p = predict(data);
        int k = classes();
        int[] out = new int[data.rows()];
        for (int r = 0; r < out.length; r++)
            for (int j = 1; j < k; j++) if (p[r * k + j] > p[r * k + out[r]]) out[r] = j;
        return out;
    }

    // ---- inspection, summary, configuration, weights --------------------------------------

    /** Weights (in x units, row-major) of Dense layer i, copied from the device. */
    public float[] weights(int layer) { requireCompiled("weights"); return params.weights(denseIndex(layer)).download(); }

    public float[] bias(int layer) { requireCompiled("bias"); return params.bias(denseIndex(layer)).download(); }

    private int denseIndex(int layer) {
        if (layer < 0 || layer >= layers.size() || !(layers.get(layer) instanceof Dense))
            throw new IllegalArgumentException("layer " + layer + " is not a Dense layer of this model");
        return layer;
    }

    /** Keras-style layer names: dense, dense_1, dropout, ... */
    public List<String> layerNames() { return Plan.names(layers); }

    /** The Keras-like summary table: layer, output shape, parameters, totals. */
    public String summary() {
        requireInputSize("summary");
        String rule = "=".repeat(65), thin = "_".repeat(65);
        StringBuilder sb = new StringBuilder("Model: \"sequential\"\n").append(thin).append('\n');
        sb.append(String.format("%-29s%-26s%s%n", " Layer (type)", "Output Shape", "Param #")).append(rule).append('\n');
        for (Plan.Step st : plan("summary").steps())
            sb.append(String.format(Locale.ROOT, "%-29s%-26s%,d%n", " " + st.name() + " (" + st.layer().typeName() + ")",
                    "(None, " + st.out() + ")", st.parameters()));
        long total = parameterCount();
        sb.append(rule).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: 0%n", total, total));
        return sb.append(thin).append('\n').toString();
    }

    /** The model (and, once compiled, optimizer and seed) as JSON; {@link #fromJson} reads it back. */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("format", "clmlp.Sequential");
        root.addProperty("version", 1);
        if (inputSize > 0) root.addProperty("input_size", inputSize);
        JsonArray ls = new JsonArray();
        List<String> names = layerNames();
        for (int i = 0; i < layers.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("name", names.get(i));
            if (layers.get(i) instanceof Dense d) {
                o.addProperty("type", "dense");
                o.addProperty("units", d.units());
                o.addProperty("activation", d.activation());
                o.addProperty("kernel_initializer", d.initializer());
            } else if (layers.get(i) instanceof Dropout d) {
                o.addProperty("type", "dropout");
                o.addProperty("rate", d.rate());
            }
            ls.add(o);
        }
        root.add("layers", ls);
        root.addProperty("loss", "categorical_crossentropy");
        if (optimizer != null) {
            root.add("optimizer", optimizer.config());
            root.addProperty("seed", seed);
        }
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    /** The configuration part of a saved model: layers, input size, and the optimizer if present. */
    public record Config(Sequential model, Optimizer optimizer, Long seed) {}

    /** Reads {@link #toJson}'s output; errors name the field, what was expected and what was found. */
    public static Config fromJson(String json) {
        try {
            JsonFields root = JsonFields.parse(json);
            if (!root.string("format").equals("clmlp.Sequential"))
                throw new IllegalArgumentException("field 'format': expected \"clmlp.Sequential\", found \"" + root.string("format") + "\"");
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < root.array("layers").size(); i++) {
                JsonFields o = root.element("layers", i);
                String type = o.string("type");
                layers.add(switch (type) {
                    case "dense" -> new Dense(o.integer("units", 1, 1 << 24), o.string("activation"),
                            o.has("kernel_initializer") ? o.string("kernel_initializer") : Dense.GLOROT_UNIFORM);
                    case "dropout" -> new Dropout((float) o.number("rate"));
                    default -> throw new IllegalArgumentException("field 'layers[" + i + "].type': expected dense or dropout, found \"" + type + "\"");
                });
            }
            Sequential model = new Sequential(root.has("input_size") ? root.integer("input_size", 1, 1 << 24) : 0, layers);
            Optimizer opt = root.has("optimizer") ? Optimizer.fromConfig(root.object("optimizer")) : null;
            Long seed = root.has("seed") ? root.integer("seed") : null;
            return new Config(model, opt, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model config: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the model into dir as ./clmlp train does: config.json (layers, optimizer, seed) and
     * model.safetensors (the weights), each atomically; {@link #load} reads it back.
     */
    public void save(Path dir) {
        requireCompiled("save");
        dev.clmlp.io.AtomicFiles.write(dir.resolve("config.json"), toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        saveWeights(dir.resolve("model.safetensors"));
    }

    /**
     * The model in dir (written by {@link #save} or ./clmlp train), compiled on the backend with
     * its saved weights; the caller closes it. A malformed config or weights file throws
     * {@link DataFileException} naming the file and the field.
     */
    public static Sequential load(Path dir, Backend backend) throws IOException {
        Path config = dir.resolve("config.json"), weights = dir.resolve("model.safetensors");
        for (Path p : new Path[] {config, weights})
            if (!java.nio.file.Files.isRegularFile(p)) throw new java.nio.file.NoSuchFileException(p.toString(), null, "a model directory holds config.json and model.safetensors");
        Config c;
        try {
            c = fromJson(java.nio.file.Files.readString(config));
        } catch (IllegalArgumentException e) {
            throw new DataFileException(config, e.getMessage());
        }
        Sequential m = c.model();
        try {
            m.compile(backend, c.optimizer() != null ? c.optimizer() : new dev.clmlp.optim.Sgd(0.01f), c.seed() != null ? c.seed() : 0);
            m.loadWeights(weights);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /**
     * Saves the weights as safetensors: for Dense layer named L (dense, dense_1, ...) the tensors
     * "L.kernel" of shape [inputs, units] (y = x @ kernel + bias) and "L.bias" of shape [units].
     */
    public void saveWeights(Path file) {
        requireCompiled("saveWeights");
        Map<String, Safetensors.Entry> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Plan.Step st = plan("weights").step(i);
            if (!st.dense()) continue;
            out.put(st.name() + ".kernel", new Safetensors.Entry(new long[] {st.in(), st.out()}, weights(i)));
            out.put(st.name() + ".bias", new Safetensors.Entry(new long[] {st.out()}, bias(i)));
        }
        Safetensors.write(file, out, new java.util.TreeMap<>(Map.of("format", "clmlp", "config", toJson()))); // sorted: the same bytes in every run
    }

    /** Loads weights saved by {@link #saveWeights}; names, shapes and dtypes must match this model exactly. */
    public void loadWeights(Path file) throws IOException {
        requireCompiled("loadWeights");
        Map<String, Safetensors.Entry> in = Safetensors.read(file);
        Set<String> expected = new java.util.LinkedHashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            Plan.Step st = plan("weights").step(i);
            if (!st.dense()) continue;
            load(file, in, st.name() + ".kernel", new long[] {st.in(), st.out()}, params.weights(i));
            load(file, in, st.name() + ".bias", new long[] {st.out()}, params.bias(i));
            expected.add(st.name() + ".kernel");
            expected.add(st.name() + ".bias");
        }
        Set<String> extra = new java.util.TreeSet<>(in.keySet());
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

    @Override public void close() {
        for (AutoCloseable c : new AutoCloseable[] {train, eval, params, grads, optimizer}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        train = eval = null;
        params = grads = null;
    }
}
