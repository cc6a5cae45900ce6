package dev.clmlp.data;

import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Examples (rows x features) with integer class labels, or for a regression real-valued targets
 * ({@link #ofTargets}), held on the host either as uint8 pixels (scaled to [0,1] when gathered
 * into a batch) or as float32 features. A dataset read for prediction may have no labels
 * ({@link #labeled()} false, {@link #classes()} 0).
 */
public final class Dataset {
    private final String name;
    private final int rows, features, classes;
    private final byte[] pixels;
    private final float[] values;
    private final int[] labels;
    private List<String> classNames; // null: the classes are the numbers 0 .. classes-1
    private float[] targets; // a regression's: rows x outputs, row-major; null for classes
    private int outputs;

    private Dataset(String name, int rows, int features, byte[] pixels, float[] values, int[] labels, int classes) {
        if (labels == null) labels = new int[rows]; // unlabeled: class 0 on the device, never read back
        else if (classes < 1) throw new IllegalArgumentException(name + ": labeled data needs at least 1 class, got " + classes);
        if (labels.length != rows)
            throw new IllegalArgumentException(name + ": " + rows + " examples but " + labels.length + " labels");
        for (int i = 0; i < rows && classes > 0; i++)
            if (labels[i] < 0 || labels[i] >= classes)
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i + " outside [0, " + classes + ")");
        this.name = name;
        this.rows = rows;
        this.features = features;
        this.pixels = pixels;
        this.values = values;
        this.labels = labels;
        this.classes = classes;
    }

    /**
     * A dataset of unsigned 8-bit pixels; value / 255 is the feature. The arrays are kept, not copied.
     *
     * @param name     for messages
     * @param pixels   rows * features bytes, row-major
     * @param rows     the number of examples
     * @param features the width of an example
     * @param labels   one class per example, each in [0, classes)
     * @param classes  the number of classes
     * @return the dataset
     */
    public static Dataset ofPixels(String name, byte[] pixels, int rows, int features, int[] labels, int classes) {
        if (pixels.length != (long) rows * features)
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixels, expected " + rows + "x" + features);
        return new Dataset(name, rows, features, pixels, null, labels, classes);
    }

    /**
     * A dataset of float features (your own data, not images). The arrays are kept, not copied.
     *
     * @param name     for messages
     * @param values   rows * features floats, row-major
     * @param rows     the number of examples
     * @param features the width of an example
     * @param labels   one class per example, each in [0, classes)
     * @param classes  the number of classes
     * @return the dataset
     */
    public static Dataset ofFloats(String name, float[] values, int rows, int features, int[] labels, int classes) {
        if (values.length != (long) rows * features)
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + rows + "x" + features);
        return new Dataset(name, rows, features, null, values, labels, classes);
    }

    /**
     * A dataset for a regression (real-valued targets) or a multi-label model (0/1 targets): float features and targets. The arrays are kept, not copied.
     *
     * @param name     for messages
     * @param values   rows * features floats, row-major
     * @param rows     the number of examples
     * @param features the width of an example
     * @param targets  rows * outputs floats, row-major, each finite
     * @param outputs  the targets per example
     * @return the dataset, with {@link #hasTargets()} true and {@link #classes()} 0
     */
    public static Dataset ofTargets(String name, float[] values, int rows, int features, float[] targets, int outputs) {
        if (values.length != (long) rows * features)
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + rows + "x" + features);
        if (outputs < 1 || targets.length != (long) rows * outputs)
            throw new IllegalArgumentException(name + ": " + targets.length + " targets, expected " + rows + "x" + outputs);
        for (int i = 0; i < targets.length; i++)
            if (!Float.isFinite(targets[i])) throw new IllegalArgumentException(name + ": target " + targets[i] + " of example " + i / outputs);
        return new Dataset(name, rows, features, null, values, null, 0).withTargets(targets, outputs);
    }

    private Dataset withTargets(float[] t, int k) {
        targets = t;
        outputs = k;
        return this;
    }

    /** @return whether the examples have float targets (a regression's, or a multi-label model's 0/1) rather than classes */
    public boolean hasTargets() { return targets != null; }

    /** @return the model outputs the data needs: its targets per example, or its classes */
    public int outputs() { return targets != null ? outputs : classes; }

    /** @return a copy of the targets, rows x outputs, row-major */
    public float[] targets() {
        if (targets == null) throw new IllegalStateException(name + " has classes, not targets");
        return targets.clone();
    }

    /**
     * @param targets new targets, rows x {@link #outputs()}, row-major, each finite (kept, not copied)
     * @return the same examples with these targets (the features shared)
     */
    public Dataset withTargets(float[] targets) {
        if (this.targets == null) throw new IllegalStateException(name + " has classes, not targets");
        if (targets.length != this.targets.length)
            throw new IllegalArgumentException(name + ": " + targets.length + " targets, expected " + rows + "x" + outputs);
        return new Dataset(name, rows, features, pixels, values, null, 0).withTargets(targets, outputs);
    }

    /**
     * @return the labels of a dataset of at most two classes as 0/1 targets (rows x 1), for a
     *         binary model's one sigmoid output; the features shared
     * @throws IllegalStateException when it has no labels, targets, or more than two classes
     */
    public Dataset labelsAsTargets() {
        if (!labeled() || targets != null || classes > 2)
            throw new IllegalStateException(name + ": only the labels of two classes are 0/1 targets, it has " + (targets != null ? "targets" : classes + " classes"));
        float[] t = new float[rows];
        for (int i = 0; i < rows; i++) t[i] = labels[i];
        return new Dataset(name, rows, features, pixels, values, null, 0).withTargets(t, 1);
    }

    /**
     * A dataset of float features without labels, to predict. The array is kept, not copied.
     *
     * @param name     for messages
     * @param values   rows * features floats, row-major
     * @param rows     the number of examples
     * @param features the width of an example
     * @return the dataset, with {@link #classes()} 0
     */
    public static Dataset unlabeled(String name, float[] values, int rows, int features) {
        if (values.length != (long) rows * features)
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + rows + "x" + features);
        return new Dataset(name, rows, features, null, values, null, 0);
    }

    /**
     * A label read from a file, for the readers of CSV and NumPy data.
     *
     * @param v       the value read (NaN when it was not a number)
     * @param classes labels must stay below this, or 0 for no bound
     * @param found   the value as the message shows it
     * @return v as a class
     * @throws IllegalArgumentException saying what is wrong, when v is not a whole number from 0, or not below classes
     */
    static int classOf(double v, int classes, String found) {
        if (!(v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE))
            throw new IllegalArgumentException("expected an integer class label 0 or more, found " + found);
        if (classes > 0 && v >= classes)
            throw new IllegalArgumentException("class " + (long) v + " is outside the " + classes + " classes (0 to " + (classes - 1) + ")");
        return (int) v;
    }

    /**
     * Integer labels from one-hot rows (rows x classes): each row must hold a single 1 and
     * otherwise zeros.
     *
     * @param oneHot  rows x classes, row-major
     * @param rows    the number of rows
     * @param classes the number of classes
     * @return the column of the 1 in each row
     */
    public static int[] labelsFromOneHot(float[] oneHot, int rows, int classes) {
        if (oneHot.length != (long) rows * classes)
            throw new IllegalArgumentException("one-hot labels: " + oneHot.length + " values, expected " + rows + "x" + classes);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            int hot = -1;
            for (int c = 0; c < classes; c++) {
                float v = oneHot[r * classes + c];
                if (v == 1f && hot < 0) hot = c;
                else if (v != 0f)
                    throw new IllegalArgumentException("one-hot labels: row " + r + " is not one-hot (value " + v + " in column " + c + ")");
            }
            if (hot < 0) throw new IllegalArgumentException("one-hot labels: row " + r + " has no 1");
            labels[r] = hot;
        }
        return labels;
    }

    /** @return whether the features are 8-bit pixels ({@link #ofPixels}) rather than floats */
    public boolean hasPixels() { return pixels != null; }

    /** @return the name given at creation */
    public String name() { return name; }

    /** @return the number of examples */
    public int rows() { return rows; }

    /** @return the width of an example */
    public int features() { return features; }

    /** @return the number of classes (one more than the largest label), 0 for unlabeled data */
    public int classes() { return classes; }

    /**
     * @param names one name per class, in class order (the classes read from a file: "setosa", or
     *              "1000" for a label 1000 that became class 2); null, or the numbers "0" .. themselves,
     *              for the numbers 0 .. classes-1
     * @return this dataset with those names (the arrays shared)
     */
    public Dataset withClassNames(List<String> names) {
        if (targets != null) throw new IllegalStateException(name + " has targets, not classes");
        if (names != null && names.size() != classes)
            throw new IllegalArgumentException(name + ": " + names.size() + " class names for " + classes + " classes");
        return new Dataset(name, rows, features, pixels, values, labeled() ? labels : null, classes).named(customNames(names));
    }

    /**
     * @param names class names, or null
     * @return a copy of them, or null when there are none or they are the numbers 0 .. n-1 themselves
     */
    public static List<String> customNames(List<String> names) {
        if (names == null) return null;
        for (int c = 0; c < names.size(); c++) if (!names.get(c).equals(Integer.toString(c))) return List.copyOf(names);
        return null;
    }

    /** @return the classes' names, or null when they are the numbers 0 .. classes-1 */
    public List<String> classNames() { return classNames; }

    /** @return whether the examples have labels: classes, or a regression's targets */
    public boolean labeled() { return classes > 0 || targets != null; }

    /**
     * @param row an example
     * @return its class
     */
    public int label(int row) { requireLabels(); return labels[row]; }

    /** @return a copy of every example's class */
    public int[] labels() { requireLabels(); return labels.clone(); }

    private void requireLabels() {
        if (classes == 0) throw new IllegalStateException(name + (targets != null ? " has targets, not classes" : " has no labels"));
    }

    /**
     * @param row an example
     * @return its features as floats (pixels scaled to [0,1] exactly as on the device)
     */
    public float[] example(int row) {
        float[] x = new float[features];
        for (int j = 0; j < features; j++)
            x[j] = pixels != null ? (pixels[row * features + j] & 0xFF) * (1f / 255f) : values[row * features + j];
        return x;
    }

    /**
     * @param n how many, from 1 to rows()
     * @return a dataset of the first n examples
     */
    public Dataset head(int n) {
        if (n <= 0 || n > rows) throw new IllegalArgumentException(name + ": cannot take " + n + " of " + rows + " examples");
        return new Dataset(name, n, features, pixels != null ? Arrays.copyOf(pixels, n * features) : null,
                values != null ? Arrays.copyOf(values, n * features) : null, classes > 0 ? Arrays.copyOf(labels, n) : null, classes)
                .named(classNames).withTargets(targets != null ? Arrays.copyOf(targets, n * outputs) : null, outputs);
    }

    /**
     * @param rows the examples to keep, in this order (repeats allowed)
     * @param name the new dataset's name
     * @return a dataset of those examples, with the same number of classes
     */
    public Dataset select(int[] rows, String name) {
        int[] l = new int[rows.length];
        byte[] px = pixels != null ? new byte[rows.length * features] : null;
        float[] v = pixels == null ? new float[rows.length * features] : null;
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (r < 0 || r >= this.rows) throw new IllegalArgumentException(this.name + ": no example " + r + " among " + this.rows);
            l[i] = labels[r];
            if (px != null) System.arraycopy(pixels, r * features, px, i * features, features);
            else System.arraycopy(values, r * features, v, i * features, features);
        }
        float[] t = targets != null ? new float[rows.length * outputs] : null;
        for (int i = 0; t != null && i < rows.length; i++) System.arraycopy(targets, rows[i] * outputs, t, i * outputs, outputs);
        return (px != null ? new Dataset(name, rows.length, features, px, null, l, classes)
                : new Dataset(name, rows.length, features, null, v, classes > 0 ? l : null, classes)).named(classNames).withTargets(t, outputs);
    }

    private Dataset named(List<String> names) {
        classNames = names;
        return this;
    }

    /** Two parts of one dataset: what is trained on and what is held out for validation. */
    public record Split(Dataset train, Dataset validation) {}

    /**
     * Holds out a random fraction of the examples for validation, as Keras' validation_split
     * does but shuffled (a file sorted by class would otherwise hold out one class).
     *
     * @param fraction the share held out, in (0, 1), at least one example on each side
     * @param seed     the shuffle's seed
     * @return the rest and the held-out part, each in the original order
     */
    public Split holdOut(double fraction, long seed) {
        int[][] parts;
        try {
            parts = holdOutRows(rows, fraction, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        return new Split(select(parts[0], name + " (training part)"), select(parts[1], name + " (held out)"));
    }

    /**
     * The rows {@link #holdOut} keeps and holds out, for data that is not a Dataset yet (a table).
     *
     * @param rows     how many rows
     * @param fraction the share held out, in (0, 1), at least one row on each side
     * @param seed     the shuffle's seed
     * @return {the rest, the held-out rows}, each in the original order
     * @throws IllegalArgumentException when a side would be empty
     */
    public static int[][] holdOutRows(int rows, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("validation split must be in (0, 1), got " + fraction);
        int held = (int) Math.round(rows * fraction);
        if (held < 1 || held >= rows)
            throw new IllegalArgumentException("a validation split of " + fraction + " of " + rows + " examples leaves one side empty");
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        java.util.Random rnd = new java.util.Random(seed);
        for (int i = rows - 1; i > 0; i--) { int j = rnd.nextInt(i + 1), t = order[i]; order[i] = order[j]; order[j] = t; }
        int[] val = Arrays.copyOf(order, held), rest = Arrays.copyOfRange(order, held, rows);
        Arrays.sort(val);
        Arrays.sort(rest);
        return new int[][] {rest, val};
    }

    /**
     * @param labels  one class per example, each in [0, classes)
     * @param classes the number of classes
     * @param names   their names, or null for the numbers
     * @return the same examples with these labels (the features shared)
     */
    public Dataset withLabels(int[] labels, int classes, List<String> names) {
        return new Dataset(name, rows, features, pixels, values, labels, classes).withClassNames(names);
    }

    /**
     * @param b a backend
     * @return the features on it, owned by the caller: UINT8 for pixels, FLOAT32 otherwise, rows x features;
     *         read-only (on the CPU backend it is this dataset's own array, see {@link Backend#uploadReadOnly})
     */
    public Tensor uploadFeatures(Backend b) {
        return b.uploadReadOnly(pixels != null ? pixels : values, rows, features);
    }

    /**
     * @param b a backend
     * @return the labels on it, owned by the caller: INT32 rows x 1, or a regression's targets,
     *         FLOAT32 rows x outputs
     */
    public Tensor uploadLabels(Backend b) { return targets != null ? b.upload(targets, rows, outputs) : b.upload(labels, rows, 1); }

    @Override public String toString() {
        return name + " (" + rows + " x " + features + (targets != null ? ", " + outputs + (outputs == 1 ? " target)" : " targets)")
                : labeled() ? ", " + classes + " classes)" : ", unlabeled)");
    }
}
