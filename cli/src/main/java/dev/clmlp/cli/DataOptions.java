package dev.clmlp.cli;

import com.google.gson.JsonObject;
import dev.clmlp.data.Csv;
import dev.clmlp.data.Dataset;
import dev.clmlp.data.Mnist;
import dev.clmlp.data.Npy;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the data comes from, shared by the commands: MNIST (or Fashion-MNIST) IDX files from a
 * directory, $MNIST_DIR or the cache; or the user's own CSV, .npy or .npz file, with a
 * validation file or a held-out share of it.
 */
final class DataOptions {
    @Option(names = "--dataset", description = "mnist or fashion-mnist (default: mnist)")
    String dataset;

    @Option(names = "--data", paramLabel = "PATH",
            description = "a directory with the four IDX files (raw or .gz), else $MNIST_DIR / $FASHION_MNIST_DIR, else the cache (downloaded on first use); "
                    + "or your own data: a .csv file (one example per row, integer class labels in --label), an .npz archive (arrays x, y or x_train, y_train[, x_test, y_test]) or a features .npy with --labels")
    Path path;

    @Option(names = "--label", paramLabel = "COLUMN", description = "CSV: the label column, by header name or 0-based index (default: the column named 'label', else the last)")
    String label;

    @Option(names = "--labels", paramLabel = "FILE", description = ".npy: the labels array that goes with the features in --data")
    Path labels;

    @Option(names = "--val", paramLabel = "FILE", description = "own data: a validation file in the same format (default: hold out --val-split of --data)")
    Path val;

    @Option(names = "--val-split", paramLabel = "FRACTION", description = "own data: the share of --data held out for validation, shuffled with the seed (default: 0.2)")
    Double valSplit;

    boolean datasetGiven() { return dataset != null; }

    Mnist.Variant variant() { return Mnist.Variant.named(dataset != null ? dataset : "mnist"); }

    /** The formats of --data besides an IDX directory. */
    enum Format { CSV, NPY, NPZ }

    /** @return the format of --data, or null for IDX (MNIST) */
    Format format() { return path == null || Files.isDirectory(path) ? null : formatOf(path); }

