package dev.clmlp.nn;

/**
 * Options of {@link Sequential#fit}: epochs, batch size, the seed of the per-epoch shuffles (and
 * dropout masks), how often to wait for the device so progress can be shown (0: only once per
 * epoch), and how often, in steps, to hand the listener a checkpoint within an epoch (0: only at
 * the end of each epoch).
 */
public record FitOptions(int epochs, int batchSize, long shuffleSeed, int syncEvery, int checkpointEvery) {
    /**
     * Checks the values.
     *
     * @param epochs          the number of epochs, at least 1
     * @param batchSize       examples per step, at least 1
     * @param shuffleSeed     the seed of the per-epoch shuffles
     * @param syncEvery       wait for the device every so many steps (0: once per epoch)
     * @param checkpointEvery hand the listener a state every so many steps (0: at epoch ends only)
     */
    public FitOptions {
        if (epochs <= 0) throw new IllegalArgumentException("fit: epochs must be positive, got " + epochs);
        if (batchSize <= 0) throw new IllegalArgumentException("fit: batch size must be positive, got " + batchSize);
        if (syncEvery < 0) throw new IllegalArgumentException("fit: syncEvery must be >= 0, got " + syncEvery);
        if (checkpointEvery < 0) throw new IllegalArgumentException("fit: checkpointEvery must be >= 0, got " + checkpointEvery);
    }

    /**
     * @param epochs      the number of epochs, at least 1
     * @param batchSize   examples per step, at least 1
     * @param shuffleSeed the seed of the per-epoch shuffles
     * @param syncEvery   wait for the device every so many steps (0: once per epoch)
     */
    public FitOptions(int epochs, int batchSize, long shuffleSeed, int syncEvery) { this(epochs, batchSize, shuffleSeed, syncEvery, 0); }

    /**
     * @param epochs      the number of epochs, at least 1
     * @param batchSize   examples per step, at least 1
     * @param shuffleSeed the seed of the per-epoch shuffles
     */
    public FitOptions(int epochs, int batchSize, long shuffleSeed) { this(epochs, batchSize, shuffleSeed, 0, 0); }
}
