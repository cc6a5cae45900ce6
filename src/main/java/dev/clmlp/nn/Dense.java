package dev.clmlp.nn;

import dev.clmlp.tensor.Activation;

import java.util.Locale;

/**
 * Fully connected layer y = f(x W + b), W of shape (inputs x units), b (1 x units).
 * activation: linear, relu, sigmoid, tanh, or softmax (last layer only, fused with the loss);
 * initializer of W: he_normal (normal * sqrt(2 / fan_in)) or glorot_uniform (Keras' default);
 * biases start at zero.
 */
public record Dense(int units, String activation, String initializer) implements Layer {
    /** The initializers: normal * sqrt(2 / fan_in), and Keras' default uniform(+-sqrt(6 / (fan_in + fan_out))). */
    public static final String HE_NORMAL = "he_normal", GLOROT_UNIFORM = "glorot_uniform";

    /**
     * Checks the units and normalises the names.
     *
     * @param units       the layer's width, at least 1
     * @param activation  linear, relu, sigmoid, tanh or softmax
     * @param initializer he_normal or glorot_uniform
     */
    public Dense {
        if (units <= 0) throw new IllegalArgumentException("Dense: units must be positive, got " + units);
        activation = activation.toLowerCase(Locale.ROOT);
        if (!activation.equals("softmax")) Activation.parse(activation);
        initializer = initializer.toLowerCase(Locale.ROOT);
        if (!initializer.equals(HE_NORMAL) && !initializer.equals(GLOROT_UNIFORM))
            throw new IllegalArgumentException("Dense: unknown initializer '" + initializer + "': expected he_normal or glorot_uniform");
    }

    /**
     * Glorot-uniform initialised, as Keras.
     *
     * @param units      the layer's width, at least 1
     * @param activation linear, relu, sigmoid, tanh or softmax
     */
    public Dense(int units, String activation) { this(units, activation, GLOROT_UNIFORM); }

    /** @return whether the activation is softmax (the last layer's, fused with the loss) */
    public boolean isSoftmax() { return activation.equals("softmax"); }

    /** @return the element-wise activation (LINEAR for softmax: the logits are the output before the loss) */
    public Activation elementwise() { return isSoftmax() ? Activation.LINEAR : Activation.parse(activation); }

    @Override public int outputSize(int inputSize) { return units; }

    @Override public long parameters(int inputSize) { return (long) inputSize * units + units; }

    @Override public String typeName() { return "Dense"; }

    /** Initial weights (fanIn x units, row-major) drawn from Philox stream (seed, layer). */
    float[] initialWeights(int fanIn, long seed, int layer) {
        float[] w = new float[fanIn * units];
        if (initializer.equals(HE_NORMAL)) {
            double std = Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < w.length; i++) w[i] = (float) (dev.clmlp.tensor.Philox.normal(seed, layer, i) * std);
        } else {
            double limit = Math.sqrt(6.0 / (fanIn + units));
            for (int i = 0; i < w.length; i++)
                w[i] = (float) ((dev.clmlp.tensor.Philox.uniform(seed, layer, i) * 2 - 1) * limit);
        }
        return w;
    }
}
