package dev.clmlp.nn;

/**
 * Training produced NaN or infinity: in the loss of a step, or in weights, gradients or optimizer
 * state, found at a checkpoint or an epoch's end. Steps are 1-based within the epoch; the fault
 * arose in [firstStep, lastStep]. The command line exits with code 4 and keeps the last good
 * checkpoint.
 */
public final class TrainingDivergedException extends RuntimeException {
    /** The epoch, and the range of its steps (from 1) in which the fault arose. */
    private final int epoch, firstStep, lastStep;

    /**
     * @param epoch     the epoch, from 1
     * @param firstStep the first step of the epoch that may have caused it, from 1
     * @param lastStep  the last such step
     * @param steps     the steps of an epoch
     * @param what      what is not finite, and where
     */
    public TrainingDivergedException(int epoch, int firstStep, int lastStep, int steps, String what) {
        super("training diverged in epoch " + epoch + ", " + (firstStep == lastStep ? "step " + firstStep
                : "steps " + firstStep + "-" + lastStep) + " of " + steps + ": " + what
                + " (a smaller learning rate usually helps)");
        this.epoch = epoch;
        this.firstStep = firstStep;
        this.lastStep = lastStep;
    }

    private TrainingDivergedException(String message, int epoch, int firstStep, int lastStep) {
        super(message);
        this.epoch = epoch;
        this.firstStep = firstStep;
        this.lastStep = lastStep;
    }

    /**
     * @param note a sentence to add (what the caller kept, say)
     * @return the same fault with the sentence added to its message
     */
    public TrainingDivergedException withNote(String note) {
        TrainingDivergedException e = new TrainingDivergedException(getMessage() + "; " + note, epoch, firstStep, lastStep);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** @return the epoch, from 1 */
    public int epoch() { return epoch; }

    /** @return the first step that may have caused it, from 1 */
    public int firstStep() { return firstStep; }

    /** @return the last step that may have caused it */
    public int lastStep() { return lastStep; }
}
