package dev.clmlp.nn;

/** Callbacks of {@link Sequential#fit}. */
public interface TrainingListener {
    default void epochStarted(int epoch, int steps) {}

    /** After step (0-based) of an epoch; with syncEvery > 0 the device has finished it. */
    default void stepDone(int epoch, int step) {}

    default void epochEnded(History.Epoch stats, Sequential model) {}
}
