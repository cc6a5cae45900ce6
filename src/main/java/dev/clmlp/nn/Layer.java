package dev.clmlp.nn;

/** A layer of a {@link Sequential} model: {@link Dense} or {@link Dropout}. */
public sealed interface Layer permits Dense, Dropout {
    /** Output width given the input width. */
    int outputSize(int inputSize);

    /** Number of trainable parameters given the input width. */
    long parameters(int inputSize);

    /** Keras-style type name for summaries: "Dense", "Dropout". */
    String typeName();
}
