package dev.clmlp.cli;

import com.google.gson.JsonObject;
import dev.clmlp.data.Dataset;
import dev.clmlp.data.Mnist;
import dev.clmlp.data.Npy;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;
import dev.clmlp.nn.Sequential;
import dev.clmlp.table.Schema;
import dev.clmlp.table.Table;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--target", split = ",", paramLabel = "COLUMN",
            description = "CSV: the regression's target column(s), by header name or 0-based index (several: one output each)")
    List<String> targets;

    @Option(names = "--task", paramLabel = "TASK",
            description = "CSV: classification, regression or multilabel (default: multilabel for several --target columns of only 0 and 1, regression for other"
                    + " several columns or a label of real numbers, else classification)")
    String task;

    @Option(names = "--class-weight", paramLabel = "SPEC",
            description = "weigh each class in the training loss, as Keras' class_weight: balanced (n / (classes x count), scikit-learn's) or NAME=W,NAME=W,... (others 1)")
    String classWeight;

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
            for (String o : new String[] {label != null ? "--label" : null, targets != null ? "--target" : null, task != null ? "--task" : null,
                    labels != null ? "--labels" : null, val != null ? "--val" : null,
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
        for (String o : new String[] {targets != null ? "--target" : null, task != null ? "--task" : null})
            if (o != null && f != Format.CSV) throw new UsageError(o + " is for CSV files; --data " + path + " is " + f.name().toLowerCase(Locale.ROOT));
        if (targets != null && label != null) throw new UsageError("--label and --target: give one (--target for a regression's columns)");
        if (classWeight != null && !classWeight.equals("balanced") && !classWeight.matches("[^=,]+=[0-9.eE+-]+(,[^=,]+=[0-9.eE+-]+)*"))
            throw new UsageError("--class-weight: expected balanced or NAME=WEIGHT,NAME=WEIGHT,..., got '" + classWeight + "'");
        if (task != null) {
            try {
                Schema.Task.named(task);
            } catch (IllegalArgumentException e) {
                throw new UsageError("--task: " + e.getMessage());
            }
        }
        if (targets != null && targets.size() > 1 && "classification".equals(task))
            throw new UsageError("--task classification takes one label column; several --target columns train a regression");
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
     * Training and validation data, and for a CSV file the schema that encodes it.
     *
     * @param split the two parts
     * @param table how the table's columns became inputs and classes, or null for other formats
     */
    record Loaded(Dataset.Split split, Schema table) {}

    /**
     * @param seed  shuffles the held-out share of own data
     * @param known the schema of a model trained on this table (resume, report), or null to learn
     *              it from the training part
     * @return training and validation data
     */
    Loaded load(long seed, Schema known) throws IOException {
        Format f = format();
        if (f == null) {
            Mnist.Split s = Mnist.load(variant(), path, msg -> System.err.println("clmlp: " + msg));
            return new Loaded(new Dataset.Split(s.train(), s.test()), null);
        }
        if (f == Format.CSV) return loadTable(seed, known);
        Dataset.Split s = switch (f) {
            case NPY -> new Dataset.Split(Npy.dataset(Npy.read(path), Npy.read(labels), 0, path.getFileName().toString()),
                    val != null ? Npy.npz(val, 0).train() : null);
            default -> {
                Dataset.Split own = Npy.npz(path, 0);
                yield val != null ? new Dataset.Split(own.train(), Npy.npz(val, 0).train()) : own;
            }
        };
        if (s.validation() != null && valSplit == null) {
            if (s.validation().features() != s.train().features())
                throw new DataFileException(val != null ? val : path, "validation data has " + s.validation().features()
                        + " features, the training data " + s.train().features());
        } else {
            s = holdOut(s.train(), seed);
        }
        return new Loaded(ClassValues.name(s, val != null ? val : path), null);
    }

    private Dataset.Split holdOut(Dataset d, long seed) throws DataFileException {
        try {
            return d.holdOut(valSplit != null ? valSplit : 0.2, seed);
        } catch (IllegalArgumentException e) { // its cause's message without the data's name, which the file's path replaces
            throw new DataFileException(path, (e.getCause() != null ? e.getCause() : e).getMessage() + TOO_FEW);
        }
    }

    private static final String TOO_FEW = " (give more rows, another --val-split, or --val FILE)";

    /** A CSV file: the schema learned from the training part (a held-out share is split off first), then both parts encoded. */
    private Loaded loadTable(long seed, Schema known) throws IOException {
        Table all = Table.read(path);
        Table train = all, validation;
        if (val != null) {
            validation = Table.read(val);
        } else {
            int[][] parts;
            try {
                parts = Dataset.holdOutRows(all.rows(), valSplit != null ? valSplit : 0.2, seed);
            } catch (IllegalArgumentException e) {
                Schema.fit(all, targetColumns(all), task == null ? null : Schema.Task.named(task)); // a bad cell is the first thing to fix: named here if there is one
                throw new DataFileException(path, e.getMessage() + TOO_FEW);
            }
            train = all.select(parts[0], "training part");
            validation = all.select(parts[1], "held out");
        }
        Schema schema = known != null ? known : Schema.fit(train, targetColumns(train), task == null ? null : Schema.Task.named(task));
        return new Loaded(new Dataset.Split(schema.encode(train, true), schema.encode(validation, true)), schema);
    }

    /**
     * The weights --class-weight gives the classes of training data.
     *
     * @param train the training data (classes)
     * @param model the model, for the classes' names
     * @return one weight per class, or null without --class-weight
     */
    float[] classWeights(Dataset train, Sequential model) throws UsageError {
        if (classWeight == null) return null;
        if (train.hasTargets()) throw new UsageError("--class-weight weighs classes; " + train.name() + " has targets");
        int k = model.classes();
        float[] w = new float[k];
        java.util.Arrays.fill(w, 1f);
        if (classWeight.equals("balanced")) { // scikit-learn's: n / (k * count)
            int[] count = new int[k];
            for (int y : train.labels()) count[y]++;
            for (int c = 0; c < k; c++) if (count[c] > 0) w[c] = (float) (train.rows() / ((double) k * count[c]));
            return w;
        }
        for (String pair : classWeight.split(",")) {
            String name = pair.substring(0, pair.lastIndexOf('=')), value = pair.substring(pair.lastIndexOf('=') + 1);
            int c = 0;
            while (c < k && !model.className(c).equals(name)) c++;
            if (c == k) throw new UsageError("--class-weight: no class '" + name + "'; the classes are " + String.join(", ", java.util.stream.IntStream.range(0, k).mapToObj(model::className).toList()));
            try {
                w[c] = Float.parseFloat(value);
            } catch (NumberFormatException e) {
                throw new UsageError("--class-weight: " + name + "'s weight '" + value + "' is not a number");
            }
            if (!(w[c] > 0 && Float.isFinite(w[c]))) throw new UsageError("--class-weight: " + name + "'s weight must be positive, got " + value);
        }
        return w;
    }

    /** The label column (--label, or the default), or the --target columns. */
    private int[] targetColumns(Table t) throws DataFileException {
        if (targets == null) return new int[] {t.labelColumn(label)};
        int[] cols = new int[targets.size()];
        for (int i = 0; i < cols.length; i++) cols[i] = t.column(targets.get(i));
        return cols;
    }

    /**
     * Data to predict or evaluate with a model: the MNIST test set, or the whole of --data.
     *
     * @param model      the model: its input width, classes and schema
     * @param needLabels whether the data must have labels (evaluate) or may lack them (predict)
     */
    Dataset loadFor(Sequential model, boolean needLabels) throws IOException, UsageError {
        Format f = format();
        if (f == null) return Mnist.load(variant(), path, msg -> System.err.println("clmlp: " + msg)).test();
        if (f == Format.CSV) {
            Table t = Table.read(path);
            Schema schema = model.table();
            if (schema == null) throw new DataFileException(path, "the model was not trained on a table (CSV): give data in its format");
            if (label != null || targets != null)
                throw new UsageError((label != null ? "--label" : "--target") + ": the model reads its " + (schema.regression() ? "targets" : "label column") + " "
                        + String.join(", ", schema.targets().stream().map(Schema.Source::describe).toList()) + " as in training");
            return schema.encode(t, needLabels);
        }
        Dataset d = switch (f) {
            case NPY -> Npy.dataset(Npy.read(path), labels != null ? Npy.read(labels) : null, 0, path.getFileName().toString());
            default -> Npy.npz(path, 0).train();
        };
        if (d.features() != model.inputSize())
            throw new DataFileException(path, d.features() + " features per example, the model takes " + model.inputSize());
        return d.labeled() ? ClassValues.asModel(d, model, path) : d;
    }

    /**
     * @return these options, for a checkpoint and run.json: --resume and report reload the same
     *         data, and check by size and SHA-256 that own data files have not changed
     */
    JsonObject toJson() throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("dataset", name());
        if (path != null) o.addProperty("data", path.toAbsolutePath().toString());
        if (label != null) o.addProperty("label", label);
        if (targets != null) o.addProperty("target", String.join(",", targets));
        if (task != null) o.addProperty("task", task);
        if (classWeight != null) o.addProperty("class_weight", classWeight);
        if (labels != null) o.addProperty("labels", labels.toAbsolutePath().toString());
        if (val != null) o.addProperty("val", val.toAbsolutePath().toString());
        if (valSplit != null) o.addProperty("val_split", valSplit);
        if (format() != null) {
            JsonObject prints = new JsonObject();
            for (Path p : ownFiles()) prints.addProperty(p.toAbsolutePath().toString(), fingerprint(p));
            o.add("fingerprints", prints);
        }
        return o;
    }

    /** The files of own data: --data, --labels and --val, those given. */
    private List<Path> ownFiles() {
        List<Path> files = new java.util.ArrayList<>(List.of(path));
        if (labels != null) files.add(labels);
        if (val != null) files.add(val);
        return files;
    }

    /** "size:SHA-256" of a file: what a resumed run checks it was trained on. */
    private static String fingerprint(Path file) throws IOException {
        try (var in = new java.security.DigestInputStream(Files.newInputStream(file), java.security.MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return Files.size(file) + ":" + java.util.HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Takes the data a run was trained on (its {@link #toJson}), where the command line names none. */
    void resume(JsonFields o) throws UsageError, IOException {
        boolean own = o.has("data") && formatOf(Path.of(o.string("data"))) != null;
        if (path == null && o.has("data")) {
            path = Path.of(o.string("data"));
            if (own) {
                if (o.has("label")) label = o.string("label");
                if (o.has("target")) targets = List.of(o.string("target").split(","));
                if (o.has("task")) task = o.string("task");
                if (o.has("class_weight")) classWeight = o.string("class_weight");
                if (o.has("labels")) labels = Path.of(o.string("labels"));
                if (o.has("val")) val = Path.of(o.string("val"));
                if (o.has("val_split")) valSplit = o.number("val_split");
            }
        }
        if (!own && dataset == null && format() == null) dataset = o.string("dataset");
        check();
        if (own && o.has("fingerprints")) {
            JsonFields prints = o.object("fingerprints");
            for (Path p : ownFiles()) {
                String key = p.toAbsolutePath().toString();
                if (!prints.has(key)) continue;
                String then = prints.string(key), now = fingerprint(p);
                if (!then.equals(now))
                    throw new DataFileException(p, "changed since the run started (" + describe(then) + " then, " + describe(now)
                            + " now): its split, scaling and inputs would not be the run's; restore the file, or start a new run");
            }
        }
    }

    private static String describe(String fingerprint) {
        String[] f = fingerprint.split(":");
        return String.format(Locale.ROOT, "%,d bytes, SHA-256 %s...", Long.parseLong(f[0]), f[1].substring(0, 12));
    }
}
