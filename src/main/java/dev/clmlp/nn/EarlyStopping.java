package dev.clmlp.nn;

/**
 * Stops training when the monitored quantity has not improved for {@code patience} epochs, as
 * Keras' EarlyStopping. With restoreBestWeights, the weights of the best epoch are put back when
 * it stops training (Keras restores only then too; a run that reaches its last epoch keeps the
 * last weights). Use one instance per fit.
 */
public final class EarlyStopping implements TrainingListener {
    private final Monitor monitor;
    private final int patience;
    private final boolean restoreBestWeights;
    private double best = Double.NaN;
    private int bestEpoch, wait, stoppedEpoch;
    private float[] bestWeights;

    /**
     * @param monitor            what to watch
     * @param patience           epochs without improvement before stopping, at least 1
     * @param restoreBestWeights whether to put back the best epoch's weights when stopping
     */
    public EarlyStopping(Monitor monitor, int patience, boolean restoreBestWeights) {
        if (patience < 1) throw new IllegalArgumentException("early stopping: patience must be at least 1 epoch, got " + patience);
        this.monitor = monitor;
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
    }

    @Override public void epochEnded(History.Epoch e, Sequential model) {
        double v = monitor.value(e);
        if (monitor.improves(v, best)) {
            best = v;
            bestEpoch = e.epoch();
            wait = 0;
            if (restoreBestWeights) bestWeights = model.parameterValues();
        } else if (++wait >= patience && stoppedEpoch == 0) {
            stoppedEpoch = e.epoch();
        }
    }

    @Override public boolean stopRequested() { return stoppedEpoch > 0; }

    @Override public void trainingEnded(Sequential model) {
        if (stoppedEpoch > 0 && restoreBestWeights && bestWeights != null) model.setParameterValues(bestWeights);
    }

    /** @return the epoch after which it stopped training, or 0 if it did not */
    public int stoppedEpoch() { return stoppedEpoch; }

    /** @return the epoch with the best value of the monitored quantity, or 0 before any */
    public int bestEpoch() { return bestEpoch; }

    /** @return that best value, or NaN before any */
    public double best() { return best; }
}
