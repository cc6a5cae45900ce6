package dev.clmlp.nn;

import java.nio.file.Path;

/**
 * Saves the model into a directory (config.json + model.safetensors, {@link Sequential#save})
 * after each epoch, or with saveBestOnly only after an epoch that improved the monitored
 * quantity, as Keras' ModelCheckpoint.
 */
public final class ModelCheckpoint implements TrainingListener {
    private final Path dir;
    private final Monitor monitor;
    private final boolean saveBestOnly;
    private double best = Double.NaN;
    private int savedEpoch;

    /**
     * @param dir          where to save; {@link Sequential#load} reads it back
     * @param monitor      what improves
     * @param saveBestOnly whether to save only after an improving epoch
     */
    public ModelCheckpoint(Path dir, Monitor monitor, boolean saveBestOnly) {
        this.dir = dir;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
    }

    @Override public void epochEnded(History.Epoch e, Sequential model) {
        double v = monitor.value(e);
        boolean better = monitor.improves(v, best);
        if (better) best = v;
        if (better || !saveBestOnly) {
            model.save(dir);
            savedEpoch = e.epoch();
        }
    }

    /** @return the epoch last saved, or 0 */
    public int savedEpoch() { return savedEpoch; }
}
