package dev.clmlp.nn;

/** Inverted dropout: in training, zeroes each input with probability rate and scales the rest by 1/(1-rate). */
public record Dropout(float rate) implements Layer {
    /**
     * @param rate the fraction of inputs zeroed in training, in [0, 1)
     */
    public Dropout {
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
    }

    @Override public int outputSize(int inputSize) { return inputSize; }

    @Override public long parameters(int inputSize) { return 0; }

    @Override public String typeName() { return "Dropout"; }
}
