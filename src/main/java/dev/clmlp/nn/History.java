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
    /** One epoch; validation values are NaN when no validation data was given. */
    public record Epoch(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds) {
        /** @return the epoch as a line of history.csv, without the newline */
        public String csv() {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.4f", epoch, loss, accuracy, valLoss, valAccuracy, seconds);
        }
    }

    /** The first line of history.csv. */
    public static final String CSV_HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,seconds";

    private final List<Epoch> epochs = new ArrayList<>();

    void add(Epoch e) { epochs.add(e); }

    /** @return the epochs so far, in order, unmodifiable */
    public List<Epoch> epochs() { return Collections.unmodifiableList(epochs); }

    /** @return the last epoch */
    public Epoch last() { return epochs.get(epochs.size() - 1); }

    /** @return history.csv's text: the header and a line per epoch */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
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
        if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER))
            throw new DataFileException(file, "line 1: expected the header " + CSV_HEADER + ", found " + (lines.isEmpty() ? "an empty file" : lines.get(0)));
        History h = new History();
        String[] names = CSV_HEADER.split(",");
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
            h.add(new Epoch((int) v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        return h;
    }
}
