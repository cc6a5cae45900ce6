package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Scaling;
import dev.clmlp.table.Schema;
import dev.clmlp.io.DataFileException;
import dev.clmlp.optim.Optimizer;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.RegressionLoss;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A stack of layers, Keras-style:
 * <pre>
 * Sequential model = new Sequential(784, new Dense(128, "relu"), new Dense(10, "softmax"));
 * model.compile(backend, new Adam(0.001f), seed);
 * History h = model.fit(train, test, new FitOptions(10, 32, seed), null);
 * </pre>
 * The last layer is Dense, and its activation says what the model is: softmax, a classifier
 * (softmax cross-entropy); linear, a regression (mse, mae or huber); sigmoid, multi-label with
 * several outputs or a binary classifier with one (binary cross-entropy). Weights live on the
 * backend; close the model (or the backend) to free them.
 *
 * <p><b>Threads.</b> Once trained or loaded, a model serves inference ({@code predict},
 * {@code predictClasses}, {@code evaluate}) from any number of threads at once: the weights are
 * only read, and each call borrows its own activation buffers from a small pool kept by
 * power-of-two row counts (rather than one per thread, which a server's thread pool would
 * multiply, or one per model, which would serialise every call). On the Java backend the calls
 * run in parallel; on OpenCL (one command queue) they take turns. {@code fit} and inference on one
 * model at once are refused with an {@link IllegalStateException}; to predict while training,
 * load a copy ({@link #load}).
 */
public final class Sequential implements AutoCloseable {
    private int inputSize; // 0 until given or inferred from the first data
    private final List<Layer> layers;
    // the state Training and Inference work on (package-private: one idea per class, one model)
    Backend backend;
    Optimizer optimizer;
    long seed;
    Parameters params, grads;
    long step; // global training step: the dropout stream counter
    private Network train; // training's device buffers, for the last batch size used
    Workspaces workspaces = new Workspaces(); // inference's device buffers, one per call in flight
    private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger(); // inference calls in flight; TRAINING during fit
    private Plan plan; // computed once the input size is known
    private Scaling scaling; // applied to every dataset given to fit, evaluate and predict; null: none
    private Scaling targetScaling; // a regression's targets in fit and evaluate, undone on predict's outputs; null: none
    private Schema table; // how a table's rows become inputs; null: the model takes numbers only
    private List<String> classNames; // null: the classes are the numbers 0 .. classes-1
    RegressionLoss regressionLoss; // a regression's loss (its last layer linear); null for a classifier
    private final boolean sigmoid; // a sigmoid last layer, binary cross-entropy: multi-label (0/1 targets), or binary with one output
    private float[] classWeights; // Keras' class_weight in training; null: none

    /**
     * @param inputSize the width of an input row (784 for MNIST)
     * @param layers    the layers in order; the last is Dense with softmax, linear or sigmoid
     */
    public Sequential(int inputSize, Layer... layers) { this(inputSize, List.of(layers)); }

    /**
     * A model whose input size is inferred from the first data it is fitted on or applied to.
     *
     * @param layers the layers in order; the last is Dense with softmax, linear or sigmoid
     */
    public Sequential(Layer... layers) { this(0, List.of(layers)); }

    /**
     * @param inputSize the width of an input row, or 0 to infer it from the first data
     * @param layers    the layers in order; the last is Dense with softmax, linear or sigmoid (softmax only there)
     */
    public Sequential(int inputSize, List<Layer> layers) {
        if (inputSize < 0) throw new IllegalArgumentException("Sequential: input size must be positive, got " + inputSize);
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Dense last) || !last.isSoftmax() && !last.activation().equals("linear")
                && !last.activation().equals("sigmoid"))
            throw new IllegalArgumentException("Sequential: the last layer must be Dense with softmax activation (a classifier: softmax cross-entropy),"
                    + " linear (a regression: mse, mae or huber) or sigmoid (multi-label, or binary with one output: binary cross-entropy), got "
                    + (layers.isEmpty() ? "no layers" : layers.get(layers.size() - 1)));
        for (int i = 0; i < layers.size() - 1; i++)
            if (layers.get(i) instanceof Dense d && d.isSoftmax())
                throw new IllegalArgumentException("Sequential: softmax is only supported on the last layer, found it on layer " + i);
        this.inputSize = inputSize;
        this.layers = List.copyOf(layers);
        if (last.activation().equals("linear")) regressionLoss = RegressionLoss.MSE;
        sigmoid = last.activation().equals("sigmoid");
    }

    /** @return the input width, or 0 while it is not known yet */
    public int inputSize() { return inputSize; }

    /** @return the layers, unmodifiable */
    public List<Layer> layers() { return layers; }

    /** @return the number of classes: the last layer's width (a regression's outputs), or 2 for a {@link #binary()} model's one output */
    public int classes() { return binary() ? 2 : outputs(); }

    /** @return the last layer's width: the classes, or a regression's targets */
    public int outputs() { return layers.get(layers.size() - 1).outputSize(0); }

    /** @return whether the model is a regression (its last layer linear) rather than a classifier */
    public boolean regression() { return regressionLoss != null; }

    /** @return whether the model is multi-label (its last layer sigmoid, several outputs): an independent 0/1 target per output, binary cross-entropy */
    public boolean multiLabel() { return sigmoid && outputs() > 1; }

    /**
     * @return whether the model is a binary classifier with one sigmoid output (Keras' Dense(1,
     *         "sigmoid") with binary cross-entropy): it takes class labels 0 and 1, and predict gives
     *         both classes' probabilities, 1 - p and p, as a two-way softmax would
     */
    public boolean binary() { return sigmoid && outputs() == 1; }

    /** @return whether it trains on float targets (a regression or multi-label) rather than classes */
    public boolean usesTargets() { return regression() || multiLabel(); }

    /** Whether the last layer is a softmax (its logits go through the softmax cross-entropy). */
    boolean softmaxOutput() { return !regression() && !sigmoid; }

    /** Whether the loss is binary cross-entropy on sigmoid outputs (multi-label or binary). */
    boolean sigmoidOutput() { return sigmoid; }

    /**
     * Chooses a regression's loss, as Keras' compile(loss=...) does; a classifier's is
     * categorical_crossentropy, the only one for a softmax output.
     *
     * @param name mse, mae or huber for a regression (default mse); categorical_crossentropy for a classifier
     * @return this model
     * @throws IllegalArgumentException for a loss that does not fit the last layer
     */
    public Sequential loss(String name) {
        if (sigmoid) {
            if (!name.equals(BINARY_CROSSENTROPY))
                throw new IllegalArgumentException("loss: a sigmoid output trains with " + BINARY_CROSSENTROPY + ", got '" + name + "'");
            return this;
        }
        if (!regression()) {
            if (!name.equals(CROSSENTROPY))
                throw new IllegalArgumentException("loss: a softmax output trains with " + CROSSENTROPY + ", got '" + name + "'; a regression ends in a linear Dense layer");
            return this;
        }
        regressionLoss = RegressionLoss.named(name);
        return this;
    }

    /** @return the loss's name: categorical_crossentropy, mse, mae or huber */
    public String loss() { return regression() ? regressionLoss.key() : sigmoid ? BINARY_CROSSENTROPY : CROSSENTROPY; }

    /** The loss of a softmax output, as Keras names it. */
    public static final String CROSSENTROPY = "categorical_crossentropy";
    /** The loss of a sigmoid output, as Keras names it. */
    public static final String BINARY_CROSSENTROPY = "binary_crossentropy";

    /** @return the backend the model was compiled on, or null before {@link #compile} */
    public Backend backend() { return backend; }

    /** @return the optimizer given to {@link #compile}, or null before */
    public Optimizer optimizer() { return optimizer; }

    /** @return the seed given to {@link #compile} */
    public long seed() { return seed; }

    /** @return the number of trainable parameters (Keras' "Total params") */
    public long parameterCount() { return plan("parameterCount").parameterCount(); }

    /** The layout of the model (widths, names, parameter offsets), once the input size is known. */
    Plan plan(String op) {
        requireInputSize(op);
        if (plan == null || plan.inputSize() != inputSize) plan = Plan.of(inputSize, layers);
        return plan;
    }

    /**
     * Places the model on a backend with fresh initial weights drawn from the seed (once the
     * input size is known: at once, or at the first fit/evaluate/predict). The model then owns
     * device memory on the backend until {@link #close} (or the backend's close).
     *
     * @param backend   where the weights and every computation live
     * @param optimizer the update rule; the model owns its state from now on
     * @param seed      the seed of the initial weights, the shuffles and the dropout masks
     * @return this model
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

    Network trainNetwork(int batch) { return train = sized(train, batch); }

    void checkData(String op, Dataset d) {
        requireBackend(op);
        synchronized (this) {
            if (inputSize == 0) { // infer the input size from the first data, as Keras does
                inputSize = d.features();
                build();
            }
        }
        if (d.features() != inputSize)
            throw new IllegalArgumentException(op + ": " + d.name() + " has " + d.features() + " features, the model takes " + inputSize);
        if (d.labeled() && d.hasTargets() != usesTargets() && !(binary() && d.outputs() == 1)) // a binary model trains on its labels as 0/1 targets
            throw new IllegalArgumentException(op + ": " + d.name() + (d.hasTargets() ? " has targets, the model is a classifier" : " has classes, the model takes targets"));
        if (d.hasTargets() && d.outputs() != outputs())
            throw new IllegalArgumentException(op + ": " + d.name() + " has " + d.outputs() + " targets per example, the model outputs " + outputs());
        if (d.classes() > classes())
            throw new IllegalArgumentException(op + ": " + d.name() + " has " + d.classes() + " classes, the model outputs " + classes());
        if (d.labeled() && classNames != null && d.classNames() != null && !classNames.equals(d.classNames()))
            throw new IllegalArgumentException(op + ": " + d.name() + "'s classes " + d.classNames() + " are not the model's " + classNames);
    }

    /**
     * Trains for opts.epochs() epochs over train, reshuffled each epoch from the seed; the last
     * partial batch is used. The device waits only once per epoch (plus every syncEvery steps,
     * and at each checkpoint).
     *
     * @param train      the training data
     * @param validation data evaluated after each epoch, or null
     * @param opts       epochs, batch size, shuffle seed, and how often to sync and checkpoint
     * @param listener   callbacks, or null
     * @return one line of statistics per epoch
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
     *
     * @param train      the training data
     * @param validation data evaluated after each epoch, or null
     * @param opts       epochs, batch size, shuffle seed, and how often to sync and checkpoint
     * @param listener   callbacks, or null
     * @param from       a checkpoint's state to continue from, or null to start afresh
     * @return the statistics of every epoch, those before {@code from} included
     */
    public History fit(Dataset train, Dataset validation, FitOptions opts, TrainingListener listener, TrainingState from) {
        if (!train.labeled() || validation != null && !validation.labeled())
            throw new IllegalArgumentException("fit: " + (train.labeled() ? validation : train).name() + " has no labels");
        if (!calls.compareAndSet(0, TRAINING))
            throw new IllegalStateException("fit: the model is " + (calls.get() == TRAINING ? "already training" : "predicting on another thread")
                    + "; train it when no other call is using it (or train a copy: Sequential.load)");
        try {
            if (classNames == null && train.classNames() != null) nameClasses(train.classNames());
            History h = new Training(this).fit(forLoss(scaled(train)), forLoss(scaled(validation)), opts, listener, from);
            if (listener != null) listener.trainingEnded(this);
            return h;
        } finally {
            calls.set(0);
        }
    }

    /** Every parameter, in the flat layout of a TrainingState (EarlyStopping keeps the best). */
    float[] parameterValues() { return params.flat.download(); }

    /** Puts back values from {@link #parameterValues()}. */
    void setParameterValues(float[] values) { params.flat.upload(values); }

    /**
     * @param data the examples, with labels
     * @return {mean cross-entropy loss, accuracy}, without dropout
     */
    public double[] evaluate(Dataset data) {
        checkData("evaluate", data);
        if (!data.labeled()) throw new IllegalArgumentException("evaluate: " + data.name() + " has no labels");
        Dataset d = forLoss(scaled(data));
        return inferring("evaluate", () -> {
            try (Resident r = Resident.of(backend, d)) {
                return Inference.evaluate(this, r, d.rows());
            }
        });
    }

    /** {@link #calls} while training. */
    private static final int TRAINING = -1;

    /**
     * An inference call: counted while in flight (fit refuses to start meanwhile, and it is refused
     * during fit); on a backend whose operations may not run at once from several threads
     * (OpenCL: one command queue and shared kernel objects), the calls take turns.
     */
    private <T> T inferring(String op, java.util.function.Supplier<T> call) {
        for (int c; ; ) {
            if ((c = calls.get()) == TRAINING)
                throw new IllegalStateException(op + ": the model is training; predict once fit has returned (or on a copy: Sequential.load)");
            if (calls.compareAndSet(c, c + 1)) break;
        }
        try {
            if (backend.concurrentCalls()) return call.get();
            synchronized (backend) {
                return call.get();
            }
        } finally {
            calls.decrementAndGet();
        }
    }

    /**
     * @param data the examples (labels unused)
     * @return the class probabilities, rows x classes, row-major
     */
    public float[] predict(Dataset data) {
        checkData("predict", data);
        Dataset d = scaled(data);
        float[] out = inferring("predict", () -> Inference.predict(this, d));
        return binary() ? bothClasses(out) : targetScaling != null ? targetScaling.undo(out) : out;
    }

    /** A binary model's sigmoid outputs p as the two classes' probabilities, 1 - p and p, per row. */
    private static float[] bothClasses(float[] p) {
        float[] out = new float[2 * p.length];
        for (int r = 0; r < p.length; r++) {
            out[2 * r] = 1f - p[r];
            out[2 * r + 1] = p[r];
        }
        return out;
    }

    /** What the loss compares outputs with: a binary model's classes as 0/1 targets, a regression's targets scaled; other data as it is. */
    private Dataset forLoss(Dataset d) {
        if (d != null && binary() && d.labeled() && !d.hasTargets() && d.classes() <= 2) return d.labelsAsTargets(); // more classes: refused by checkData
        if (d != null && targetScaling != null && d.hasTargets() && d.outputs() == outputs()) return targetScaling.applyToTargets(d);
        return d;
    }

    /**
     * Predicts from plain numbers, without a Dataset or labels: the model's input scaling applied as
     * in {@link #predict(Dataset)}.
     *
     * @param rows n x {@link #inputSize()} features, row-major
     * @param n    the number of rows
     * @return probabilities (a regression's outputs), n x {@link #outputs()}, row-major
     * @throws IllegalArgumentException when rows does not hold n rows of the model's input size
     */
    public float[] predict(float[] rows, int n) {
        requireInputs(rows.length, n);
        return predict(Dataset.unlabeled("rows", rows, n, inputSize));
    }

    /**
     * @param rows one array of {@link #inputSize()} features per row
     * @return as {@link #predict(float[], int)}
     * @throws IllegalArgumentException for a row of another width
     */
    public float[] predict(float[][] rows) {
        requireBuilt("predict");
        float[] flat = new float[Math.multiplyExact(rows.length, inputSize)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != inputSize)
                throw new IllegalArgumentException("predict: row " + r + " has " + rows[r].length + " features, the model takes " + inputSize);
            System.arraycopy(rows[r], 0, flat, r * inputSize, inputSize);
        }
        return predict(flat, rows.length);
    }

    /**
     * @param rows n x {@link #inputSize()} features from the buffer's position (which it leaves where it was)
     * @param n    the number of rows
     * @return as {@link #predict(float[], int)}
     * @throws IllegalArgumentException when fewer than n rows remain in the buffer
     */
    public float[] predict(java.nio.FloatBuffer rows, int n) {
        requireBuilt("predict");
        if (n < 1 || rows.remaining() < (long) n * inputSize)
            throw new IllegalArgumentException("predict: " + rows.remaining() + " floats remain in the buffer, " + n + " rows of " + inputSize + " features need " + (long) n * inputSize);
        float[] flat = new float[n * inputSize];
        rows.duplicate().get(flat);
        return predict(flat, n);
    }

    /**
     * @param rows n x {@link #inputSize()} features, row-major
     * @param n    the number of rows
     * @return the most probable class of each row
     */
    public int[] predictClasses(float[] rows, int n) { return classesOf(predict(rows, n)); }

    private void requireBuilt(String op) {
        if (inputSize == 0) throw new IllegalStateException(op + ": the model's input size is not known yet (give it, or fit first)");
    }

    private void requireInputs(int length, int n) {
        requireBuilt("predict");
        if (n < 1 || (long) n * inputSize != length)
            throw new IllegalArgumentException("predict: " + length + " floats for " + n + " rows, the model takes " + inputSize + " features a row ("
                    + (long) n * inputSize + " floats)");
    }

    /**
     * A table's rows through the model's schema ({@link #readTables}) and the model: what predict
     * gives for them, with the gaps filled, categories one-hot and inputs scaled as in training.
     *
     * @param rows a table with the training file's feature columns (by header name, else position)
     * @return as {@link #predict(Dataset)}: probabilities, or a regression's outputs, rows x outputs
     * @throws DataFileException when a column is missing or a cell cannot be encoded, naming it
     */
    public float[] predict(dev.clmlp.table.Table rows) throws DataFileException {
        if (table == null) throw new IllegalStateException("predict: the model was not trained on a table (readTables)");
        return predict(table.encode(rows, false));
    }

    /**
     * @param data the examples (labels unused)
     * @return the most probable class of each example
     */
    public int[] predictClasses(Dataset data) { return classesOf(predict(data)); }

    /**
     * @param probabilities what {@link #predict} returned, rows x classes
     * @return the most probable class of each row (the first of equals)
     */
    public int[] classesOf(float[] probabilities) {
        int k = classes();
        int[] out = new int[probabilities.length / k];
        for (int r = 0; r < out.length; r++)
            for (int j = 1; j < k; j++) if (probabilities[r * k + j] > probabilities[r * k + out[r]]) out[r] = j;
        return out;
    }

    // ---- inspection, summary, configuration, weights --------------------------------------

    /**
     * @param layer the index of a Dense layer in {@link #layers()}
     * @return a copy of its weights, in x units, row-major
     */
    public float[] weights(int layer) { requireCompiled("weights"); return params.weights(denseIndex(layer)).download(); }

    /**
     * @param layer the index of a Dense layer in {@link #layers()}
     * @return a copy of its biases
     */
    public float[] bias(int layer) { requireCompiled("bias"); return params.bias(denseIndex(layer)).download(); }

    private int denseIndex(int layer) {
        if (layer < 0 || layer >= layers.size() || !(layers.get(layer) instanceof Dense))
            throw new IllegalArgumentException("layer " + layer + " is not a Dense layer of this model");
        return layer;
    }

    /** @return the layers' Keras-style names: dense, dense_1, dropout, ... */
    public List<String> layerNames() { return Plan.names(layers); }

    /**
     * Makes the model scale its inputs: fit, evaluate and predict apply it to the datasets they
     * are given, and it is saved with the model (config.json), so a loaded model predicts on raw
     * features as the trained one did.
     *
     * @param s the scaling fitted on the training data ({@link Scaling#fit}), or null for none
     * @return this model
     */
    public Sequential scaleInputs(Scaling s) {
        if (s != null && inputSize > 0 && s.offset().length != inputSize)
            throw new IllegalArgumentException("scaleInputs: the scaling has " + s.offset().length + " features, the model takes " + inputSize);
        scaling = s == null || s.kind().equals(Scaling.NONE) ? null : s;
        return this;
    }

    /**
     * Names the classes (saved in config.json as "class_names"); fit takes them from its training
     * data when the model has none.
     *
     * @param names one per class, in class order; null (or "0", "1", ...) for the numbers 0 .. classes-1
     * @return this model
     */
    public Sequential nameClasses(List<String> names) {
        if (names != null && names.size() != classes())
            throw new IllegalArgumentException("nameClasses: " + names.size() + " names, the model outputs " + classes() + " classes");
        classNames = Dataset.customNames(names);
        return this;
    }

    /** @return the classes' names, or null when they are the numbers 0 .. classes-1 */
    public List<String> classNames() { return classNames; }

    /**
     * @param c a class
     * @return its name: the name given, else the number
     */
    public String className(int c) { return classNames != null ? classNames.get(c) : Integer.toString(c); }

    /**
     * Makes the model read tables as the schema says (saved with it, in config.json): the
     * schema's width is the model's input size, its classes the model's class names.
     *
     * @param s the schema fitted on the training table ({@link Schema#fit})
     * @return this model
     */
    public Sequential readTables(Schema s) {
        if (inputSize > 0 && s.width() != inputSize)
            throw new IllegalArgumentException("readTables: the schema gives " + s.width() + " inputs, the model takes " + inputSize);
        Schema.Task task = regression() ? Schema.Task.REGRESSION : multiLabel() ? Schema.Task.MULTILABEL : Schema.Task.CLASSIFICATION;
        if (s.task() != task)
            throw new IllegalArgumentException("readTables: the schema is for " + s.task().key() + ", the model's last layer for " + task.key()
                    + " (softmax or one sigmoid: classification, linear: regression, several sigmoids: multilabel)");
        if (s.regression() && s.targets().size() != outputs())
            throw new IllegalArgumentException("readTables: the schema has " + s.targets().size() + " targets, the model " + outputs() + " outputs");
        if (!s.regression()) nameClasses(s.classes());
        table = s;
        return this;
    }

    /**
     * Weighs each class in the training loss, as Keras' fit(class_weight=...) does: a row's loss
     * and gradient times its label's weight (validation and evaluation are not weighted). Not part
     * of the model's configuration: a training option.
     *
     * @param weights one positive finite weight per class, or null for none
     * @return this model
     */
    public Sequential classWeights(float[] weights) {
        if (weights != null) {
            if (usesTargets()) throw new IllegalArgumentException("classWeights: the model takes targets, not classes");
            if (binary()) throw new IllegalArgumentException("classWeights: only a softmax output weighs its classes; train the two classes with a Dense(2, \"softmax\") last layer");
            if (weights.length != classes())
                throw new IllegalArgumentException("classWeights: " + weights.length + " weights, the model has " + classes() + " classes");
            for (float w : weights)
                if (!(w > 0 && Float.isFinite(w))) throw new IllegalArgumentException("classWeights: weights must be positive and finite, got " + w);
        }
        classWeights = weights == null ? null : weights.clone();
        return this;
    }

    /** @return the class weights of training, or null */
    public float[] classWeights() { return classWeights == null ? null : classWeights.clone(); }

    /**
     * @param j an output of a regression or multi-label model
     * @return its target's name: the table's column header, else "y" and the index
     */
    public String targetName(int j) {
        String header = table != null ? table.targets().get(j).header() : null;
        return header != null ? header : "y" + j;
    }

    /** @return how the model reads a table's rows, or null when it takes numbers only */
    public Schema table() { return table; }

    /**
     * Makes a regression train on scaled targets ({@link Scaling#fitTargets}, standard: mean 0,
     * deviation 1 per target), as scikit-learn's TransformedTargetRegressor does: the loss (and
     * val_loss) is on the scaled targets, MAE, RMSE and R^2 are in the targets' own units, and
     * predict undoes the scaling. Saved with the model (config.json's "target_scaling").
     *
     * @param s the scaling fitted on the training targets, or null for none
     * @return this model
     * @throws IllegalArgumentException for a model that is not a regression, or a scaling of another width
     */
    public Sequential scaleTargets(Scaling s) {
        if (s != null && !regression()) throw new IllegalArgumentException("scaleTargets: only a regression (a linear last layer) has targets to scale");
        if (s != null && s.offset().length != outputs())
            throw new IllegalArgumentException("scaleTargets: the scaling has " + s.offset().length + " targets, the model " + outputs() + " outputs");
        targetScaling = s == null || s.isIdentity() ? null : s;
        return this;
    }

    /** @return a regression's target scaling, or null */
    public Scaling targetScaling() { return targetScaling; }

    /** @return the input scaling, or null when the model takes its inputs as they are */
    public Scaling inputScaling() { return scaling; }

    private Dataset scaled(Dataset d) { return scaling == null || d == null ? d : scaling.apply(d); }

    /**
     * The arithmetic of training on one example: per Dense layer 2·in·out FLOPs forward, as many
     * for the weight gradient and, except for the first layer, for the input gradient (the
     * element-wise work is left out: it is a few per cent). bench divides it by the epoch time.
     *
     * @return FLOPs per example of a training step
     */
    public long trainingFlopsPerExample() {
        long flops = 0;
        boolean first = true;
        for (Plan.Step st : plan("trainingFlopsPerExample").steps()) {
            if (!st.dense()) continue;
            flops += 2L * st.in() * st.out() * (first ? 2 : 3);
            first = false;
        }
        return flops;
    }

    /**
     * @return the widths the dense layers chain, input first: {784, 128, 24, 10} for the keras
     *         preset (what ./clmlp tune names a workload by, with the batch size)
     */
    public int[] denseWidths() {
        List<Plan.Step> dense = plan("denseWidths").steps().stream().filter(Plan.Step::dense).toList();
        int[] w = new int[dense.size() + 1];
        w[0] = dense.isEmpty() ? inputSize : dense.get(0).in();
        for (int i = 0; i < dense.size(); i++) w[i + 1] = dense.get(i).out();
        return w;
    }

    /** @return the Keras-like summary table: layer, output shape, parameters, totals */
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

    /** @return the model (and, once compiled, optimizer and seed) as JSON; {@link #fromJson} reads it back */
    public String toJson() { return ModelConfig.toJson(this); }

    /**
     * The configuration part of a saved model.
     *
     * @param model     the layers and input size, not compiled
     * @param optimizer the optimizer, or null if the config has none
     * @param seed      the seed, or null if the config has none
     */
    public record Config(Sequential model, Optimizer optimizer, Long seed) {}

    /**
     * @param json {@link #toJson}'s output
     * @return the configuration
     * @throws IllegalArgumentException naming the field, what was expected and what was found
     */
    public static Config fromJson(String json) { return ModelConfig.fromJson(json); }

    /**
     * Writes the model into dir as ./clmlp train does: config.json (layers, optimizer, seed) and
     * model.safetensors (the weights), each atomically; {@link #load} reads it back.
     *
     * @param dir the directory, created if needed
     */
    public void save(Path dir) {
        requireCompiled("save");
        WeightsFile.save(this, dir);
    }

    /** The file of a model directory that holds its configuration ({@link #save}, {@link #load}). */
    public static final String CONFIG_FILE = "config.json";

    /** The file of a model directory that holds its weights (safetensors). */
    public static final String WEIGHTS_FILE = "model.safetensors";

    /**
     * The model in dir (written by {@link #save} or ./clmlp train), compiled on the backend with
     * its saved weights; the caller closes it. A malformed config or weights file throws
     * {@link DataFileException} naming the file and the field.
     *
     * @param dir     a directory written by {@link #save} or ./clmlp train
     * @param backend where to place the model
     * @return the model, compiled, with its weights; the caller closes it
     * @throws IOException when a file is missing, unreadable or malformed
     */
    public static Sequential load(Path dir, Backend backend) throws IOException { return WeightsFile.load(dir, backend); }

    /**
     * Saves the weights as safetensors: for Dense layer named L (dense, dense_1, ...) the tensors
     * "L.kernel" of shape [inputs, units] (y = x @ kernel + bias) and "L.bias" of shape [units].
     *
     * @param file the file, written atomically
     */
    public void saveWeights(Path file) {
        requireCompiled("saveWeights");
        WeightsFile.write(this, file);
    }

    /**
     * Loads weights saved by {@link #saveWeights}; names, shapes and dtypes must match this model exactly.
     *
     * @param file the weights file
     * @throws IOException when it is unreadable, malformed, or holds other tensors or non-finite values
     */
    public void loadWeights(Path file) throws IOException {
        requireCompiled("loadWeights");
        WeightsFile.read(this, file);
    }

    /** Frees the model's device memory and the optimizer's state; {@link #compile} may place it again. */
    @Override public void close() {
        for (AutoCloseable c : new AutoCloseable[] {train, workspaces, params, grads, optimizer}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        train = null;
        workspaces = new Workspaces();
        params = grads = null;
    }
}
