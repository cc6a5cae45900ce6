package dev.clmlp.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM with the incubating Vector API (jdk.incubator.vector), used only when the JVM has the
 * module ({@link CpuBackend#VECTOR_API}); the same structure as gemm_packed in gemm_packed.cl.
 * C is cut into strips of W = 2 vectors of columns and blocks of rows, one task each. For every
 * KC values of p a task packs its strip's KC x W panel of op(B) (transposed, or zero-padded past
 * n) into a contiguous array, or reads it in place where B is row-major, narrower than {@link
 * #PACK_B_FROM} and the strip whole, then
 * sweeps its rows MR at a time with MR x 2 vector accumulators in registers ({@link GemmKernels},
 * which read op(A) in place, along A's rows or its columns, or as the task packed it where B's
 * panel is packed too: {@link #packRows}), which reach C through a per-thread
 * tile ({@link #store}). Partial sums of earlier panels wait in C. Each
 * element is summed in the same order whatever the thread count.
 */
final class VectorGemm {
    /** A constant species, so the JIT compiles the vector operations to SIMD instructions. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length(), W = 2 * L;

    /**
     * Tuning constants: rows of the register block (GemmKernels), depth of a packed panel. 8 rows
     * (16 accumulators) where a vector is 16 floats, as AVX-512 has 32 registers: batch 64 is then 8
     * whole blocks, and 1024-1024 trains 5-14% faster a step than with 6; 6 rows (12 accumulators,
     * 2 vectors of B and a broadcast) fit the 16 registers of AVX2.
     */
    static final int MR = L >= 16 ? 8 : 6, KC = 256;
    /**
     * Rows of A a task sweeps at most: a panel of them (MC x KC floats, 256 KB) stays in L2 while
     * the task's strips read it. 512^3 on two threads: 1,051-1,101 -> 977-1,043 us in one window, no
     * change in another; with A^T 1,173 -> 1,122 (medians); 128 rows made A^T slower.
     */
    static final int MC = 256;
    /**
     * Products below this many multiply-adds run on the calling thread (the default of {@link
     * Workers#shareFrom}). In training, a product shared out costs more than the hand-over and the
     * wait (10-20 us on a VM): its operands were written by the other core, in the previous
     * product's split, and its output is read there next. On a 2-core AMD EPYC VM, 64x128x784
     * (scratch's first layer) took 65 us alone against 109 shared, 64x256x256 54 against 58, while
     * in a harness, with nothing moving between cores, both ran 1.85x faster on two threads; from
     * 64x512x512 sharing wins in training too (159 against 199 us). Scratch's whole step: 197-200
     * us on one thread against 290-348 on two.
     */
    static final long SERIAL_BELOW = 1 << 24;

    /**
     * B's row length (floats) from which a strip is packed rather than read in place, and then
     * op(A)'s rows too (see {@link #packRows}), so that the register blocks read both at constant
     * strides. Read in place, a strip's KC rows 2 KB apart or more fall in a few of L1's sets per
     * cache line, and from 4 KB in so few of L2's that every row block reads them again from L2
     * or L3; but the packed kernel wins from far narrower B. Alternated in one JVM with packing
     * from 1024 (AVX2) or 512 (AVX-512), Ice Lake Xeon, two threads:
     * <ul>
     * <li>AVX2 (-XX:UseAVX=2), packing always: 512^3 1.54-1.62x as fast, 64x512x512 1.48-1.51x,
     * 64x256x128 1.44x, 64x128x128 1.32x, 64x128x64 1.20x; 64x1024x1024 (packed before) the same.</li>
     * <li>AVX-512, from 128 columns: 64x256x256 1.12x, 256^3 1.12x, 64x128x128 1.07x; with 64
     * columns (two strips) 64x128x64 lost 10%, so B that narrow stays in place.</li>
     * </ul>
     * Before there was a packed kernel, packing B alone at 2 KB rows lost on a Zen 5 with AVX2
     * (64x512x512 196 -> 220 us) and won on the Xeon with AVX-512 (512^3 1.15x).
     */
    static final int PACK_B_FROM = L >= 16 ? 128 : 0;
    /**
     * A^T's row length (m) from which a task packs its rows of A^T, read in place MR values of
     * each row of A, rows m apart, once for all its strips, where it has 4 strips or more (with
     * one, 1024x64x10:tn went 34 -> 73 us). 1024x64x1024:tn: AVX2 on Zen 5 1,024 -> 819 us (one
     * thread 2,026 -> 1,558); AVX-512 on Ice Lake 0.68-0.70x -> 0.86-1.13x OpenBLAS. (With AVX-512,
     * 512^3:tn lost with its rows of A^T packed, 734 -> 965 us: they are 2 KB apart.)
     */
    static final int PACK_A_FROM = 1024;

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[KC * W]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * W]);

    private VectorGemm() {}

    /**
     * Work done on a finished block of C by the task that computed it, while the block is in
     * cache: a dense layer's bias and activation, or its activation gradient.
     */
    interface Epilogue {
        /** Rewrites c[cOff + i*ldc + j] for i in [i0, i1), j in [j0, j0 + cols). */
        void apply(float[] c, int cOff, int ldc, int i0, int i1, int j0, int cols);
    }

    static void gemm(Workers pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        gemm(pool, transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, null);
    }

    static void gemm(Workers pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff, Epilogue epilogue) {
        if (!transA && transB && (long) m * (k + n) < (long) n * k) {
            transposed(pool, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, epilogue);
            return;
        }
        Workers team = team(pool, m, n, k);
        // tasks wanted: a few per thread to even out, but one per thread when B is transposed, since
        // every task packs its strip's panel again (64x64x128 with B^T: 12 us for 4 tasks, 15 for 8)
        int strips = (n + W - 1) / W, wanted = team == null ? 1 : (transB ? 1 : 4) * team.size();
        int rowBlocks = Math.max(Math.max(1, (m + MC - 1) / MC), Math.min((wanted + strips - 1) / strips, (m + MR - 1) / MR));
        int rows = ((m + rowBlocks - 1) / rowBlocks + MR - 1) / MR * MR;
        // a task takes neighbouring strips: two threads writing neighbours at once share cache lines
        // (a row of C starts 16 bytes into one), and 64x1024x1024 on two took 10% longer
        int per = (strips + Math.max(1, wanted / rowBlocks) - 1) / Math.max(1, wanted / rowBlocks), spans = (strips + per - 1) / per;
        Object call = new Object();
        CpuGemm.run(team, spans * ((m + rows - 1) / rows), t -> {
            int i0 = t / spans * rows, s0 = t % spans * per, s1 = Math.min(strips, s0 + per), i1 = Math.min(m, i0 + rows);
            // A^T: its rows (A's columns) as far apart as B's rows in pack(), and strips enough to pay for the copy;
            // A: wherever B's panels are packed, so that GemmKernels.packed reads both (see packRows)
            boolean packA = transA ? m >= PACK_A_FROM && s1 - s0 >= 4 : (transB || n >= PACK_B_FROM) && s1 - s0 >= 2;
            if (packA && (long) rows * k <= 1 << 18) {
                float[] ap = packedRows(call, transA, a, aOff, m, k, i0, i1);
                for (int s = s0; s < s1; s++)
                    strip(transA, transB, -1, n, k, alpha, ap, 0, b, bOff, beta, c, cOff, n, i0, i1, s * W, epilogue);
            } else {
                for (int s = s0; s < s1; s++)
                    strip(transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, n, i0, i1, s * W, epilogue);
            }
        });
    }

    private static final ThreadLocal<float[]> C_T = ThreadLocal.withInitial(() -> new float[0]), A_T = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * C = alpha A B^T + beta C as its transpose, B's rows times A^T, then turned into C: B (n x k)
     * is read in place and only A is transposed (m x k), where the plain way packs all of B^T, a
     * fifth of the product at 64x1024x1024 (a layer's input gradient). Taken where m (k + n) &lt;
     * n k. With beta 0 the same bits as the plain way; otherwise beta C is added last, not first.
     */
    private static void transposed(Workers pool, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                                   float beta, float[] c, int cOff, Epilogue epilogue) {
        float[] ct = grown(C_T, n * m), at = transpose(a, aOff, m, k, A_T);
        gemm(pool, false, false, n, m, k, alpha, b, bOff, at, 0, 0f, ct, 0, null);
        CpuGemm.run(team(pool, m, n, k), (n + W - 1) / W, t -> { // W of C's columns a task
            int j0 = t * W, cols = Math.min(W, n - j0);
            transposeInto(ct, j0 * m, m, m, cols, beta, c, cOff + j0, n);
            if (epilogue != null) epilogue.apply(c, cOff, n, 0, m, j0, cols);
        });
    }

    /**
     * A dense layer's backward step with its SGD update (dz rows x out, w in x out, x rows x in):
     * dx = dz w^T with the epilogue `slope`, then w += alpha x^T dz. One task a band of w's rows:
     * it computes dx's columns from those rows, then updates them while they are in cache, where
     * the two products one after the other read all of w twice from memory. dx's band is computed
     * as its transpose, w's rows times dz^T, so that w is read in place and only dz is copied (by
     * strips, as it is and transposed), where packing w^T made the product a quarter slower. Each
     * thread makes its own copies with its first band: copies made once and shared were read from
     * the other core's cache, and the thread that transposed took twice as long as the other (two
     * threads, 512x512: 285 -> 251 us; 1024x1024: 1,137 -> 1,076, and 1,231 -> 1,079 with the
     * caches flushed between calls). The same sums in the same order as {@link #gemm} computes each product.
     */
    static void inputGradThenUpdate(Workers pool, int rows, int in, int out, float[] dz, int dzOff, float[] w, int wOff,
                                    Epilogue slope, float[] dx, int dxOff, float alpha, float[] x, int xOff) {
        int band = MR * L; // whole strips of dx's columns (W = 2L) and whole blocks of w's rows (MR)
        Workers team = team(pool, rows, in, out); // as each product would be
        Object call = new Object();
        CpuGemm.run(team, (in + band - 1) / band, t -> {
            int r0 = t * band, r1 = Math.min(in, r0 + band);
            DzCopies d = DZ.get();
            if (d.call != call) { // this thread's first band of the call: its own copies, not read from another core
                if (d.t.length < rows * out) { d.t = new float[rows * out]; d.s = new float[rows * out]; }
                strips(dz, dzOff, rows, out, false, d.s);
                strips(dz, dzOff, rows, out, true, d.t);
                d.call = call;
            }
            float[] dzT = d.t, dzS = d.s;
            float[] dxT = grown(DX_T, band * rows);
            for (int j0 = 0; j0 < rows; j0 += W) // dx[j0 .., r0 .. r1]^T = w[r0 .. r1, :] dz[j0 .., :]^T
                strip(false, false, r1 - r0, Math.min(W, rows - j0), out, 1f, w, wOff + r0 * out, dzT, out * j0, 0f, dxT, j0, rows, 0, r1 - r0, 0, null);
            transposeInto(dxT, 0, rows, rows, r1 - r0, 0f, dx, dxOff + r0, in);
            if (slope != null) slope.apply(dx, dxOff, in, 0, rows, r0, r1 - r0);
            float[] xBand = grown(X_BAND, band * rows); // x[:, r0 .. r1] together: its rows are as far apart as dz's
            for (int p = 0; p < rows; p++) System.arraycopy(x, xOff + p * in + r0, xBand, p * (r1 - r0), r1 - r0);
            for (int j0 = 0; j0 < out; j0 += W) // w[r0 .. r1, j0 ..] += alpha x[:, r0 .. r1]^T dz[:, j0 ..]
                strip(true, false, r1 - r0, Math.min(W, out - j0), rows, alpha, xBand, 0, dzS, j0 * rows, 1f, w, wOff + r0 * out + j0, out, 0, r1 - r0, 0, null);
        });
    }

    private static final class DzCopies { Object call; float[] t = new float[0], s = t; }
    private static final ThreadLocal<DzCopies> DZ = ThreadLocal.withInitial(DzCopies::new);
    private static final ThreadLocal<float[]> DX_T = ThreadLocal.withInitial(() -> new float[0]), X_BAND = ThreadLocal.withInitial(() -> new float[0]);

    /** The pool, or null (the calling thread) for an m x n x k product too small to share (here and in SparseGemm). */
    static Workers team(Workers pool, int m, int n, int k) {
        return pool == null || (long) m * n * k < pool.shareFrom ? null : pool;
    }

    /**
     * c[co + i*ldc + j] = t[to + j*ldt + i] + beta * c[..] (beta 0: C is not read) for i &lt; rows,
     * j &lt; cols: a transposed block put back, along C's rows; down its columns, rows 4 KB apart, every
     * store met the same cache set (400-600 us a step at 1024-1024).
     */
    private static void transposeInto(float[] t, int to, int ldt, int rows, int cols, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < rows; i++) {
            int o = co + i * ldc;
            if (beta == 0f) for (int j = 0; j < cols; j++) c[o + j] = t[to + j * ldt + i];
            else for (int j = 0; j < cols; j++) c[o + j] = t[to + j * ldt + i] + beta * c[o + j];
        }
    }

    /** This thread's array of `local`, grown to at least `size` (here and in SparseGemm). */
    static float[] grown(ThreadLocal<float[]> local, int size) {
        float[] b = local.get();
        if (b.length < size) local.set(b = new float[size]);
        return b;
    }

    /**
     * op(a) by strips of W columns, each strip's rows one after the other, into s: op(a), h x w, is
     * a (rows x cols at off) or its transpose; strip j0 is op(a)[:, j0 ..], h x min(W, w - j0), from
     * h * j0. A strip read in place from rows 4 KB apart (1024 columns) has
     * all its rows in the same few cache sets, and from rows 256 bytes apart (64) in a quarter of them.
     */
    private static void strips(float[] a, int off, int rows, int cols, boolean transposed, float[] s) {
        int h = transposed ? cols : rows, w = transposed ? rows : cols;
        for (int j0 = 0; j0 < w; j0 += W) {
            int width = Math.min(W, w - j0), o = h * j0;
            if (!transposed && width == W) wholeStrip(a, off + j0, cols, h, s, o);
            else if (!transposed) for (int i = 0; i < h; i++) System.arraycopy(a, off + i * cols + j0, s, o + i * width, width);
            else for (int p0 = 0; p0 < h; p0 += 64) // 64 rows of the strip at a time: they stay in L1 while a's rows are read
                for (int j = 0; j < width; j++)
                    for (int p = p0, end = Math.min(h, p0 + 64); p < end; p++) s[o + p * width + j] = a[off + (j0 + j) * cols + p];
        }
    }

    /**
     * s[so + i*W .. + W) = a[o + i*ld .. + W) for i &lt; rows: a whole strip, rows one after the other,
     * two vectors a row (System.arraycopy's call cost more than its 128 bytes).
     */
    private static void wholeStrip(float[] a, int o, int ld, int rows, float[] s, int so) {
        for (int i = 0; i < rows; i++) {
            FloatVector.fromArray(S, a, o + i * ld).intoArray(s, so + i * W);
            FloatVector.fromArray(S, a, o + i * ld + L).intoArray(s, so + i * W + L);
        }
    }

    /** a (rows x cols at off) transposed into this thread's array of `local` (cols x rows). */
    private static float[] transpose(float[] a, int off, int rows, int cols, ThreadLocal<float[]> local) {
        float[] t = grown(local, rows * cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = a[off + i * cols + j];
        return t;
    }

    /**
     * Rows [i0, i1) of C's strip of columns from j0 (W of them, or what is left of n): one task's
     * work. With transA, m is A^T's rows (A's row length); m is -1 where op(A)'s rows from i0 come
     * packed by {@link #packRows} at aOff.
     */
    private static void strip(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                              float beta, float[] c, int cOff, int ldc, int i0, int i1, int j0, Epilogue epilogue) {
        // op(B)[p,j] = b[bOff + p*bRs + j*bCs]; op(A) is read by GemmKernels along A's rows, or (transA) its columns
        int bRs = transB ? 1 : n, bCs = transB ? k : 1, cols = Math.min(W, n - j0);
        float[] panel = PANEL.get(), tile = TILE.get();
        // B's rows already hold the strip contiguously: read them in place, unless too far apart to stay in cache
        boolean direct = bCs == 1 && cols == W && bRs < PACK_B_FROM;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            if (!direct) pack(b, bOff + p0 * bRs + j0 * bCs, bRs, bCs, kc, cols, panel);
            float[] bp = direct ? b : panel;
            int bo = direct ? bOff + p0 * bRs + j0 : 0, bStride = direct ? bRs : W;
            for (int i = i0; i < i1; i += MR) {
                int rows = Math.min(MR, i1 - i);
                if (m < 0) { // op(A) packed by the task (m = -1): this block's rows of this panel, KC apart
                    int ao = aOff + ((i - i0) / MR * ((k + KC - 1) / KC) + p0 / KC) * MR * KC;
                    if (direct) GemmKernels.rows(a, ao, KC, MR, kc, bp, bo, bStride, tile);
                    else GemmKernels.packed(a, ao, kc, panel, tile);
                } else if (!transA) GemmKernels.rows(a, aOff + i * k + p0, k, rows, kc, bp, bo, bStride, tile);
                else if (i + MR <= m) GemmKernels.columns(a, aOff + i + p0 * m, m, kc, bp, bo, bStride, tile);
                else // A^T's last rows, fewer than MR: copied, the last one repeated to MR
                    GemmKernels.rows(packRows(a, aOff + p0 * m, 1, m, i, m, kc, LAST.get()), 0, KC, MR, kc, bp, bo, bStride, tile);
                store(alpha, p0 == 0 ? beta : 1f, tile, W, rows, c, cOff + i * ldc + j0, ldc, cols);
            }
        }
        if (epilogue != null) epilogue.apply(c, cOff, ldc, i0, i1, j0, cols);
    }

    /**
     * A thread's copy of op(A)'s rows from i0 for one call: the tasks of a thread's share are
     * neighbours, mostly on the same rows (512^3 on two threads: each thread's four tasks), and
     * copying them once rather than for each task made 512^3 1.05x as fast, 64x1024x1024 1.035x.
     */
    private static final class PackedA { Object call; int i0; float[] a = new float[0]; }
    private static final ThreadLocal<PackedA> PACKED_A = ThreadLocal.withInitial(PackedA::new);

    /** op(A)'s rows i0 .. i1 as packRows lays them out, in this thread's copy for the call (made by its first task on them). */
    private static float[] packedRows(Object call, boolean transA, float[] a, int aOff, int m, int k, int i0, int i1) {
        PackedA pa = PACKED_A.get();
        if (pa.call != call || pa.i0 != i0) {
            int size = (i1 - i0 + MR - 1) / MR * MR * ((k + KC - 1) / KC * KC);
            if (pa.a.length < size) pa.a = new float[size];
            if (transA) packRows(a, aOff, 1, m, i0, i1, k, pa.a); else packRows(a, aOff, k, 1, i0, i1, k, pa.a);
            pa.call = call;
            pa.i0 = i0;
        }
        return pa.a;
    }

    /**
     * Rows i0 .. i1 of op(A), k columns, op(A)[i, p] = a[aOff + i*rs + p*ps] (A: rs = lda, ps = 1;
     * A^T: rs = 1, ps = lda), by blocks of MR rows and panels of KC columns, each block's rows of a
     * panel KC apart, as {@link GemmKernels#packed} reads them: out[((b*panels + q)*MR + r)*KC + p]
     * = op(A)[i0 + b*MR + r, q*KC + p], the last block's rows past i1 repeating its last one. A's
     * rows go by System.arraycopy, a few percent of the product; copied value by value, with each
     * value of p's MR rows together, they cost more than the faster kernel saved (64x1024x1024
     * 0.93x as fast). Alternated in one JVM with the kernels reading A in place, AVX-512 on an Ice
     * Lake Xeon, two threads: 512^3 1.34x as fast (1.15x of it from packing B at 512), 64x512x512
     * 1.19x, 1000x1024x1024 1.13x, 64x1024x1024 1.06x; 64x1024x1024 with B^T and 1024x64x1024 with
     * A^T 0.99-1.11x.
     */
    private static float[] packRows(float[] a, int aOff, int rs, int ps, int i0, int i1, int k, float[] out) {
        int panels = (k + KC - 1) / KC;
        for (int b = 0, i = i0; i < i1; b++, i += MR) {
            int last = Math.min(MR, i1 - i) - 1;
            for (int q = 0; q < panels; q++) {
                int o = (b * panels + q) * MR * KC, kc = Math.min(KC, k - q * KC);
                for (int r = 0; r < MR; r++) {
                    int src = aOff + (i + Math.min(r, last)) * rs + q * KC * ps, dst = o + r * KC;
                    if (ps == 1) System.arraycopy(a, src, out, dst, kc);
                    else for (int p = 0; p < kc; p++) out[dst + p] = a[src + p * ps]; // down a column of A
                }
            }
        }
        return out;
    }

    private static final ThreadLocal<float[]> LAST = ThreadLocal.withInitial(() -> new float[MR * KC]); // A^T's last block read in place

    /** panel[p*W + j] = op(B)[p, j] for j < cols, 0 up to W. */
    private static void pack(float[] b, int o, int bRs, int bCs, int kc, int cols, float[] panel) {
        if (bCs == 1 && cols == W) {
            wholeStrip(b, o, bRs, kc, panel, 0);
        } else if (bCs == 1) {
            for (int p = 0; p < kc; p++) System.arraycopy(b, o + p * bRs, panel, p * W, cols);
        } else { // B^T: read each of its rows along p, contiguous in memory
            for (int j = 0; j < cols; j++)
                for (int p = 0, src = o + j * bCs; p < kc; p++) panel[p * W + j] = b[src + p];
        }
        if (cols < W) for (int p = 0; p < kc; p++) java.util.Arrays.fill(panel, p * W + cols, p * W + W, 0f);
    }

    /**
     * c[r, 0..cols) = alpha * tile[r*width .. + cols) + beta * c[r, ..] for r < rows (beta == 0: C is
     * not read), width a multiple of L: how a register block reaches C, here and in SparseGemm. Each
     * branch stores its own vector: C2 of JDK 17 boxes vectors that meet after an if.
     */
    static void store(float alpha, float beta, float[] tile, int width, int rows, float[] c, int co, int ldc, int cols) {
        if (cols < width) {
            for (int r = 0; r < rows; r++)
                for (int j = 0, o = co + r * ldc, t = r * width; j < cols; j++) {
                    float v = alpha * tile[t + j];
                    c[o + j] = beta == 0f ? v : beta == 1f ? c[o + j] + v : v + beta * c[o + j];
                }
            return;
        }
        for (int r = 0; r < rows; r++) { // a loop for each beta: no branch inside
            int o = co + r * ldc, t = r * width;
            if (beta == 0f)
                for (int h = 0; h < width; h += L) FloatVector.fromArray(S, tile, t + h).mul(alpha).intoArray(c, o + h);
            else if (beta == 1f)
                for (int h = 0; h < width; h += L) FloatVector.fromArray(S, c, o + h).add(FloatVector.fromArray(S, tile, t + h).mul(alpha)).intoArray(c, o + h);
            else
                for (int h = 0; h < width; h += L)
                    FloatVector.fromArray(S, tile, t + h).mul(alpha).add(FloatVector.fromArray(S, c, o + h).mul(beta)).intoArray(c, o + h);
        }
    }
}
