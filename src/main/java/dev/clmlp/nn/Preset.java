package dev.clmlp.nn;

import dev.clmlp.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two notebooks' settings, written once and used by train, bench, tune, the JMH suite and
 * the tests. For MNIST, models take 784 inputs and end in 10 softmax outputs; other data sets
 * the sizes of the first and last layer.
 *
 * @param name        "scratch" or "keras"
 * @param layers      the hidden layers' widths
 * @param activations their activations: one for all, or one each
 * @param dropout     the dropout rate after the last hidden layer (0: none)
 * @param init        the initializer of every Dense layer's weights
 * @param optimizer   "sgd" or "adam"
 * @param lr          the learning rate
 * @param batch       the batch size
 * @param epochs      the number of epochs
 */
public record Preset(String name, List<Integer> layers, List<String> activations, float dropout, String init, String optimizer,
                     float lr, int batch, int epochs) {
    /** Notebook A, from scratch: 784-128-64-10 ReLU, He-normal, SGD lr 0.01, batch 64, 20 epochs. */
    public static final Preset SCRATCH = new Preset("scratch", List.of(128, 64), List.of("relu"), 0f, Dense.HE_NORMAL, "sgd", 0.01f, 64, 20);

    /** Notebook B, Keras: 784-128 ReLU, 24 sigmoid, Dropout 0.1, 10 softmax, Glorot-uniform, Adam lr 0.001, batch 32, 10 epochs. */
    public static final Preset KERAS = new Preset("keras", List.of(128, 24), List.of("relu", "sigmoid"), 0.1f, Dense.GLOROT_UNIFORM,
            "adam", 0.001f, 32, 10);

    /**
     * @param name "scratch" or "keras", in any case
     * @return the preset
     * @throws IllegalArgumentException for another name
     */
    public static Preset named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "scratch" -> SCRATCH;
            case "keras" -> KERAS;
            default -> throw new IllegalArgumentException("--preset: unknown preset '" + name + "': expected scratch or keras");
        };
    }

    /** @return a new model as the preset describes it, not compiled */
    public Sequential model() { return model(layers, MNIST_INPUTS, MNIST_CLASSES); }

    /**
     * The preset's model with other hidden widths and data sizes (bench --layers and --sweep, tune
     * --layers): its activations where they fit the layers, else its first one for every layer.
     *
     * @param hidden  the hidden layers' widths
     * @param inputs  the width of an example
     * @param classes the number of classes
     * @return the model, not compiled
     */
    public Sequential model(List<Integer> hidden, int inputs, int classes) {
        List<String> acts = activations.size() == 1 || activations.size() == hidden.size() ? activations : activations.subList(0, 1);
        return model(hidden, acts, init, dropout, inputs, classes);
    }

    /** MNIST's input width (28 x 28 pixels) and number of classes. */
    public static final int MNIST_INPUTS = 784, MNIST_CLASSES = 10;

    /** @return a new optimizer as the preset describes it */
    public Optimizer newOptimizer() { return Optimizer.named(optimizer, lr, 0f); }

    /**
     * Dense hidden layers (one activation for all, or one each), Dropout(rate) after the last one
     * if rate &gt; 0, and a softmax output per class; every layer with the given initializer.
     *
     * @param hidden      the hidden layers' widths
     * @param acts        one activation for all hidden layers, or one each
     * @param initializer he_normal or glorot_uniform
     * @param rate        the dropout rate, in [0, 1)
     * @param inputs      the width of an example
     * @param classes     the number of classes
     * @return the model, not compiled
     */
    public static Sequential model(List<Integer> hidden, List<String> acts, String initializer, float rate, int inputs, int classes) {
        return model(hidden, acts, initializer, rate, inputs, classes, "softmax");
    }

    /**
     * {@link #model(List, List, String, float, int, int)} for a classifier (softmax output), a
     * regression (a linear output per target) or multi-label (a sigmoid output per target).
     *
     * @param hidden      the hidden layers' widths
     * @param acts        one activation, or one per hidden layer
     * @param initializer the kernel initializer
     * @param rate        the dropout rate after the last hidden layer (0: none)
     * @param inputs      the input width
     * @param outputs     the classes, or the targets
     * @param output      the last layer's activation: softmax, linear or sigmoid
     * @return the model
     */
    public static Sequential model(List<Integer> hidden, List<String> acts, String initializer, float rate, int inputs, int outputs, String output) {
        int classes = outputs;
        if (acts.size() != 1 && acts.size() != hidden.size())
            throw new IllegalArgumentException("--activation: give one activation or one per hidden layer (" + hidden.size() + "), got " + acts);
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("--dropout: the rate must be in [0, 1), got " + rate);
        long params = 0, in = inputs; // every parameter lives in one array: Java's arrays stop at 2^31 - 1 elements
        for (int units : hidden) { params += (in + 1) * units; in = units; }
        params += (in + 1) * classes;
        if (params > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "--layers %s: %,d parameters with %d inputs and %d classes, more than the %,d one array holds",
                    hidden.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")), params, inputs, classes, Integer.MAX_VALUE - 8));
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++)
            ls.add(new Dense(hidden.get(i), acts.get(acts.size() == 1 ? 0 : i), initializer));
        if (rate > 0) ls.add(new Dropout(rate));
        ls.add(new Dense(classes, output, initializer));
        return new Sequential(inputs, ls);
    }
}
