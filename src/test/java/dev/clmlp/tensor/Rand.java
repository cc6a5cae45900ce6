package dev.clmlp.tensor;

import java.util.Arrays;
import java.util.Random;

/** Random inputs and poisoned outputs for the tests. */
final class Rand {
    private Rand() {}

    static float[] floats(Random r, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return x;
    }

    static int[] ints(Random r, int n, int bound) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(bound);
        return x;
    }

    /** A tensor filled with NaN, so any element an operation fails to write shows up. */
    static Tensor poisoned(Backend b, int rows, int cols) {
        float[] nan = new float[rows * cols];
        Arrays.fill(nan, Float.NaN);
        return b.upload(nan, rows, cols);
    }

    static Tensor poisonedInts(Backend b, int rows, int cols) {
        int[] bad = new int[rows * cols];
        Arrays.fill(bad, Integer.MIN_VALUE);
        return b.upload(bad, rows, cols);
    }
}
