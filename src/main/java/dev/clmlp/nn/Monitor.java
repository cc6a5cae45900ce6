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
        if (!name.matches("(val_)?(loss|accuracy|mae)|val_(rmse|r2)"))
            throw new IllegalArgumentException("monitor: unknown quantity '" + name + "': expected val_loss, val_accuracy, loss or accuracy"
                    + " (a regression's: val_mae, val_rmse, val_r2, mae)");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("monitor: minDelta must be >= 0, got " + minDelta);
    }

    /**
     * @param e an epoch's statistics
     * @return the watched quantity (NaN for a validation quantity without validation data)
     */
    public double value(History.Epoch e) {
        History.Errors r = e.errors();
        return switch (name) {
            case "loss" -> e.loss();
            case "accuracy" -> e.accuracy();
            case "val_loss" -> e.valLoss();
            case "val_accuracy" -> e.valAccuracy();
            case "mae" -> r == null ? Double.NaN : r.mae();
            case "val_mae" -> r == null ? Double.NaN : r.valMae();
            case "val_rmse" -> r == null ? Double.NaN : r.valRmse();
            default -> r == null ? Double.NaN : r.valR2();
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
        boolean lower = name.endsWith("loss") || name.endsWith("mae") || name.endsWith("rmse"); // errors fall, accuracy and R^2 rise
        return lower ? value < best - minDelta : value > best + minDelta;
    }
}
