package dev.clmlp.tensor;

import java.util.Locale;

/** Element-wise activations. Their gradients are computed from the activation's output y. */
public enum Activation {
    LINEAR, RELU, SIGMOID, TANH;

    /** Parses "relu", "sigmoid", "tanh", "linear" (case-insensitive). */
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
