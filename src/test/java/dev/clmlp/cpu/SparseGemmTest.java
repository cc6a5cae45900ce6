package dev.clmlp.cpu;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** SparseGemm against VectorGemm, the dense products it stands in for: the same floats, bit for bit. */
class SparseGemmTest {
    /** A rows x cols matrix with about `percent`% nonzeros, some of them -0 (which counts as zero). */
    private static float[] sparse(Random r, int rows, int cols, int percent) {
        float[] a = new float[rows * cols];
        for (int e = 0; e < a.length; e++) {
            int die = r.nextInt(100);
            a[e] = die < percent ? r.nextFloat() * 2 - 1 : die < percent + 5 ? -0f : 0f;
        }
        return a;
    }

    private static float[] dense(Random r, int n) {
        float[] a = new float[n];
        for (int e = 0; e < n; e++) a[e] = r.nextFloat() * 2 - 1;
        return a;
    }

    @Property(tries = 60)
    void timesMatchesVectorGemmBitForBit(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = SparseGemm.WIDE + 2) int strips,
                                         @ForAll @IntRange(min = 1, max = 600) int k, @ForAll @IntRange(min = 0, max = 40) int percent,
                                         @ForAll @IntRange(min = 1, max = 3) int threads, @ForAll boolean accumulate,
                                         @ForAll boolean rowsFarApart, @ForAll long seed) {
        Random r = new Random(seed);
        int n = strips * SparseGemm.WIDTH + (rowsFarApart ? SparseGemm.COPY_B_FROM : 0); // far apart: B's strips copied
        float[] a = sparse(r, m, k, percent), b = dense(r, k * n), c0 = dense(r, m * n);
        float alpha = accumulate ? -0.01f : 1f, beta = accumulate ? 1f : 0f;
        float[] expected = c0.clone(), actual = c0.clone();
        VectorGemm.Epilogue plusRow = (c, co, ldc, i0, i1, j0, cols) -> { // must reach every element once
            for (int i = i0; i < i1; i++) for (int j = j0; j < j0 + cols; j++) c[co + i * ldc + j] += i;
        };
        try (Workers pool = new Workers(threads, 0)) {
            VectorGemm.gemm(pool, false, false, m, n, k, alpha, a, 0, b, 0, beta, expected, 0, plusRow);
            SparseGemm.times(pool, m, n, k, alpha, a, 0, b, 0, beta, actual, 0, plusRow);
        }
        assertArrayEquals(expected, actual);
    }

    @Property(tries = 60)
    void transposedTimesMatchesVectorGemmBitForBit(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 2) int strips,
                                                   @ForAll @IntRange(min = 1, max = 64) int rows, @ForAll @IntRange(min = 0, max = 40) int percent,
                                                   @ForAll @IntRange(min = 1, max = 3) int threads, @ForAll boolean accumulate, @ForAll long seed) {
        Random r = new Random(seed);
        int n = strips * SparseGemm.WIDTH;
        float[] a = sparse(r, rows, m, percent), b = dense(r, rows * n), c0 = dense(r, m * n);
        float alpha = accumulate ? -0.01f : 1f, beta = accumulate ? 1f : 0f; // accumulate: SGD's w -= lr x^T dz
        float[] expected = c0.clone(), actual = c0.clone();
        try (Workers pool = new Workers(threads, 0)) {
            VectorGemm.gemm(pool, true, false, m, n, rows, alpha, a, 0, b, 0, beta, expected, 0);
            SparseGemm.transposedTimes(pool, m, n, rows, alpha, a, 0, b, 0, beta, actual, 0);
        }
        assertArrayEquals(expected, actual);
    }

    @Test
    void offsetsInsideLargerArraysAreRespected() {
        Random r = new Random(3);
        for (int n : new int[] {SparseGemm.WIDTH, SparseGemm.WIDE * SparseGemm.WIDTH, SparseGemm.COPY_B_FROM + SparseGemm.WIDTH}) { // by rows; by strips, read in place and copied
            int m = 9, k = 40, ao = 5, bo = 7, co = 11;
            float[] a = sparse(r, m + 1, k, 20), b = dense(r, k * n + bo), expected = dense(r, m * n + co + 3), actual = expected.clone();
            try (Workers pool = new Workers(2, 0)) {
                VectorGemm.gemm(pool, false, false, m, n, k, 1f, a, ao, b, bo, 0f, expected, co, null);
                SparseGemm.times(pool, m, n, k, 1f, a, ao, b, bo, 0f, actual, co, null);
            }
            assertArrayEquals(expected, actual, "n = " + n + ": elements outside C keep their values too");
        }
    }

    @Test
    void onlyMostlyZeroInputsWithWholeStripsAreTaken() {
        int k = 100, rows = 8;
        float[] a = new float[rows * k];
        for (int e = 0; e < a.length; e += 4) a[e] = 1f; // 25% nonzeros
        assertEquals(200, SparseGemm.nonzeros(a, 0, a.length));
        assertTrue(SparseGemm.suits(SparseGemm.WIDTH, a, 0, rows, k));
        assertFalse(SparseGemm.suits(SparseGemm.WIDTH + 1, a, 0, rows, k), "n not a multiple of WIDTH");
        assertTrue(SparseGemm.suitsTransposed(SparseGemm.WIDTH, a, 0, rows, k));
        assertFalse(SparseGemm.suitsTransposed(SparseGemm.WIDTH, new float[65 * 10], 0, 65, 10), "more than 64 rows");
        for (int e = 1; e < a.length; e += 4) a[e] = Float.NaN; // NaN is not zero: now 50%
        assertEquals(400, SparseGemm.nonzeros(a, 0, a.length));
        assertFalse(SparseGemm.suits(SparseGemm.WIDTH, a, 0, rows, k));
    }

    @Test
    void aNanInputReachesTheOutputAsInTheDenseProduct() {
        int m = 3, n = SparseGemm.WIDTH, k = 20;
        float[] a = new float[m * k], b = dense(new Random(1), k * n), c = new float[m * n];
        a[k + 7] = Float.NaN; // row 1
        try (Workers pool = new Workers(1)) {
            SparseGemm.times(pool, m, n, k, 1f, a, 0, b, 0, 0f, c, 0, null);
        }
        for (int j = 0; j < n; j++) {
            assertEquals(0f, c[j]);
            assertTrue(Float.isNaN(c[n + j]));
        }
    }

    @Test
    void aNanInputReachesTheWeightGradientAsInTheDenseProduct() {
        int rows = 50, m = 37, n = SparseGemm.WIDTH; // 37 columns: whole vectors and a scalar tail on every vector width
        float[] a = new float[rows * m], b = dense(new Random(2), rows * n), expected = new float[m * n], actual = new float[m * n];
        a[40 * m + 5] = Float.NaN; // a row past 32 (the high word of a column's bits), a column in the vector part
        a[3 * m + 36] = Float.NaN; // the last column, in the tail
        a[10 * m + 20] = 0.5f;
        try (Workers pool = new Workers(2, 0)) {
            VectorGemm.gemm(pool, true, false, m, n, rows, 1f, a, 0, b, 0, 0f, expected, 0);
            SparseGemm.transposedTimes(pool, m, n, rows, 1f, a, 0, b, 0, 0f, actual, 0);
        }
        assertTrue(Float.isNaN(actual[5 * n]) && Float.isNaN(actual[36 * n]), "the NaN columns' rows of C are NaN");
        assertEquals(0.5f * b[10 * n], actual[20 * n]);
        assertArrayEquals(expected, actual);
    }
}
