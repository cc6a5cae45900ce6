package dev.clmlp.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register blocks of {@link VectorGemm}: tile[r, 0..W) = sum_p op(A)[r, p] * panel[p, 0..W)
 * for {@link VectorGemm#MR} rows r of op(A), W = 2 vectors, summed from zero with one fused
 * multiply-add per term in the order of p. Only the products happen here; VectorGemm.store takes
 * the tile to C.
 * <p>
 * One kernel per layout of A, as C2 compiles them: {@link #rows} reads A's rows (A as stored),
 * {@link #columns} its columns (A^T, a weight gradient's input), {@link #packed} both operands as
 * VectorGemm packs them, at constant strides. A single kernel with both strides
 * as arguments multiplied and bounds-checked every broadcast: 155 GFLOP/s on one Zen 5 core from
 * L1, against 189 and 203 for these two and 221 for the core's peak. Two heights each: 8 rows (16
 * accumulators) where a vector is 16 floats, as AVX-512 has 32 registers; 6 rows for AVX2's 16.
 * Each is written out: accumulators in an array, or a loop over rows, and C2 boxes the vectors.
 * <p>
 * Keep them this small: C2 of JDK 17 stops inlining past about 18,000 nodes, and a kernel that
 * also scaled and added into C was at times left with its Vector API calls uninlined, every
 * vector boxed (a whole run 30x slower; CONTRIBUTING.md).
 */
final class GemmKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length(), W = 2 * L, KC = VectorGemm.KC;

    private GemmKernels() {}

    /**
     * The block from A's rows: op(A)[r, p] = a[ao + r*lda + p] for r &lt; rows (&lt;= MR); rows past
     * `rows` repeat the last one.
     */
    static void rows(float[] a, int ao, int lda, int rows, int kc, float[] panel, int po, int pStride, float[] tile) {
        if (VectorGemm.MR == 8) rows8(a, ao, lda, rows, kc, panel, po, pStride, tile);
        else rows6(a, ao, lda, rows, kc, panel, po, pStride, tile);
    }

    /** The block from A's columns: op(A)[r, p] = a[ao + p*lda + r], all MR rows there. */
    static void columns(float[] a, int ao, int lda, int kc, float[] panel, int po, int pStride, float[] tile) {
        if (VectorGemm.MR == 8) columns8(a, ao, lda, kc, panel, po, pStride, tile);
        else columns6(a, ao, lda, kc, panel, po, pStride, tile);
    }

    /**
     * The block from packed operands: op(A)[r, p] = a[ao + r*KC + p] (VectorGemm.packRows) and
     * panel[p, 0..W) at p*W. With constant strides C2 needs neither a pointer per row of A nor a
     * bounds check per load of B: 8 rows from L1 on an AVX-512 Ice Lake core, 124-130 GFLOP/s
     * against 105-109 for {@link #rows} in the same runs; 6 rows with AVX2, 92-98 (the core's
     * independent FMAs: 108.6).
     */
    static void packed(float[] a, int ao, int kc, float[] panel, float[] tile) {
        if (VectorGemm.MR == 8) packed8(a, ao, kc, panel, tile);
        else packed6(a, ao, kc, panel, tile);
    }

    private static void rows6(float[] a, int ao, int lda, int rows, int kc, float[] panel, int po, int pStride, float[] tile) {
        int a0 = ao, a1 = ao + Math.min(1, rows - 1) * lda, a2 = ao + Math.min(2, rows - 1) * lda;
        int a3 = ao + Math.min(3, rows - 1) * lda, a4 = ao + Math.min(4, rows - 1) * lda, a5 = ao + Math.min(5, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, po + p * pStride), b1 = FloatVector.fromArray(S, panel, po + p * pStride + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, W); c11.intoArray(tile, W + L);
        c20.intoArray(tile, 2 * W); c21.intoArray(tile, 2 * W + L);
        c30.intoArray(tile, 3 * W); c31.intoArray(tile, 3 * W + L);
        c40.intoArray(tile, 4 * W); c41.intoArray(tile, 4 * W + L);
        c50.intoArray(tile, 5 * W); c51.intoArray(tile, 5 * W + L);
    }

    private static void rows8(float[] a, int ao, int lda, int rows, int kc, float[] panel, int po, int pStride, float[] tile) {
        int a0 = ao, a1 = ao + Math.min(1, rows - 1) * lda, a2 = ao + Math.min(2, rows - 1) * lda;
        int a3 = ao + Math.min(3, rows - 1) * lda, a4 = ao + Math.min(4, rows - 1) * lda, a5 = ao + Math.min(5, rows - 1) * lda;
        int a6 = ao + Math.min(6, rows - 1) * lda, a7 = ao + Math.min(7, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, po + p * pStride), b1 = FloatVector.fromArray(S, panel, po + p * pStride + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, W); c11.intoArray(tile, W + L);
        c20.intoArray(tile, 2 * W); c21.intoArray(tile, 2 * W + L);
        c30.intoArray(tile, 3 * W); c31.intoArray(tile, 3 * W + L);
        c40.intoArray(tile, 4 * W); c41.intoArray(tile, 4 * W + L);
        c50.intoArray(tile, 5 * W); c51.intoArray(tile, 5 * W + L);
        c60.intoArray(tile, 6 * W); c61.intoArray(tile, 6 * W + L);
        c70.intoArray(tile, 7 * W); c71.intoArray(tile, 7 * W + L);
    }

    private static void columns6(float[] a, int ao, int lda, int kc, float[] panel, int po, int pStride, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, po + p * pStride), b1 = FloatVector.fromArray(S, panel, po + p * pStride + L);
            int o = ao + p * lda;
            FloatVector x = FloatVector.broadcast(S, a[o]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[o + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[o + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[o + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[o + 4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[o + 5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, W); c11.intoArray(tile, W + L);
        c20.intoArray(tile, 2 * W); c21.intoArray(tile, 2 * W + L);
        c30.intoArray(tile, 3 * W); c31.intoArray(tile, 3 * W + L);
        c40.intoArray(tile, 4 * W); c41.intoArray(tile, 4 * W + L);
        c50.intoArray(tile, 5 * W); c51.intoArray(tile, 5 * W + L);
    }

    private static void packed6(float[] a, int ao, int kc, float[] panel, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, p * W), b1 = FloatVector.fromArray(S, panel, p * W + L);
            int o = ao + p;
            FloatVector x = FloatVector.broadcast(S, a[o]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[o + 1 * KC]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[o + 2 * KC]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[o + 3 * KC]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[o + 4 * KC]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[o + 5 * KC]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, W); c11.intoArray(tile, W + L);
        c20.intoArray(tile, 2 * W); c21.intoArray(tile, 2 * W + L);
        c30.intoArray(tile, 3 * W); c31.intoArray(tile, 3 * W + L);
        c40.intoArray(tile, 4 * W); c41.intoArray(tile, 4 * W + L);
        c50.intoArray(tile, 5 * W); c51.intoArray(tile, 5 * W + L);
    }

    private static void columns8(float[] a, int ao, int lda, int kc, float[] panel, int po, int pStride, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, po + p * pStride), b1 = FloatVector.fromArray(S, panel, po + p * pStride + L);
            int o = ao + p * lda;
            FloatVector x = FloatVector.broadcast(S, a[o]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[o + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[o + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[o + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[o + 4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[o + 5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[o + 6]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[o + 7]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, W); c11.intoArray(tile, W + L);
        c20.intoArray(tile, 2 * W); c21.intoArray(tile, 2 * W + L);
        c30.intoArray(tile, 3 * W); c31.intoArray(tile, 3 * W + L);
        c40.intoArray(tile, 4 * W); c41.intoArray(tile, 4 * W + L);
        c50.intoArray(tile, 5 * W); c51.intoArray(tile, 5 * W + L);
        c60.intoArray(tile, 6 * W); c61.intoArray(tile, 6 * W + L);
        c70.intoArray(tile, 7 * W); c71.intoArray(tile, 7 * W + L);
    }

    private static void packed8(float[] a, int ao, int kc, float[] panel, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, p * W), b1 = FloatVector.fromArray(S, panel, p * W + L);
            int o = ao + p;
            FloatVector x = FloatVector.broadcast(S, a[o]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[o + 1 * KC]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[o + 2 * KC]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[o + 3 * KC]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[o + 4 * KC]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[o + 5 * KC]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[o + 6 * KC]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[o + 7 * KC]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, W); c11.intoArray(tile, W + L);
        c20.intoArray(tile, 2 * W); c21.intoArray(tile, 2 * W + L);
        c30.intoArray(tile, 3 * W); c31.intoArray(tile, 3 * W + L);
        c40.intoArray(tile, 4 * W); c41.intoArray(tile, 4 * W + L);
        c50.intoArray(tile, 5 * W); c51.intoArray(tile, 5 * W + L);
        c60.intoArray(tile, 6 * W); c61.intoArray(tile, 6 * W + L);
        c70.intoArray(tile, 7 * W); c71.intoArray(tile, 7 * W + L);
    }
}
