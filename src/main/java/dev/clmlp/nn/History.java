package dev.clmlp.nn;

import dev.clmlp.io.AtomicFiles;
import dev.clmlp.io.DataFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Per-epoch training metrics, as Keras' History. */
public final class History {
    /**
     * One epoch; validation values are NaN when no validation data was given. A regression's
     * epoch has NaN accuracies and its errors in {@code errors}.
     *
     * @param epoch       from 1
     * @param loss        the training loss (the mean over the epoch's examples)
     * @param accuracy    the training accuracy (a classifier's)
     * @param valLoss     the validation loss
     * @param valAccuracy the validation accuracy (a classifier's)
     * @param seconds     the epoch's wall time, validation included
     * @param errors      a regression's errors, null for a classifier
     */
    public record Epoch(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds, Errors errors) {
        /**
         * A classifier's epoch.
         *
         * @param epoch       from 1
         * @param loss        the training loss
         * @param accuracy    the training accuracy
         * @param valLoss     the validation loss
         * @param valAccuracy the validation accuracy
         * @param seconds     the epoch's wall time
         */
        public Epoch(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds) {
            this(epoch, loss, accuracy, valLoss, valAccuracy, seconds, null);
        }

        /**
         * A regression's epoch.
         *
         * @param epoch   from 1
         * @param loss    the training loss
         * @param valLoss the validation loss
         * @param seconds the epoch's wall time
         * @param errors  the training MAE and the validation MAE, RMSE and R^2
         * @return the epoch
         */
        public static Epoch regression(int epoch, double loss, double valLoss, double seconds, Errors errors) {
            return new Epoch(epoch, loss, Double.NaN, valLoss, Double.NaN, seconds, errors);
        }

        /** @return the values after the epoch number, in history.csv's order */
        public double[] values() {
            return errors == null ? new double[] {loss, accuracy, valLoss, valAccuracy, seconds}
                    : new double[] {loss, errors.mae(), valLoss, errors.valMae(), errors.valRmse(), errors.valR2(), seconds};
        }

        /**
         * @param epoch  from 1
         * @param values what {@link #values()} gave: 5 (a classifier's) or 7 (a regression's)
         * @return the epoch
         */
        public static Epoch of(int epoch, double[] values) {
            double[] v = values;
            if (v.length == 5) return new Epoch(epoch, v[0], v[1], v[2], v[3], v[4]);
            if (v.length == 7) return regression(epoch, v[0], v[2], v[6], new Errors(v[1], v[3], v[4], v[5]));
            throw new IllegalArgumentException("an epoch has 5 values (a classifier's) or 7 (a regression's), got " + v.length);
        }

        /** @return the values as the epoch line shows them: "loss 0.1234  accuracy 0.9650  val_loss ..." (seconds left out) */
        public String summary() {
            List<String> names = metricNames(errors != null);
            double[] v = values();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < names.size(); i++) sb.append(i == 0 ? "" : "  ").append(names.get(i)).append(String.format(Locale.ROOT, " %.4f", v[i]));
            return sb.toString();
        }

        /** @return the epoch as a line of history.csv, without the newline */
        public String csv() {
            StringBuilder sb = new StringBuilder().append(epoch);
            double[] v = values();
            for (int i = 0; i < v.length; i++) sb.append(String.format(Locale.ROOT, i == v.length - 1 ? ",%.4f" : ",%.6f", v[i]));
            return sb.toString();
        }
    }

    /**
     * A regression's errors in an epoch.
     *
     * @param mae    the training mean absolute error
     * @param valMae the validation mean absolute error
     * @param valRmse the validation root mean squared error
     * @param valR2  the validation coefficient of determination (scikit-learn's r2_score, averaged over outputs)
     */
    public record Errors(double mae, double valMae, double valRmse, double valR2) {}

    /** The first line of history.csv. */
    public static final String CSV_HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,seconds";
    /** The first line of a regression's history.csv. */
    public static final String REGRESSION_CSV_HEADER = "epoch,loss,mae,val_loss,val_mae,val_rmse,val_r2,seconds";

    /**
     * @param regression a regression's or a classifier's
     * @return the names of an epoch's {@link Epoch#values()}, seconds left out: loss, accuracy,
     *         val_loss, val_accuracy; or loss, mae, val_loss, val_mae, val_rmse, val_r2
     */
    public static List<String> metricNames(boolean regression) {
        List<String> names = List.of((regression ? REGRESSION_CSV_HEADER : CSV_HEADER).split(","));
        return names.subList(1, names.size() - 1);
    }

    private final boolean regression;

    /** A classifier's history. */
    public History() { this(false); }

    /** @param regression whether the epochs are a regression's */
    public History(boolean regression) { this.regression = regression; }

    /** @return whether the epochs are a regression's */
    public boolean regression() { return regression; }

    private final List<Epoch> epochs = new ArrayList<>();

    void add(Epoch e) { epochs.add(e); }

    /** @return the epochs so far, in order, unmodifiable */
    public List<Epoch> epochs() { return Collections.unmodifiableList(epochs); }

    /** @return the last epoch */
    public Epoch last() { return epochs.get(epochs.size() - 1); }

    /** @return history.csv's text: the header and a line per epoch */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(regression ? REGRESSION_CSV_HEADER : CSV_HEADER).append('\n');
        for (Epoch e : epochs) sb.append(e.csv()).append('\n');
        return sb.toString();
    }

    /**
     * @param file where to write {@link #toCsv()}, atomically
     */
    public void writeCsv(Path file) { AtomicFiles.write(file, toCsv().getBytes(StandardCharsets.UTF_8)); }

    /**
     * @param file a history.csv that {@link #writeCsv} wrote
     * @return its epochs
     * @throws DataFileException naming the line and column that is not what writeCsv writes
     */
    public static History readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String first = lines.isEmpty() ? null : lines.get(0);
        if (first == null || !first.equals(CSV_HEADER) && !first.equals(REGRESSION_CSV_HEADER))
            throw new DataFileException(file, "line 1: expected the header " + CSV_HEADER + " (or a regression's " + REGRESSION_CSV_HEADER + "), found "
                    + (first == null ? "an empty file" : first));
        History h = new History(first.equals(REGRESSION_CSV_HEADER));
        String[] names = first.split(",");
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split(",", -1);
            if (f.length != names.length)
                throw new DataFileException(file, "line " + (i + 1) + ": expected " + names.length + " values, found " + f.length);
            double[] v = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                try {
                    v[j] = Double.parseDouble(f[j]);
                } catch (NumberFormatException e) {
                    throw new DataFileException(file, "line " + (i + 1) + ", column '" + names[j] + "': expected a number, found \"" + f[j] + "\"");
                }
            }
            h.add(Epoch.of((int) v[0], java.util.Arrays.copyOfRange(v, 1, v.length)));
        }
        return h;
    }
}
