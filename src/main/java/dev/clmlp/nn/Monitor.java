package dev.clmlp.nn;

import java.util.Locale;

/**
 * A quantity of {@link History.Epoch} watched by {@link EarlyStopping} and
 * {@link ModelCheckpoint}: "val_loss" (the default), "val_accuracy", "loss" or "accuracy".
 * Losses improve downwards, accuracies upwards, by more than minDelta.
 *
 * @param name     the quantity's name, as in history.csv
 * @param minDelta the smallest change that counts as an improvement, at least 0
 */
public record Monitor(String name, double minDelta) {
    /**
     * Checks the name and minDelta.
     *
     * @param name     the quantity's name
     * @param minDelta the smallest change that counts, at least 0
     */
    public Monitor {
        name = name.toLowerCase(Locale.ROOT);
        if (!name.matches("(val_)?(loss|accuracy)"))
            throw new IllegalArgumentException("monitor: unknown quantity '" + name + "': expected val_loss, val_accuracy, loss or accuracy");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("monitor: minDelta must be >= 0, got " + minDelta);
    }

    /**
     * @param e an epoch's statistics
     * @return the watched quantity (NaN for a validation quantity without validation data)
     */
    public double value(History.Epoch e) {
        return switch (name) {
            case "loss" -> e.loss();
            case "accuracy" -> e.accuracy();
            case "val_loss" -> e.valLoss();
            default -> e.valAccuracy();
        };
    }

    /**
     * @param value a new value
     * @param best  the best so far (NaN before the first)
     * @return whether value improves on best by more than minDelta
     */
    public boolean improves(double value, double best) {
        if (Double.isNaN(value)) return false;
        if (Double.isNaN(best)) return true;
        return name.endsWith("loss") ? value < best - minDelta : value > best + minDelta;
    }
}
