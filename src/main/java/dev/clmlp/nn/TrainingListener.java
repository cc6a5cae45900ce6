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

    /**
     * After the last epoch, or after training stopped on request (not after an exception).
     *
     * @param model the model, whose weights may be read or replaced here
     */
    default void trainingEnded(Sequential model) {}

    /**
     * @param listeners listeners, in order
     * @return one listener that calls each of them in turn; it asks to stop when any of them does
     */
    static TrainingListener of(TrainingListener... listeners) {
        java.util.List<TrainingListener> all = java.util.List.of(listeners);
        return new TrainingListener() {
            @Override public void epochStarted(int epoch, int steps) { all.forEach(l -> l.epochStarted(epoch, steps)); }

            @Override public void stepDone(int epoch, int step) { all.forEach(l -> l.stepDone(epoch, step)); }

            @Override public void epochEnded(History.Epoch stats, Sequential model) { all.forEach(l -> l.epochEnded(stats, model)); }

            @Override public void checkpoint(TrainingState state) { all.forEach(l -> l.checkpoint(state)); }

            @Override public boolean stopRequested() { // asked after every step: a plain loop, no stream
                for (TrainingListener l : all) if (l.stopRequested()) return true;
                return false;
            }

            @Override public void trainingEnded(Sequential model) { all.forEach(l -> l.trainingEnded(model)); }
        };
    }
}
