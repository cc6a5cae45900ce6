package dev.clmlp.nn;

/** Callbacks of {@link Sequential#fit}, all on the thread that called fit. */
public interface TrainingListener {
    default void epochStarted(int epoch, int steps) {}

    /** After step (0-based) of an epoch; with syncEvery > 0 the device has finished it. */
    default void stepDone(int epoch, int step) {}

    default void epochEnded(History.Epoch stats, Sequential model) {}

    /**
     * A checked state to save: at the end of every epoch (after epochEnded) and every
     * FitOptions.checkpointEvery() steps. Its values are finite.
     */
    default void checkpoint(TrainingState state) {}

    /** Asked after every step: true stops training at this step boundary, after a checkpoint. */
    default boolean stopRequested() { return false; }
}
