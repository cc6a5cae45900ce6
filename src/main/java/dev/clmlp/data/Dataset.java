package dev.clmlp.data;

import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

import java.util.Arrays;

/**
 * Examples (rows x features) with integer class labels, held on the host either as uint8 pixels
 * (scaled to [0,1] when gathered into a batch) or as float32 features.
 */
public final class Dataset {
    private final String name;
    private final int rows, features, classes;
    private final byte[] pixels;
    private final float[] values;
    private final int[] labels;

    private Dataset(String name, int rows, int features, byte[] pixels, float[] values, int[] labels, int classes) {
        if (labels.length != rows)
            throw new IllegalArgumentException(name + ": " + rows + " examples but " + labels.length + " labels");
        for (int i = 0; i < rows; i++)
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

    /** @return the name given at creation */
    public String name() { return name; }

    /** @return the number of examples */
    public int rows() { return rows; }

    /** @return the width of an example */
    public int features() { return features; }

    /** @return the number of classes */
    public int classes() { return classes; }

    /**
     * @param row an example
     * @return its class
     */
    public int label(int row) { return labels[row]; }

    /** @return a copy of every example's class */
    public int[] labels() { return labels.clone(); }

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
        int[] l = Arrays.copyOf(labels, n);
        return pixels != null ? ofPixels(name, Arrays.copyOf(pixels, n * features), n, features, l, classes)
                : ofFloats(name, Arrays.copyOf(values, n * features), n, features, l, classes);
    }

    /**
     * @param b a backend
     * @return the features on it, owned by the caller: UINT8 for pixels, FLOAT32 otherwise, rows x features
     */
    public Tensor uploadFeatures(Backend b) {
        return pixels != null ? b.upload(pixels, rows, features) : b.upload(values, rows, features);
    }

    /**
     * @param b a backend
     * @return the labels on it, owned by the caller: INT32 rows x 1
     */
    public Tensor uploadLabels(Backend b) { return b.upload(labels, rows, 1); }

    @Override public String toString() { return name + " (" + rows + " x " + features + ", " + classes + " classes)"; }
}
