package dev.clmlp.cpu;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VectorGemm on wide products (many strips of columns, the last one partial), in every layout and
 * over several panels of p: against a float64 reference, and the same floats on one thread and on
 * three; and which products the pool shares.
 */
class VectorGemmTest {
    @Property(tries = 12)
    void wideProductsMatchTheReferenceOnAnyThreadCount(@ForAll @IntRange(min = 1, max = 20) int m,
                                                        @ForAll @IntRange(min = -220, max = 100) int widerBy,
                                                        @ForAll @IntRange(min = 1, max = 600) int k, @ForAll boolean ta,
                                                        @ForAll boolean tb, @ForAll @IntRange(min = 0, max = 2) int betaKind,
                                                        @ForAll long seed) {
        checkAgainstReference(m, 256 + widerBy, k, ta, tb, betaKind, seed);
    }

    /**
     * B at least {@link VectorGemm#PACK_B_FROM} wide: its panels are packed, and op(A)'s rows with
     * them, and must hold the same values (at every vector width: AVX-512, AVX2, and the vector-128
     * pass's 2 x 4 floats). The property above has narrower B too, read in place with AVX-512.
     */
    @Property(tries = 6)
    void productsWithRowsFarApartMatchTheReference(@ForAll @IntRange(min = 1, max = 20) int m,
                                                   @ForAll @IntRange(min = 0, max = 70) int widerBy,
                                                   @ForAll @IntRange(min = 1, max = 600) int k, @ForAll boolean ta,
                                                   @ForAll @IntRange(min = 0, max = 2) int betaKind, @ForAll long seed) {
        checkAgainstReference(m, Math.max(1, VectorGemm.PACK_B_FROM + widerBy), k, ta, false, betaKind, seed);
    }

    /**
     * A^T with A's rows at least {@link VectorGemm#PACK_A_FROM} long: a task with 4 strips or more
     * packs its rows of A^T (the last block partial), and must read them back, with B read in place or packed.
     */
    @Property(tries = 6)
    void weightGradientsOfWideInputsMatchTheReference(@ForAll @IntRange(min = 0, max = 40) int widerBy,
                                                      @ForAll @IntRange(min = 1, max = 200) int n,
                                                      @ForAll @IntRange(min = 1, max = 300) int k, @ForAll boolean tb,
                                                      @ForAll @IntRange(min = 0, max = 2) int betaKind, @ForAll long seed) {
        checkAgainstReference(VectorGemm.PACK_A_FROM + widerBy, n, k, true, tb, betaKind, seed);
    }

    /** As above, with a last block of A^T's rows partial on one thread (1025 rows: with AVX2 a last task of 185, 30 blocks of 6 and 5; with AVX-512 of 193, 24 blocks of 8 and 1). */
    @Test
    void weightGradientWithAPartialPackedBlockMatchesTheReference() {
        checkAgainstReference(VectorGemm.PACK_A_FROM + 1, 100, 70, true, false, 1, 7);
    }

