package dev.clmlp.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.ForkJoinPool;

/**
 * SGEMM with the incubating Vector API (jdk.incubator.vector), used only when the JVM has the
 * module ({@link CpuBackend#VECTOR_API}). Rows of C are split into tasks of MC rows; each task
 * walks B in KC x NC blocks (cache blocking) with a kernel that keeps a 4-row x 2-vector block
 * of C in registers while it runs along k. A and B are read in place (op(A) through strides).
 * B^T takes dot products of rows contiguous along k instead, or, when k is shorter than two
 * vectors, is transposed into a small buffer first. Every element is summed in a fixed order
 * whatever the thread count.
 */
final class VectorGemm {
    /** A constant species, so the JIT compiles the vector operations to SIMD instructions. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Tuning constants: rows of the register block (vectors: 2); k-depth and width of a B block; rows per task. */
    static final int MR = 4, KC = 256, NC = 256, MC = 16;
    /** Products below this many multiply-adds run on the calling thread: forking costs more. */
    static final long SERIAL_BELOW = 1 << 18;

    private VectorGemm() {}

    static void gemm(ForkJoinPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        if (transB && k >= 2 * L) {
            dotGemm(pool, transA, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        final float[] bm;
        final int bo;
        if (transB) { // short k: B (n x k) packed as its transpose, row-major k x n
            bm = new float[k * n];
            CpuGemm.packB(b, bOff, 1, k, 0, k, 0, n, bm);
            bo = 0;
        } else {
            bm = b;
            bo = bOff;
        }
        final int aRs = transA ? 1 : k, aCs = transA ? m : 1; // op(A)[i,p] = a[aOff + i*aRs + p*aCs]
        CpuGemm.run((long) m * n * k < SERIAL_BELOW ? null : pool, (m + MC - 1) / MC, t -> {
            int i0 = t * MC, rows = Math.min(MC, m - i0);
            CpuGemm.scaleRows(c, cOff, n, i0, i0 + rows, beta);
            for (int j0 = 0; j0 < n; j0 += NC)
                for (int p0 = 0; p0 < k; p0 += KC)
                    block(alpha, a, aOff + i0 * aRs + p0 * aCs, aRs, aCs, rows, Math.min(KC, k - p0),
                            bm, bo + p0 * n + j0, n, Math.min(NC, n - j0), c, cOff + i0 * n + j0, n);
        });
    }

    /** c[rows x nc] += alpha * a[rows x kc] * b[kc x nc], a with strides (aRs, aCs), b and c with row strides. */
    private static void block(float alpha, float[] a, int ao, int aRs, int aCs, int rows, int kc, float[] b, int bo, int ldb, int nc,
                              float[] c, int co, int ldc) {
        int wide = nc / (2 * L) * (2 * L), r = 0;
        for (; r + MR <= rows; r += MR)
            for (int j = 0; j < wide; j += 2 * L) kernel4x2(alpha, a, ao + r * aRs, aRs, aCs, kc, b, bo + j, ldb, c, co + r * ldc + j, ldc);
        for (; r < rows; r++)
            for (int j = 0; j < wide; j += 2 * L) kernel1x2(alpha, a, ao + r * aRs, aCs, kc, b, bo + j, ldb, c, co + r * ldc + j);
        if (wide < nc) narrowTail(alpha, a, ao, aRs, aCs, rows, kc, b, bo + wide, ldb, nc - wide, c, co + wide, ldc);
    }

    /**
     * The last nc - wide (< 2L) columns, e.g. all 10 of an output layer: copied into a
     * zero-padded panel 2L wide so the same register kernels run, then added into C.
     */
    private static void narrowTail(float alpha, float[] a, int ao, int aRs, int aCs, int rows, int kc, float[] b, int bo, int ldb,
                                   int cols, float[] c, int co, int ldc) {
        int w = 2 * L;
        float[] panel = new float[kc * w], out = new float[rows * w];
        for (int p = 0; p < kc; p++) System.arraycopy(b, bo + p * ldb, panel, p * w, cols);
        int r = 0;
        for (; r + MR <= rows; r += MR) kernel4x2(alpha, a, ao + r * aRs, aRs, aCs, kc, panel, 0, w, out, r * w, w);
        for (; r < rows; r++) kernel1x2(alpha, a, ao + r * aRs, aCs, kc, panel, 0, w, out, r * w);
        for (int rr = 0; rr < rows; rr++)
            for (int j = 0; j < cols; j++) c[co + rr * ldc + j] += out[rr * w + j];
    }

    private static void kernel4x2(float alpha, float[] a, int ao, int aRs, int aCs, int kc, float[] b, int bo, int ldb,
                                  float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * ldb, ap = ao + p * aCs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + aRs]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ap + 2 * aRs]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ap + 3 * aRs]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        addInto(alpha, c00, c01, c, co);
        addInto(alpha, c10, c11, c, co + ldc);
        addInto(alpha, c20, c21, c, co + 2 * ldc);
        addInto(alpha, c30, c31, c, co + 3 * ldc);
    }

    private static void kernel1x2(float alpha, float[] a, int ao, int aCs, int kc, float[] b, int bo, int ldb, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector x = FloatVector.broadcast(S, a[ao + p * aCs]);
            c0 = x.fma(FloatVector.fromArray(S, b, bo + p * ldb), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bo + p * ldb + L), c1);
        }
        addInto(alpha, c0, c1, c, co);
    }

    /**
     * C = alpha * op(A) * B^T + beta * C with B (n x k) row-major: dot products of rows that are
     * both contiguous along k (op(A) packed so when it is A^T), 2 x 2 outputs per kernel call.
     */
    private static void dotGemm(ForkJoinPool pool, boolean transA, int m, int n, int k, float alpha,
                                float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        CpuGemm.run((long) m * n * k < SERIAL_BELOW ? null : pool, (m + MC - 1) / MC, t -> {
            int i0 = t * MC, rows = Math.min(MC, m - i0);
            CpuGemm.scaleRows(c, cOff, n, i0, i0 + rows, beta);
            float[] am = a;
            int ao = aOff + i0 * k;
            if (transA) { // rows i0.. of A^T, row-major rows x k
                am = new float[rows * k];
                ao = 0;
                for (int p = 0; p < k; p++) for (int r = 0; r < rows; r++) am[r * k + p] = a[aOff + p * m + i0 + r];
            }
            for (int r = 0; r < rows; r += 2)
                for (int j = 0; j < n; j += 2) {
                    int r1 = Math.min(r + 1, rows - 1), j1 = Math.min(j + 1, n - 1); // edges repeat the last row/column
                    float[] d = dot2x2(am, ao + r * k, ao + r1 * k, b, bOff + j * k, bOff + j1 * k, k);
                    int o = cOff + (i0 + r) * n + j;
                    c[o] += alpha * d[0];
                    if (j1 > j) c[o + 1] += alpha * d[1];
                    if (r1 > r) {
                        c[o + n] += alpha * d[2];
                        if (j1 > j) c[o + n + 1] += alpha * d[3];
                    }
                }
        });
    }

    private static float[] dot2x2(float[] a, int a0, int a1, float[] b, int b0, int b1, int k) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        int kv = k / L * L;
        for (int p = 0; p < kv; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p), x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p), y1 = FloatVector.fromArray(S, b, b1 + p);
            s00 = x0.fma(y0, s00);
            s01 = x0.fma(y1, s01);
            s10 = x1.fma(y0, s10);
            s11 = x1.fma(y1, s11);
        }
        float d00 = s00.reduceLanes(jdk.incubator.vector.VectorOperators.ADD), d01 = s01.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        float d10 = s10.reduceLanes(jdk.incubator.vector.VectorOperators.ADD), d11 = s11.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (int p = kv; p < k; p++) {
            d00 += a[a0 + p] * b[b0 + p];
            d01 += a[a0 + p] * b[b1 + p];
            d10 += a[a1 + p] * b[b0 + p];
            d11 += a[a1 + p] * b[b1 + p];
        }
        return new float[] {d00, d01, d10, d11};
    }

    /** c[o ..] += alpha * (v0, v1) */
    private static void addInto(float alpha, FloatVector v0, FloatVector v1, float[] c, int o) {
        v0.mul(alpha).add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
        v1.mul(alpha).add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    }
}
