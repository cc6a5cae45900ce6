package dev.clmlp.nn;

/** A layer of a {@link Sequential} model: {@link Dense} or {@link Dropout}. */
public sealed interface Layer permits Dense, Dropout {
    /**
     * @param inputSize the width of the layer's input
     * @return the width of its output
     */
    int outputSize(int inputSize);

    /**
     * @param inputSize the width of the layer's input
     * @return the number of its trainable parameters
     */
    long parameters(int inputSize);

    /** @return the Keras-style type name for summaries: "Dense", "Dropout" */
    String typeName();
}
