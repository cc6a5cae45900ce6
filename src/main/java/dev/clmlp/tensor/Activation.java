package dev.clmlp.tensor;

import java.util.Locale;

/**
 * Element-wise activations, with their formulas written once for Java ({@link #apply},
 * {@link #grad}) and once for the kernels (activations.cl's ACTIVATE and ACTIVATION_SLOPE).
 * Gradients are computed from the activation's output y.
 */
public enum Activation {
    /** The identity. */
    LINEAR,
    /** max(x, 0). */
    RELU,
    /** 1 / (1 + e^-x). */
    SIGMOID,
    /** tanh(x). */
    TANH;

    /**
     * @param name "relu", "sigmoid", "tanh" or "linear", in any case
     * @return the activation
     */
    public static Activation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name
                    + "': expected one of linear, relu, sigmoid, tanh");
        }
    }

    /**
     * @param v the input
     * @return f(v), as float (ReLU gives 0 for NaN, as the kernels do)
     */
    public float apply(float v) {
        return switch (this) {
            case LINEAR -> v;
            case RELU -> v > 0f ? v : 0f;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-v)));
            case TANH -> (float) Math.tanh(v);
        };
    }

    /**
     * @param g the gradient with respect to the output
     * @param y the output, f(x)
     * @return the gradient with respect to the input, g * f'(x) with f' written in terms of y
     */
    public float grad(float g, float y) {
        return switch (this) {
            case LINEAR -> g;
            case RELU -> y > 0f ? g : 0f;
            case SIGMOID -> g * y * (1f - y);
            case TANH -> g * (1f - y * y);
        };
    }

    @Override public String toString() { return name().toLowerCase(Locale.ROOT); }
}
