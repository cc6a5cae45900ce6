package dev.clmlp.cpu;


/**
 * Cache-blocked, multithreaded SGEMM on row-major arrays:
 * C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C.
 * B is packed block by block (KC x NC, contiguous rows) so the inner loop is a unit-stride
 * axpy the JIT vectorises; rows of C are split across threads, so each element is always
 * summed in the same order whatever the thread count (results are deterministic).
 */
final class CpuGemm {
    /** Tuning constants: k-block and n-block of the packed B panel, rows per parallel task. */
    static final int KC = 256, NC = 1024, MC = 16;

    private CpuGemm() {}

    static void gemm(Workers pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        // op(A)[i,p] = a[aOff + i*aRs + p*aCs]; op(B)[p,j] = b[bOff + p*bRs + j*bCs]
        final int aRs = transA ? 1 : k, aCs = transA ? m : 1;
        final int bRs = transB ? 1 : n, bCs = transB ? k : 1;
        int tasks = (m + MC - 1) / MC;
        run(pool, tasks, t -> scaleRows(c, cOff, n, t * MC, Math.min(m, t * MC + MC), beta));
        float[] panel = new float[Math.min(KC, k) * Math.min(NC, n)];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int nc = Math.min(NC, n - j0);
                packB(b, bOff, bRs, bCs, p0, kc, j0, nc, panel);
                final int fp0 = p0, fj0 = j0;
                run(pool, tasks, t -> {
                    float[] aRow = new float[kc];
                    for (int i = t * MC, end = Math.min(m, t * MC + MC); i < end; i++) {
                        for (int p = 0; p < kc; p++) aRow[p] = alpha * a[aOff + i * aRs + (fp0 + p) * aCs];
                        rowTimesPanel(aRow, kc, panel, nc, c, cOff + i * n + fj0);
                    }
                });
            }
        }
    }

    /** c[cOff .. cOff+nc) += sum_p aRow[p] * panel[p*nc .. p*nc+nc) */
    private static void rowTimesPanel(float[] aRow, int kc, float[] panel, int nc, float[] c, int cOff) {
        for (int p = 0; p < kc; p++) {
            float ap = aRow[p];
            int base = p * nc;
            for (int j = 0; j < nc; j++) c[cOff + j] += ap * panel[base + j];
        }
    }

    private static void packB(float[] b, int bOff, int bRs, int bCs, int p0, int kc, int j0, int nc, float[] panel) {
        for (int p = 0; p < kc; p++) {
            int src = bOff + (p0 + p) * bRs + j0 * bCs, dst = p * nc;
            if (bCs == 1) System.arraycopy(b, src, panel, dst, nc);
            else for (int j = 0; j < nc; j++) panel[dst + j] = b[src + j * bCs];
        }
    }

    private static void scaleRows(float[] c, int cOff, int n, int i0, int i1, float beta) {
        int from = cOff + i0 * n, to = cOff + i1 * n;
        if (beta == 0f) java.util.Arrays.fill(c, from, to, 0f); // BLAS: C is not read when beta == 0
        else if (beta != 1f) for (int x = from; x < to; x++) c[x] *= beta;
    }

    /** body(0 .. tasks-1) across the workers, or on the calling thread when there are none. */
    static void run(Workers workers, int tasks, java.util.function.IntConsumer body) {
        if (workers == null) for (int t = 0; t < tasks; t++) body.accept(t);
        else workers.run(tasks, body);
    }
}
