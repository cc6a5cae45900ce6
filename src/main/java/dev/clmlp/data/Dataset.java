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

    /** uint8 pixels, row-major rows x features; value/255 is the feature. */
    public static Dataset ofPixels(String name, byte[] pixels, int rows, int features, int[] labels, int classes) {
        if (pixels.length != (long) rows * features)
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixels, expected " + rows + "x" + features);
        return new Dataset(name, rows, features, pixels, null, labels, classes);
    }

    public static Dataset ofFloats(String name, float[] values, int rows, int features, int[] labels, int classes) {
        if (values.length != (long) rows * features)
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + rows + "x" + features);
        return new Dataset(name, rows, features, null, values, labels, classes);
    }

    /**
     * Integer labels from one-hot rows (rows x classes): each row must hold a single 1 and
     * otherwise zeros.
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

    public String name() { return name; }
    public int rows() { return rows; }
    public int features() { return features; }
    public int classes() { return classes; }
    public int label(int row) { return labels[row]; }
    public int[] labels() { return labels.clone(); }

    /** Features of one example as floats (pixels scaled to [0,1] exactly as on the device). */
    public float[] example(int row) {
        float[] x = new float[features];
        for (int j = 0; j < features; j++)
            x[j] = pixels != null ? (pixels[row * features + j] & 0xFF) * (1f / 255f) : values[row * features + j];
        return x;
    }

    /** The first n examples. */
    public Dataset head(int n) {
        if (n <= 0 || n > rows) throw new IllegalArgumentException(name + ": cannot take " + n + " of " + rows + " examples");
        int[] l = Arrays.copyOf(labels, n);
        return pixels != null ? ofPixels(name, Arrays.copyOf(pixels, n * features), n, features, l, classes)
                : ofFloats(name, Arrays.copyOf(values, n * features), n, features, l, classes);
    }

    /** Features on the backend: UINT8 for pixels, FLOAT32 otherwise. */
    public Tensor uploadFeatures(Backend b) {
        return pixels != null ? b.upload(pixels, rows, features) : b.upload(values, rows, features);
    }

    /** Labels on the backend, INT32 rows x 1. */
    public Tensor uploadLabels(Backend b) { return b.upload(labels, rows, 1); }

    @Override public String toString() { return name + " (" + rows + " x " + features + ", " + classes + " classes)"; }
}