    private static Format formatOf(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".csv") ? Format.CSV : n.endsWith(".npy") ? Format.NPY : n.endsWith(".npz") ? Format.NPZ : null;
    }

    /** @return a name for the data: the MNIST variant's, or the file's path */
    String name() { return format() == null ? variant().name() : path.toString(); }

    /** The usage errors of these options, found before any file is read. */
    void check() throws UsageError {
        try {
            variant();
        } catch (IllegalArgumentException e) {
            throw new UsageError("--dataset: " + e.getMessage());
        }
        if (path != null && !Files.exists(path)) throw new UsageError("--data " + path + ": no such file or directory");
        if (path != null && !Files.isDirectory(path) && formatOf(path) == null)
            throw new UsageError("--data " + path + ": expected a directory of IDX files, or a .csv, .npy or .npz file");
        Format f = format();
        if (f == null) {
            for (String o : new String[] {label != null ? "--label" : null, labels != null ? "--labels" : null, val != null ? "--val" : null,
                    valSplit != null ? "--val-split" : null})
                if (o != null) throw new UsageError(o + " is for your own data (--data FILE.csv, .npy or .npz); MNIST comes with its test set");
            if (path != null) {
                try {
                    Mnist.locate(variant(), path, msg -> { });
                } catch (IllegalArgumentException | IOException e) {
                    throw new UsageError(e.getMessage());
                }
            }
            return;
        }
        if (dataset != null) throw new UsageError("--dataset names MNIST or Fashion-MNIST; --data " + path + " is your own data");
        if (label != null && f != Format.CSV) throw new UsageError("--label is for CSV files; --data " + path + " is " + f.name().toLowerCase(Locale.ROOT));
        if ((f == Format.NPY) != (labels != null))
            throw new UsageError(f == Format.NPY ? "--data " + path + " holds the features only: give the labels with --labels FILE.npy"
                    : "--labels goes with a features .npy in --data");
        if (labels != null && !Files.isRegularFile(labels)) throw new UsageError("--labels " + labels + ": no such file");
        if (val != null && !Files.isRegularFile(val)) throw new UsageError("--val " + val + ": no such file");
        if (val != null && formatOf(val) != (f == Format.NPY ? Format.NPZ : f))
            throw new UsageError("--val " + val + ": expected a " + (f == Format.CSV ? ".csv" : ".npz") + " file like --data");
        if (val != null && valSplit != null) throw new UsageError("--val and --val-split: give one");
        if (valSplit != null && !(valSplit > 0 && valSplit < 1)) throw new UsageError("--val-split must be between 0 and 1, got " + valSplit);
    }

    /**
     * @param seed shuffles the held-out share of own data
     * @return training and validation data
     */
    Dataset.Split load(long seed) throws IOException {
        Format f = format();
        if (f == null) {
            Mnist.Split s = Mnist.load(variant(), path, msg -> System.err.println("clmlp: " + msg));
            return new Dataset.Split(s.train(), s.test());
        }
        Dataset.Split s = switch (f) {
            case CSV -> new Dataset.Split(Csv.read(path, label, 0), val != null ? Csv.read(val, label, 0) : null);
            case NPY -> new Dataset.Split(Npy.dataset(Npy.read(path), Npy.read(labels), 0, path.getFileName().toString()),
                    val != null ? Npy.npz(val, 0).train() : null);
            case NPZ -> {
                Dataset.Split own = Npy.npz(path, 0);
                yield val != null ? new Dataset.Split(own.train(), Npy.npz(val, 0).train()) : own;
            }
        };
        if (s.validation() != null && valSplit == null) {
            if (s.validation().features() != s.train().features())
                throw new DataFileException(val != null ? val : path, "validation data has " + s.validation().features()
                        + " features, the training data " + s.train().features());
            return s;
        }
        return s.train().holdOut(valSplit != null ? valSplit : 0.2, seed);
    }

    /**
     * Data to predict or evaluate with a model: the MNIST test set, or the whole of --data.
     *
     * @param features the model's input width
     * @param classes  the model's classes: labels must stay below
     * @param needLabels whether the data must have labels (evaluate) or may lack them (predict)
     */
    Dataset loadFor(int features, int classes, boolean needLabels) throws IOException {
        Format f = format();
        if (f == null) return Mnist.load(variant(), path, msg -> System.err.println("clmlp: " + msg)).test();
        Dataset d = switch (f) {
            case CSV -> needLabels ? Csv.read(path, label, classes) : Csv.readForModel(path, label, features, classes);
            case NPY -> Npy.dataset(Npy.read(path), labels != null ? Npy.read(labels) : null, classes, path.getFileName().toString());
            case NPZ -> Npy.npz(path, classes).train();
        };
        if (d.features() != features) throw new DataFileException(path, d.features() + " features per example, the model takes " + features);
        return d;
    }

    /** @return these options, for a checkpoint and run.json: --resume and report reload the same data */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("dataset", name());
        if (path != null) o.addProperty("data", path.toAbsolutePath().toString());
        if (label != null) o.addProperty("label", label);
        if (labels != null) o.addProperty("labels", labels.toAbsolutePath().toString());
        if (val != null) o.addProperty("val", val.toAbsolutePath().toString());
        if (valSplit != null) o.addProperty("val_split", valSplit);
        return o;
    }

    /** Takes the data a run was trained on (its {@link #toJson}), where the command line names none. */
    void resume(JsonFields o) throws UsageError {
        boolean own = o.has("data") && formatOf(Path.of(o.string("data"))) != null;
        if (path == null && o.has("data")) {
            path = Path.of(o.string("data"));
            if (own) {
                if (o.has("label")) label = o.string("label");
                if (o.has("labels")) labels = Path.of(o.string("labels"));
                if (o.has("val")) val = Path.of(o.string("val"));
                if (o.has("val_split")) valSplit = o.number("val_split");
            }
        }
        if (!own && dataset == null && format() == null) dataset = o.string("dataset");
        check();
    }
}