    private static void checkAgainstReference(int m, int n, int k, boolean ta, boolean tb, int betaKind, long seed) {
        Random r = new Random(seed);
        float[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n);
        float alpha = 0.75f, beta = new float[] {0f, 1f, 0.5f}[betaKind];
        float[] one = c0.clone(), three = c0.clone();
        VectorGemm.gemm(null, ta, tb, m, n, k, alpha, a, 0, b, 0, beta, one, 0);
        try (Workers pool = new Workers(3, 0)) {
            VectorGemm.gemm(pool, ta, tb, m, n, k, alpha, a, 0, b, 0, beta, three, 0);
        }
        assertArrayEquals(one, three, "one thread and three");
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double sum = 0, bound = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
                    sum += t;
                    bound += Math.abs(t);
                }
                double expected = alpha * sum + (beta == 0f ? 0 : beta * (double) c0[i * n + j]);
                double err = Math.abs(one[i * n + j] - expected), tol = 1e-6 * (k + 2) * (bound + Math.abs(c0[i * n + j])) + 1e-30;
                assertTrue(err <= tol, "C[" + i + "," + j + "] of " + m + "x" + n + "x" + k + (ta ? " A^T" : "") + (tb ? " B^T" : "")
                        + " beta " + beta + ": " + one[i * n + j] + " vs " + expected + " (tolerance " + tol + ")");
            }
    }

    /** The backward step by bands of w's rows: the very bits of its two products, on one thread and on three. */
    @Property(tries = 12)
    void inputGradThenUpdateIsTheTwoProducts(@ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 400) int in,
                                            @ForAll @IntRange(min = 1, max = 300) int out, @ForAll long seed) {
        Random r = new Random(seed);
        float[] dz = random(r, rows * out), w = random(r, in * out), x = random(r, rows * in);
        float alpha = -0.05f;
        VectorGemm.Epilogue slope = (c, co, ldc, i0, i1, j0, cols) -> { // a ReLU slope of its own
            for (int i = i0; i < i1; i++) for (int j = j0; j < j0 + cols; j++) if (x[i * ldc + j] < 0) c[co + i * ldc + j] = 0f;
        };
        float[] dxRef = new float[rows * in], wRef = w.clone();
        VectorGemm.gemm(null, false, true, rows, in, out, 1f, dz, 0, w, 0, 0f, dxRef, 0, slope);
        VectorGemm.gemm(null, true, false, in, out, rows, alpha, x, 0, dz, 0, 1f, wRef, 0);
        for (int threads : new int[] {1, 3}) {
            float[] dx = new float[rows * in], w1 = w.clone();
            try (Workers pool = threads == 1 ? null : new Workers(threads, 0)) {
                VectorGemm.inputGradThenUpdate(pool, rows, in, out, dz, 0, w1, 0, slope, dx, 0, alpha, x, 0);
            }
            String what = rows + "x" + in + "x" + out + " on " + threads + " threads";
            assertArrayEquals(dxRef, dx, "dx of " + what);
            assertArrayEquals(wRef, w1, "w of " + what);
        }
    }

    /**
     * Each thread copies op(A)'s rows once a call for its tasks on them: products after one
     * another on one pool, with a new A each time, and callers at once on it get the bits of the
     * same product on one thread.
     */
    @Test
    void packedRowsOfAAreEachCallsOwn() throws Exception {
        int steps = 6;
        try (Workers pool = new Workers(3, 0)) {
            callersAtOnce(3, caller -> {
                int m = 40 + caller, k = 300, n = Math.max(VectorGemm.PACK_B_FROM, 1) + 200 + 10 * caller; // B packed, so A too
                Random r = new Random(caller);
                float[] b = random(r, k * n);
                for (int step = 0; step < steps; step++) {
                    float[] a = random(r, m * k), c = new float[m * n], ref = new float[m * n];
                    VectorGemm.gemm(null, false, false, m, n, k, 1f, a, 0, b, 0, 0f, ref, 0);
                    VectorGemm.gemm(pool, false, false, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
                    assertArrayEquals(ref, c, "step " + step + ", " + m + "x" + k + "x" + n);
                }
            });
        }
    }

    /**
     * Every thread copies dz for itself, once a call: steps after one another on the same pool, and
     * callers at once on one pool, each with a dz of its own, get the bits of their two products.
     */
    @Test
    void inputGradThenUpdateCopiesEachCallsOwnDz() throws Exception {
        int steps = 6;
        try (Workers pool = new Workers(3, 0)) {
            callersAtOnce(3, caller -> {
                int rows = 40 + caller, in = 300, out = 200 + 30 * caller; // a size each: a copy of another call's dz would not fit
                Random r = new Random(caller);
                float[] w = random(r, in * out), wRef = w.clone();
                for (int step = 0; step < steps; step++) {
                    float[] dz = random(r, rows * out), x = random(r, rows * in), dx = new float[rows * in], dxRef = new float[rows * in];
                    VectorGemm.gemm(null, false, true, rows, in, out, 1f, dz, 0, wRef, 0, 0f, dxRef, 0, null);
                    VectorGemm.gemm(null, true, false, in, out, rows, -0.05f, x, 0, dz, 0, 1f, wRef, 0);
                    VectorGemm.inputGradThenUpdate(pool, rows, in, out, dz, 0, w, 0, null, dx, 0, -0.05f, x, 0);
                    assertArrayEquals(dxRef, dx, "dx of step " + step + ", " + rows + "x" + in + "x" + out);
                    assertArrayEquals(wRef, w, "w after step " + step + ", " + rows + "x" + in + "x" + out);
                }
            });
        }
    }

    /** Runs body(caller) for callers 0 .. callers-1, each on a thread of its own, at once; rethrows the first failure. */
    private static void callersAtOnce(int callers, java.util.function.IntConsumer body) throws Exception {
        java.util.concurrent.ExecutorService es = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            java.util.List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (int caller = 0; caller < callers; caller++) {
                int c = caller;
                runs.add(es.submit(() -> body.accept(c)));
            }
            for (var run : runs) run.get();
        } finally {
            es.shutdownNow();
        }
    }

    @Test
    void productsBelowTheThresholdStayOnTheCallingThread() {
        int m = 64, n = 128, k = 64; // scratch's hidden product: 524K multiply-adds
        assertTrue((long) m * n * k < VectorGemm.SERIAL_BELOW);
        Set<Thread> small = ConcurrentHashMap.newKeySet(), shared = ConcurrentHashMap.newKeySet();
        try (Workers pool = new Workers(3); Workers sharing = new Workers(3, 0)) {
            VectorGemm.gemm(pool, false, false, m, n, k, 1f, new float[m * k], 0, new float[k * n], 0, 0f, new float[m * n], 0,
                    holdingTheFirst(small, 200)); // time for the other threads to join, were the product shared
            VectorGemm.gemm(sharing, false, false, m, n, k, 1f, new float[m * k], 0, new float[k * n], 0, 0f, new float[m * n], 0,
                    holdingTheFirst(shared, 10_000)); // they join however busy the machine
        }
        assertEquals(Set.of(Thread.currentThread()), small, "every block computed by the caller");
        assertTrue(shared.size() >= 2, "with shareFrom 0 the same product is shared: " + shared);
    }

    /**
     * An epilogue that notes the threads computing blocks of C, and holds the first thread to
     * compute one (the caller, or a worker that started first) in that block until another
     * thread has computed one, or for at most `millis`.
     */
    private static VectorGemm.Epilogue holdingTheFirst(Set<Thread> threads, long millis) {
        AtomicBoolean held = new AtomicBoolean();
        return (c, co, ldc, i0, i1, j0, cols) -> {
            threads.add(Thread.currentThread());
            if (!held.compareAndSet(false, true)) return;
            long until = System.nanoTime() + millis * 1_000_000;
            while (threads.size() < 2 && System.nanoTime() < until) Thread.onSpinWait();
        };
    }

    private static float[] random(Random r, int count) {
        float[] x = new float[count];
        for (int e = 0; e < count; e++) x[e] = r.nextFloat() * 2 - 1;
        return x;
    }
}
