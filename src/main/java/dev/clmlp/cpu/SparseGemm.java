package dev.clmlp.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The products of {@link VectorGemm} whose A is mostly zeros, skipping the zeros: a layer's
 * input, C = A B, and its weight gradient, C = A^T B. MNIST's pixels are 81% zeros, and the
 * first layer does 88% of a scratch step's multiply-adds.
 * <p>
 * A task computes {@link #MR} rows x {@link #NV} vectors of C in registers, like VectorGemm, but
 * only over the values of p where one of its rows of op(A) is not zero: on batches of MNIST, 4
 * images have a nonzero at 39% of the pixels (C = A B), and 4 neighbouring pixels are not all
 * zero in 28% of the (image, block) pairs (A^T B).
 * <p>
 * Each element of C is summed exactly as in {@link VectorGemm}: one fused multiply-add per term
 * in the order of p, from zero within each panel of {@link VectorGemm#KC} values of p, then
 * scaled by alpha and added to C. A term with a zero factor adds a zero there, so skipping it
 * changes nothing, and the two agree bit for bit when B is finite (0 x infinity would give NaN).
 */
final class SparseGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int[] POWERS_OF_TWO = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
    /**
     * Tuning constants: rows x vectors of C in registers, values of A per nonzero test. 4 rows
     * rather than 3: each load of B serves more multiply-adds, which pays for the zeros that a
     * fourth row adds to the block (39% of the pixels against 35%). 64x784x1024 on two threads
     * (Zen 5, AVX-512): 238 -> 205 us; one thread with AVX2: 933 -> 854. (A 4 x 4 block once came
     * out of C2 with its vectors boxed; the kernel has since become products only, and compiles.)
     */
    static final int MR = 4, NV = 4, MASK = 16;
    /** Columns of C a task computes: n must be a multiple. */
    static final int WIDTH = NV * L;
    /** The largest share of nonzeros in A that takes this path (where it breaks even: see there). */
    static final double MAX_DENSITY = dev.clmlp.tensor.Tuning.SPARSE_INPUT_DENSITY;

    private SparseGemm() {}

    /**
     * Whether C = op(A) B (op(A) = A or A^T, B not transposed) with these sizes is computed here:
     * n a multiple of {@link #WIDTH}, and A, rows x cols at aOff, at most {@link #MAX_DENSITY} nonzeros.
     */
    static boolean suits(int n, float[] a, int aOff, int rows, int cols) {
        return n % WIDTH == 0 && nonzeros(a, aOff, rows * cols) <= MAX_DENSITY * rows * cols;
    }

    /** Whether {@link #transposedTimes} takes C = A^T B with A rows x m at aOff: at most 64 rows, one panel. */
    static boolean suitsTransposed(int n, float[] a, int aOff, int rows, int m) {
        return rows <= Long.SIZE && rows <= VectorGemm.KC && suits(n, a, aOff, rows, m);
    }

    /** The number of nonzero values (NaN included) in a[off .. off + count). */
    static int nonzeros(float[] a, int off, int count) {
        int e = 0, nz = 0;
        for (int wide = count / L * L; e < wide; e += L)
            nz += FloatVector.fromArray(S, a, off + e).compare(VectorOperators.NE, 0f).trueCount();
        for (; e < count; e++) if (a[off + e] != 0f) nz++;
        return nz;
    }

    /**
     * Bit q set where one of a[o_r + q], r &lt; MR, is not zero (NaN counts, -0 does not), for q &lt;
     * count (at most MASK). A blend and a sum: VectorMask.toLong() is not compiled to SIMD on JDK 17.
     */
    private static int nonzeroBits(float[] a, int o0, int o1, int o2, int o3, int count) {
        int bits = 0;
        if (count == MASK && MASK % L == 0) {
            for (int h = 0; h < MASK; h += L) {
                VectorMask<Integer> nz = nonzero(a, o0 + h).or(nonzero(a, o1 + h)).or(nonzero(a, o2 + h)).or(nonzero(a, o3 + h));
                bits |= IntVector.zero(I).blend(IntVector.fromArray(I, POWERS_OF_TWO, h), nz).reduceLanes(VectorOperators.ADD);
            }
            return bits;
        }
        for (int q = 0; q < count; q++)
            if (a[o0 + q] != 0f || a[o1 + q] != 0f || a[o2 + q] != 0f || a[o3 + q] != 0f) bits |= 1 << q;
        return bits;
    }

    private static VectorMask<Integer> nonzero(float[] a, int o) {
        return FloatVector.fromArray(S, a, o).compare(VectorOperators.NE, 0f).cast(I);
    }

    /** Tasks for `units` units of work: a few per thread, to even them out. */
    private static int tasks(Workers team, int units) {
        return Math.max(1, Math.min(units, team == null ? 1 : 4 * team.size()));
    }

    /** Per-thread buffer for the positions of p (or of i) that a block of rows needs. */
    private static final ThreadLocal<int[]> INDICES = ThreadLocal.withInitial(() -> new int[1024]);

    private static int[] indices(int size) { return buffer(INDICES, size); }

    /** This thread's array of `local`, grown to at least `size`. */
    private static int[] buffer(ThreadLocal<int[]> local, int size) {
        int[] b = local.get();
        if (b.length < size) local.set(b = new int[size]);
        return b;
    }

    /**
     * C[m x n] = alpha * A[m x k] B[k x n] + beta * C, beta 0 or 1 (0: C is not read), all row-major
     * at their offsets with leading dimensions k, n, n; then the epilogue on each finished block of C.
     */
    static void times(Workers pool, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                      float beta, float[] c, int cOff, VectorGemm.Epilogue epilogue) {
        Workers team = VectorGemm.team(pool, m, n, k);
        if (n / WIDTH >= WIDE) {
            timesByStrips(team, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, epilogue);
            return;
        }
        int blocks = (m + MR - 1) / MR, per = (blocks + tasks(team, blocks) - 1) / tasks(team, blocks);
        CpuGemm.run(team, (blocks + per - 1) / per, t -> {
            int i0 = t * per * MR, i1 = Math.min(m, i0 + per * MR);
            int[] idx = indices(k);
            float[] tile = tile(WIDTH);
            for (int i = i0; i < i1; i += MR) {
                int count = nonzeroColumns(a, aOff, k, i, Math.min(MR, i1 - i), idx, 0);
                for (int j0 = 0; j0 < n; j0 += WIDTH)
                    block(alpha, beta, a, aOff, k, i, Math.min(MR, i1 - i), idx, 0, count, b, bOff + j0, n, c, cOff + j0, n, tile);
            }
            if (epilogue != null) epilogue.apply(c, cOff, n, i0, i1, 0, n);
        });
    }

    /** Strips of C from which {@link #times} splits the work by columns rather than by rows. */
    static final int WIDE = 8;
    /**
     * B's row length (floats) from which {@link #timesByStrips} copies a strip's rows in use (62%
     * of them on MNIST's batches of 64) together before the blocks read them: rows 4 KB apart fall
     * in so few of L2's sets that each block of rows read the strip from L3 again. Alternated in
     * one JVM, Ice Lake Xeon with AVX-512, two threads: 64x784x1024 and 64x784x2048 1.34x as fast;
     * 64x784x512 the same there, but in training at 512-512 its share of the step rose from 15-17%
     * to 18-19%, so rows 2 KB apart stay in place.
     */
    static final int COPY_B_FROM = 1024;

    /**
     * {@link #times} for a wide C: a task takes a strip and all the rows, so that its strip of B
     * stays in L2 from one block of rows to the next, where split by rows every task streams all of
     * B (64x784x1024: 3 MB of B for every block of rows). The nonzero columns of every block of
     * rows are listed first, once, for all the strips. The same sums in the same order.
     * <p>
     * From {@link #COPY_B_FROM} columns the task copies its strip's rows together first (those
     * some block reads) and reads the copy.
     */
    private static void timesByStrips(Workers team, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                                      float beta, float[] c, int cOff, VectorGemm.Epilogue epilogue) {
        int blocks = (m + MR - 1) / MR, strips = n / WIDTH;
        int[] counts = new int[blocks], columns = buffer(BLOCK_COLUMNS, blocks * k); // each block writes its part; every strip reads all
        CpuGemm.run(team, blocks, bl -> counts[bl] = nonzeroColumns(a, aOff, k, bl * MR, Math.min(MR, m - bl * MR), columns, bl * k));
        boolean copy = n >= COPY_B_FROM;
        int[] live = copy ? buffer(LIVE_ROWS, k) : null; // like columns: the caller's, read by every task
        int lives = copy ? rowsInUse(columns, counts, k, live) : 0;
        int per = (strips + tasks(team, strips) - 1) / tasks(team, strips); // neighbouring strips a task, as in VectorGemm
        CpuGemm.run(team, (strips + per - 1) / per, t -> {
            float[] tile = tile(WIDTH), strip = copy ? VectorGemm.grown(STRIP, k * WIDTH) : b;
            for (int s = t * per; s < Math.min(strips, t * per + per); s++) {
                if (copy) for (int e = 0; e < lives; e++) System.arraycopy(b, bOff + live[e] * n + s * WIDTH, strip, live[e] * WIDTH, WIDTH);
                int bo = copy ? 0 : bOff + s * WIDTH, ldb = copy ? WIDTH : n;
                for (int bl = 0; bl < blocks; bl++)
                    block(alpha, beta, a, aOff, k, bl * MR, Math.min(MR, m - bl * MR), columns, bl * k, counts[bl], strip, bo, ldb, c, cOff + s * WIDTH, n, tile);
                if (epilogue != null) epilogue.apply(c, cOff, n, 0, m, s * WIDTH, WIDTH);
            }
        });
    }

    /** The calling thread's lists of nonzero columns for {@link #timesByStrips}. */
    private static final ThreadLocal<int[]> BLOCK_COLUMNS = ThreadLocal.withInitial(() -> new int[0]);
    /** Per-thread copy of a strip of B's rows (k x WIDTH) for {@link #timesByStrips}. */
    private static final ThreadLocal<float[]> STRIP = ThreadLocal.withInitial(() -> new float[0]);
    /** The calling thread's list of B's rows in use for {@link #timesByStrips}. */
    private static final ThreadLocal<int[]> LIVE_ROWS = ThreadLocal.withInitial(() -> new int[0]);

    /**
     * Writes to rows[0..) the values of p, in order, that one of the blocks' lists (block bl's
     * counts[bl] columns from columns[bl*k]) holds: the rows of B that the product reads; returns
     * how many. rows (k long at least) marks them first and is then compacted in place, so that a
     * product allocates nothing here.
     */
    private static int rowsInUse(int[] columns, int[] counts, int k, int[] rows) {
        java.util.Arrays.fill(rows, 0, k, 0);
        for (int bl = 0; bl < counts.length; bl++)
            for (int e = bl * k, end = e + counts[bl]; e < end; e++) rows[columns[e]] = 1;
        int count = 0;
        for (int q = 0; q < k; q++) if (rows[q] != 0) rows[count++] = q; // count <= q: a mark is read before it is overwritten
        return count;
    }

    /** Writes to idx[at..) the columns q where one of rows i .. i+rows-1 of A (m x k at aOff) is not zero, in order; returns how many. */
    private static int nonzeroColumns(float[] a, int aOff, int k, int i, int rows, int[] idx, int at) {
        int a0 = aOff + i * k, a1 = a0 + Math.min(1, rows - 1) * k, a2 = a0 + Math.min(2, rows - 1) * k, a3 = a0 + (rows - 1) * k, count = 0;
        for (int q0 = 0; q0 < k; q0 += MASK)
            for (int bits = nonzeroBits(a, a0 + q0, a1 + q0, a2 + q0, a3 + q0, Math.min(MASK, k - q0)); bits != 0; bits &= bits - 1)
                idx[at + count++] = q0 + Integer.numberOfTrailingZeros(bits);
        return count;
    }

    /**
     * Rows i .. i+rows-1 of a strip of WIDTH columns of C (from c[co], rows n apart) from the nonzero
     * columns idx[from .. from+count) of those rows of A and the strip of B (from b[bo], rows ldb
     * apart), in VectorGemm's panels of p: sums from zero in each, through the calling thread's
     * tile (MR x WIDTH at least).
     */
    private static void block(float alpha, float beta, float[] a, int aOff, int k, int i, int rows, int[] idx, int from, int count,
                              float[] b, int bo, int ldb, float[] c, int co, int n, float[] tile) {
        int a0 = aOff + i * k, a1 = a0 + Math.min(1, rows - 1) * k, a2 = a0 + Math.min(2, rows - 1) * k, a3 = a0 + (rows - 1) * k; // rows past the last repeat it, and are not stored
        for (int p0 = 0, end = from + count; p0 < k; p0 += VectorGemm.KC) {
            int to = from, p1 = Math.min(k, p0 + VectorGemm.KC);
            while (to < end && idx[to] < p1) to++;
            kernel(a, a0, a1, a2, a3, 1, idx, from, to, b, bo, ldb, 1, tile);
            VectorGemm.store(alpha, p0 == 0 ? beta : 1f, tile, WIDTH, rows, c, co + i * n, n, WIDTH);
            from = to;
        }
    }

    /**
     * C[m x n] = alpha * A^T B + beta * C, beta 0 or 1, with A rows x m and B rows x n (a weight
     * gradient: A the layer's input, B the gradient of its output), all row-major. Needs rows &lt;= 64
     * and rows &lt;= {@link VectorGemm#KC} (one panel); callers check {@link #suitsTransposed}.
     */
    static void transposedTimes(Workers pool, int m, int n, int rows, float alpha, float[] a, int aOff, float[] b, int bOff,
                                float beta, float[] c, int cOff) {
        Workers team = VectorGemm.team(pool, m, n, rows);
        boolean keep = beta == 1f && Float.isFinite(alpha); // rows of C with no term stay as they are, to the bit
        int blocks = (m + MASK - 1) / MASK, per = (blocks + tasks(team, blocks) - 1) / tasks(team, blocks);
        CpuGemm.run(team, (blocks + per - 1) / per, t -> {
            int p0 = t * per * MASK, p1 = Math.min(m, p0 + per * MASK), groups = (p1 - p0 + MR - 1) / MR;
            int[] images = imagesByColumn(a, aOff, m, rows, p0, p1), idx = indices(rows);
            float[] tile = tile(n);
            for (int g = 0; g < groups; g++) {
                int p = p0 + g * MR, count = 0, ps = Math.min(MR, p1 - p);
                long used = 0; // bit i: a[i, p'] != 0 for one of the group's values p'
                for (int q = p - p0; q < p - p0 + ps; q++) used |= images[q] & 0xffffffffL | (long) images[p1 - p0 + q] << 32;
                for (long bits = used; bits != 0; bits &= bits - 1) idx[count++] = Long.numberOfTrailingZeros(bits);
                if (count == 0 && keep) continue; // pixels zero in every image (a quarter of MNIST's 4-pixel groups, the margins): C += 0
                int a0 = aOff + p, a1 = a0 + Math.min(1, ps - 1), a2 = a0 + Math.min(2, ps - 1), a3 = a0 + ps - 1;
                kernel(a, a0, a1, a2, a3, m, idx, 0, count, b, bOff, n, n / WIDTH, tile); // all of C's strips, then to C at once
                VectorGemm.store(alpha, beta, tile, n, ps, c, cOff + p * n, n, n);
            }
        });
    }

    private static final ThreadLocal<int[]> IMAGE_BITS = ThreadLocal.withInitial(() -> new int[2 * 1024]);

    /**
     * For A rows x m (rows &lt;= 64) and its columns p0 + q, q &lt; span = p1 - p0: a per-thread array
     * whose bits[q] and bits[span + q] have bit i set where a[i, p0 + q] is not zero, for rows i
     * below 32 and from 32 (NaN counts, -0 does not). Down the columns, a vector of them at a time,
     * so that no loop runs per nonzero.
     */
    private static int[] imagesByColumn(float[] a, int aOff, int m, int rows, int p0, int p1) {
        int span = p1 - p0, q = 0;
        int[] bits = buffer(IMAGE_BITS, 2 * span);
        IntVector zero = IntVector.zero(I);
        for (int wide = span / L * L; q < wide; q += L) {
            IntVector lo = zero, hi = zero;
            // two loops, not one with a branch: C2 of JDK 17 boxes vectors that meet after an if (5x slower)
            for (int i = 0, end = Math.min(rows, 32); i < end; i++)
                lo = lo.or(zero.blend(1 << i, FloatVector.fromArray(S, a, aOff + i * m + p0 + q).compare(VectorOperators.NE, 0f).cast(I)));
            for (int i = 32; i < rows; i++)
                hi = hi.or(zero.blend(1 << i, FloatVector.fromArray(S, a, aOff + i * m + p0 + q).compare(VectorOperators.NE, 0f).cast(I)));
            lo.intoArray(bits, q);
            hi.intoArray(bits, span + q);
        }
        for (; q < span; q++) {
            long column = 0;
            for (int i = 0; i < rows; i++) if (a[aOff + i * m + p0 + q] != 0f) column |= 1L << i;
            bits[q] = (int) column;
            bits[span + q] = (int) (column >>> 32);
        }
        return bits;
    }

    /**
     * For each of `strips` strips s of WIDTH columns, and r < MR: tile[r*strips*WIDTH + s*WIDTH ..
     * + WIDTH) = sum over q in idx[from .. to) of a[a_r + q*as] * b[bo + q*ldb + s*WIDTH ..], one
     * fused multiply-add per term in order (rows past the block's last repeat it). Only the
     * products, as in VectorGemm's kernel: {@link VectorGemm#store} takes them to C.
     */
    private static void kernel(float[] a, int a0, int a1, int a2, int a3, int as, int[] idx, int from, int to, float[] b, int bo, int ldb,
                               int strips, float[] tile) {
        int stride = strips * WIDTH;
        for (int s = 0, t = 0; s < strips; s++, t += WIDTH) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            for (int e = from; e < to; e++) {
                int q = idx[e], o = bo + q * ldb + t, qa = q * as;
                FloatVector b0 = FloatVector.fromArray(S, b, o), b1 = FloatVector.fromArray(S, b, o + L);
                FloatVector b2 = FloatVector.fromArray(S, b, o + 2 * L), b3 = FloatVector.fromArray(S, b, o + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[a0 + qa]);
                c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
                x = FloatVector.broadcast(S, a[a1 + qa]);
                c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
                x = FloatVector.broadcast(S, a[a2 + qa]);
                c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
                x = FloatVector.broadcast(S, a[a3 + qa]);
                c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            }
            int t1 = t + stride, t2 = t1 + stride, t3 = t2 + stride;
            c00.intoArray(tile, t); c01.intoArray(tile, t + L); c02.intoArray(tile, t + 2 * L); c03.intoArray(tile, t + 3 * L);
            c10.intoArray(tile, t1); c11.intoArray(tile, t1 + L); c12.intoArray(tile, t1 + 2 * L); c13.intoArray(tile, t1 + 3 * L);
            c20.intoArray(tile, t2); c21.intoArray(tile, t2 + L); c22.intoArray(tile, t2 + 2 * L); c23.intoArray(tile, t2 + 3 * L);
            c30.intoArray(tile, t3); c31.intoArray(tile, t3 + L); c32.intoArray(tile, t3 + 2 * L); c33.intoArray(tile, t3 + 3 * L);
        }
    }

    /** Per-thread rows of C that {@link #kernel} computes: MR x n, grown as needed. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * WIDTH]);

    private static float[] tile(int n) { return VectorGemm.grown(TILE, MR * n); }
}
