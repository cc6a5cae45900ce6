package dev.clmlp.nn;

/** Callbacks of {@link Sequential#fit}, all on the thread that called fit. */
public interface TrainingListener {
    /**
     * @param epoch the epoch beginning, from 1
     * @param steps its number of steps
     */
    default void epochStarted(int epoch, int steps) {}

    /**
     * After a step; with syncEvery &gt; 0 the device has finished it.
     *
     * @param epoch the epoch, from 1
     * @param step  the step just done, from 0
     */
    default void stepDone(int epoch, int step) {}

    /**
     * @param stats the epoch's statistics
     * @param model the model, whose weights may be read here
     */
    default void epochEnded(History.Epoch stats, Sequential model) {}

    /**
     * A checked state to save: at the end of every epoch (after epochEnded) and every
     * FitOptions.checkpointEvery() steps. Its values are finite.
     *
     * @param state the state, which Checkpoint.write can store
     */
    default void checkpoint(TrainingState state) {}

    /** @return true to stop training at this step boundary, after a checkpoint; asked after every step */
    default boolean stopRequested() { return false; }
}
