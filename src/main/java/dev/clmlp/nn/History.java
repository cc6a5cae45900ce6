package dev.clmlp.nn;

import dev.clmlp.io.AtomicFiles;

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
}
