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
        public String csv() {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.4f", epoch, loss, accuracy, valLoss, valAccuracy, seconds);
        }
    }

    public static final String CSV_HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,seconds";

    private final List<Epoch> epochs = new ArrayList<>();

    void add(Epoch e) { epochs.add(e); }

    public List<Epoch> epochs() { return Collections.unmodifiableList(epochs); }

    public Epoch last() { return epochs.get(epochs.size() - 1); }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Epoch e : epochs) sb.append(e.csv()).append('\n');
        return sb.toString();
    }

    public void writeCsv(Path file) { AtomicFiles.write(file, toCsv().getBytes(StandardCharsets.UTF_8)); }
}
