package dev.clmlp.tensor;

import java.util.Locale;

/** Element-wise activations. Their gradients are computed from the activation's output y. */
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

    @Override public String toString() { return name().toLowerCase(Locale.ROOT); }
}
