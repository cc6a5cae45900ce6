package dev.clmlp.tensor;

import java.util.Locale;

/**
 * The losses of a regression, as Keras defines them, per element e = prediction - target:
 * <ul>
 * <li>{@code mse}: e^2;</li>
 * <li>{@code mae}: |e|;</li>
 * <li>{@code huber}: e^2 / 2 where |e| &lt;= delta, else delta (|e| - delta / 2).</li>
 * </ul>
 * A row's loss is the mean over its outputs, the batch's the mean over its rows.
 */
public enum RegressionLoss {
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    MAE,
    /** Huber: squared near zero, absolute beyond delta. */
    HUBER;

    /** Keras' default delta for the Huber loss. */
    public static final float HUBER_DELTA = 1f;

    /** @return the name as Keras and config.json spell it: mse, mae, huber */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    /**
     * @param name mse, mae or huber, in any case (Keras' long names too)
     * @return the loss
     * @throws IllegalArgumentException for another name
     */
    public static RegressionLoss named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mse", "mean_squared_error" -> MSE;
            case "mae", "mean_absolute_error" -> MAE;
            case "huber" -> HUBER;
            default -> throw new IllegalArgumentException("unknown regression loss '" + name + "': expected mse, mae or huber");
        };
    }
}
