package dev.clmlp.tensor;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every operation against a float64 reference, on random shapes (jqwik draws fresh sizes and a
 * fresh seed each run and reports them on failure) and on fixed awkward ones. Outputs are
 * views at a random offset inside a NaN-poisoned buffer: an element left unwritten, or written
 * outside the view, fails the test. Subclasses bind the backend.
 */
abstract class BackendContract {
    abstract Backend backend();

    /** Outputs from which this backend computes denseBackwardSgd another way (0: one way): half the contract's cases are there. */
    int fusedFrom() { return 0; }

    /** A view holding data at a random offset inside a larger tensor whose other elements are NaN. */
    record Placed(Tensor parent, Tensor view, int offset) implements AutoCloseable {
        /** The parent's contents outside the view must still be NaN. */
        void assertSurroundingUntouched(String what) {
            float[] all = parent.download();
            for (int i = 0; i < all.length; i++)
                if ((i < offset || i >= offset + view.size()) && !Float.isNaN(all[i]))
                    fail(what + ": element " + i + " outside the view was overwritten with " + all[i]);
        }

        @Override public void close() { parent.close(); }
    }

    Placed place(Random r, float[] data, int rows, int cols) {
        int before = r.nextInt(5), after = r.nextInt(5), n = rows * cols;
        float[] all = new float[before + n + after];
        Arrays.fill(all, Float.NaN);
        if (data != null) System.arraycopy(data, 0, all, before, n);
        Tensor parent = backend().upload(all, 1, all.length);
        return new Placed(parent, parent.view(before, rows, cols), before);
    }

    static void assertClose(String what, double expected, float actual, double tol) {
        if (!(Math.abs(actual - expected) <= tol))
            fail(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
    }

    /** sums[c] = the float64 sum of column c of x (rows x cols), to float32 summation error. */
    static void assertColumnSums(String what, float[] x, int rows, int cols, float[] sums) {
        for (int c = 0; c < cols; c++) {
            double sum = 0, abs = 0;
            for (int i = 0; i < rows; i++) { sum += x[i * cols + c]; abs += Math.abs(x[i * cols + c]); }
            assertClose(what + " column " + c, sum, sums[c], 2 * rows * 6e-8 * abs + 1e-30);
        }
    }

    // ---- GEMM ---------------------------------------------------------------------------------

    void checkGemm(long seed, int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
        Random r = new Random(seed);
        float[] a = Rand.floats(r, m * k, 1), b = Rand.floats(r, k * n, 1);
        float[] c0 = beta == 0 ? null : Rand.floats(r, m * n, 1);
        double[][] ref = Ref.gemm(ta, tb, m, n, k, alpha, a, b, beta, c0);
        try (Placed pa = place(r, a, ta ? k : m, ta ? m : k); Placed pb = place(r, b, tb ? n : k, tb ? k : n);
             Placed pc = place(r, c0, m, n)) {
            backend().gemm(ta, tb, alpha, pa.view(), pb.view(), beta, pc.view());
            float[] c = pc.view().download();
            String what = "gemm " + m + "x" + n + "x" + k + (ta ? " A^T" : "") + (tb ? " B^T" : "") + " seed " + seed;
            for (int i = 0; i < m * n; i++) assertClose(what + " element " + i, ref[0][i], c[i], ref[1][i]);
            pc.assertSurroundingUntouched(what);
        }
    }

    @Property(tries = 40)
    void gemmMatchesReference(@ForAll @IntRange(min = 1, max = 140) int m, @ForAll @IntRange(min = 1, max = 140) int n,
                              @ForAll @IntRange(min = 1, max = 300) int k, @ForAll boolean ta, @ForAll boolean tb,
                              @ForAll long seed) {
        Random r = new Random(seed);
        float alpha = r.nextBoolean() ? 1f : (float) r.nextGaussian();
        int kind = r.nextInt(3); // 0 and 1 have their own paths (C not read; accumulated into C)
        float beta = kind == 0 ? 0f : kind == 1 ? 1f : (float) r.nextGaussian();
        checkGemm(seed, m, n, k, ta, tb, alpha, beta);
    }

    @Example
    void gemmOnAwkwardShapes() {
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {64, 128, 784}, {33, 129, 785}, {1, 1000, 1}, {129, 1, 67}, {97, 61, 1}, {64, 10, 64}};
        for (int[] s : shapes)
            for (int t = 0; t < 4; t++) checkGemm(s[0] * 31L + t, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1f, 0f);
        checkGemm(5, 64, 10, 64, false, false, -0.5f, 2f);
    }

    // ---- bias, activations, element-wise --------------------------------------------------------

    @Property(tries = 25)
    void addBiasAndBiasGrad(@ForAll @IntRange(min = 1, max = 300) int rows, @ForAll @IntRange(min = 1, max = 300) int cols,
                            @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, rows * cols, 3), bias = Rand.floats(r, cols, 3);
        try (Tensor tx = backend().upload(x, rows, cols); Tensor tb = backend().upload(bias, 1, cols);
             Placed y = place(r, null, rows, cols); Placed db = place(r, null, 1, cols)) {
            backend().addBias(tx, tb, y.view());
            float[] out = y.view().download();
            for (int i = 0; i < rows * cols; i++) assertEquals(x[i] + bias[i % cols], out[i], 0f, "addBias element " + i);
            y.assertSurroundingUntouched("addBias");

            backend().biasGrad(tx, db.view());
            float[] g = db.view().download();
            assertColumnSums("biasGrad", x, rows, cols, g);
            db.assertSurroundingUntouched("biasGrad");
        }
    }

    @Property(tries = 25)
    void activationsAndGradients(@ForAll Activation f, @ForAll @IntRange(min = 1, max = 200) int rows,
                                 @ForAll @IntRange(min = 1, max = 200) int cols, @ForAll long seed) {
        Random r = new Random(seed);
        int n = rows * cols;
        float[] x = Rand.floats(r, n, 8), dy = Rand.floats(r, n, 1);
        try (Tensor tx = backend().upload(x, rows, cols); Tensor tdy = backend().upload(dy, rows, cols);
             Placed y = place(r, null, rows, cols); Placed dx = place(r, null, rows, cols)) {
            backend().activation(f, tx, y.view());
            float[] out = y.view().download();
            for (int i = 0; i < n; i++) {
                double ref = Ref.activation(f, x[i]);
                assertClose(f + " element " + i + " of x=" + x[i], ref, out[i], 4e-7 + 4e-6 * Math.abs(ref));
            }
            y.assertSurroundingUntouched(f.toString());
            backend().activationGrad(f, y.view(), tdy, dx.view());
            float[] g = dx.view().download();
            for (int i = 0; i < n; i++) {
                double ref = Ref.activationGrad(f, out[i], dy[i]);
                assertClose(f + " grad element " + i, ref, g[i], 1e-7 + 1e-6 * Math.abs(ref));
            }
            dx.assertSurroundingUntouched(f + " grad");
        }
    }

    @Property(tries = 15)
    void activationInPlace(@ForAll Activation f, @ForAll @IntRange(min = 1, max = 500) int n, @ForAll long seed) {
        float[] x = Rand.floats(new Random(seed), n, 4);
        try (Tensor t = backend().upload(x, 1, n)) {
            backend().activation(f, t, t);
            float[] out = t.download();
            for (int i = 0; i < n; i++) assertClose(f + " in place " + i, Ref.activation(f, x[i]), out[i], 4e-7 + 4e-6 * Math.abs(out[i]));
        }
    }

    /**
     * A buffer allocated after another was closed computes on its own data. An OpenCL driver may
     * hand the released buffer's handle value to the next allocation; a kernel-argument cache
     * that compared handle values then launched on the released buffer (all zeros on Oclgrind).
     */
    @Example
    void aBufferAllocatedAfterAClosedOneIsUsedAsItself() {
        for (int round = 1; round <= 4; round++) {
            float[] x = new float[37];
            for (int i = 0; i < x.length; i++) x[i] = round * 100 + i;
            try (Tensor t = backend().upload(x, 1, x.length); Tensor y = backend().zeros(1, x.length)) {
                backend().activation(Activation.LINEAR, t, y);
                assertArrayEquals(x, y.download(), 0f, "round " + round);
            }
        }
    }

    @Property(tries = 15)
    void multiplyAndCopy(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[] a = Rand.floats(r, n, 2), b = Rand.floats(r, n, 2);
        try (Tensor ta = backend().upload(a, n, 1); Tensor tb = backend().upload(b, 1, n); Tensor tbColumn = backend().upload(b, n, 1);
             Placed c = place(r, null, 1, n); Placed d = place(r, null, n, 1)) {
            backend().multiply(ta, tbColumn, c.view().view(0, n, 1));
            float[] out = c.view().download();
            for (int i = 0; i < n; i++) assertEquals(a[i] * b[i], out[i], 0f, "multiply " + i);
            c.assertSurroundingUntouched("multiply");
            backend().copy(tb, d.view());
            assertTrue(Arrays.equals(b, d.view().download()), "copy");
            d.assertSurroundingUntouched("copy");
        }
    }

    // ---- softmax and cross-entropy --------------------------------------------------------------

    @Property(tries = 25)
    void softmaxCrossEntropyWithLabelsAndOneHot(@ForAll @IntRange(min = 1, max = 150) int rows,
                                                @ForAll @IntRange(min = 1, max = 40) int k, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, rows * k, 20);
        int[] labels = Rand.ints(r, rows, k);
        float[] onehot = new float[rows * k];
        for (int i = 0; i < rows; i++) onehot[i * k + labels[i]] = 1f;
        try (Tensor tx = backend().upload(x, rows, k); Tensor tl = backend().upload(labels, rows, 1);
             Tensor ty = backend().upload(onehot, rows, k)) {
            for (Tensor targets : new Tensor[] {tl, ty}) {
                try (Placed p = place(r, null, rows, k); Placed d = place(r, null, rows, k); Placed loss = place(r, null, rows, 1)) {
                    backend().softmaxCrossEntropy(tx, targets, p.view(), d.view(), loss.view());
                    float[] pv = p.view().download(), dv = d.view().download(), lv = loss.view().download();
                    String what = "softmaxCrossEntropy " + rows + "x" + k + " targets " + targets.dtype();
                    for (int i = 0; i < rows; i++) {
                        double[] ref = Ref.softmaxRow(x, i * k, k);
                        double refLoss = -Math.log(ref[labels[i]]);
                        assertClose(what + " loss row " + i, refLoss, lv[i], 1e-5 * (1 + refLoss));
                        for (int j = 0; j < k; j++) {
                            assertClose(what + " p[" + i + "," + j + "]", ref[j], pv[i * k + j], 1e-7 + 1e-5 * ref[j]);
                            double g = (ref[j] - (j == labels[i] ? 1 : 0)) / rows;
                            assertClose(what + " dlogits[" + i + "," + j + "]", g, dv[i * k + j], (2e-7 + 1e-5 * ref[j]) / rows);
                        }
                    }
                    p.assertSurroundingUntouched(what + " probs");
                    d.assertSurroundingUntouched(what + " dlogits");
                    loss.assertSurroundingUntouched(what + " loss");
                }
            }
            try (Placed s = place(r, null, rows, k)) {
                backend().softmax(tx, s.view());
                float[] sv = s.view().download();
                for (int i = 0; i < rows; i++) {
                    double[] ref = Ref.softmaxRow(x, i * k, k);
                    for (int j = 0; j < k; j++) assertClose("softmax[" + i + "," + j + "]", ref[j], sv[i * k + j], 1e-7 + 1e-5 * ref[j]);
                }
                s.assertSurroundingUntouched("softmax");
            }
        }
    }

    @Example
    void softmaxIsStableForHugeLogitsAndFlagsBadLabels() {
        try (Tensor x = backend().upload(new float[] {1000f, 1001f, -1000f, 0f, 0f, 0f}, 2, 3);
             Tensor labels = backend().upload(new int[] {1, 3}, 2, 1);
             Tensor p = backend().zeros(2, 3); Tensor d = backend().zeros(2, 3); Tensor loss = backend().zeros(2, 1)) {
            backend().softmaxCrossEntropy(x, labels, p, d, loss);
            float[] pv = p.download(), lv = loss.download();
            assertClose("p0", 1 / (1 + Math.E), pv[0], 1e-6);
            assertClose("p1", Math.E / (1 + Math.E), pv[1], 1e-6);
            assertEquals(0f, pv[2], "p2");
            assertClose("loss0", Math.log1p(Math.exp(-1)), lv[0], 1e-6);
            assertTrue(Float.isNaN(lv[1]), "label 3 of 3 classes must give a NaN loss, got " + lv[1]);
        }
    }

    // ---- dropout --------------------------------------------------------------------------------

    @Property(tries = 15)
    void dropoutMatchesPhiloxAndKeepsExpectation(@ForAll @IntRange(min = 1, max = 300) int rows,
                                                 @ForAll @IntRange(min = 1, max = 300) int cols,
                                                 @ForAll long seed, @ForAll @IntRange(min = 0, max = 1000000) int step) {
        Random r = new Random(seed);
        float rate = r.nextInt(4) == 0 ? 0f : r.nextFloat() * 0.9f;
        int n = rows * cols;
        float[] x = Rand.floats(r, n, 5);
        try (Tensor tx = backend().upload(x, rows, cols); Placed y = place(r, null, rows, cols); Placed mask = place(r, null, rows, cols)) {
            backend().dropout(tx, y.view(), mask.view(), rate, seed, step);
            float[] yv = y.view().download(), mv = mask.view().download();
            float scale = 1f / (1f - rate);
            for (int i = 0; i < n; i++) {
                float want = Philox.uniform(seed, step, i) >= rate ? scale : 0f;
                assertEquals(want, mv[i], 0f, "mask element " + i);
                assertEquals(x[i] * want, yv[i], 0f, "dropout output " + i);
            }
            y.assertSurroundingUntouched("dropout y");
            mask.assertSurroundingUntouched("dropout mask");
        }
    }

    @Example
    void dropoutDropsTheRequestedFraction() {
        int n = 200_000;
        float rate = 0.1f;
        try (Tensor x = backend().upload(new float[n], 1, n); Tensor y = backend().zeros(1, n); Tensor mask = backend().zeros(1, n)) {
            backend().dropout(x, y, mask, rate, 42L, 7L);
            float[] m = mask.download();
            long dropped = 0;
            for (float v : m) if (v == 0f) dropped++;
            double frac = dropped / (double) n, sd = Math.sqrt(rate * (1 - rate) / n);
            assertTrue(Math.abs(frac - rate) < 5 * sd, "dropped fraction " + frac + " vs rate " + rate);
        }
    }

    // ---- optimizers -----------------------------------------------------------------------------

    @Property(tries = 15)
    void sgdWithAndWithoutMomentum(@ForAll @IntRange(min = 1, max = 20000) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[] p = Rand.floats(r, n, 1), g = Rand.floats(r, n, 1), v = Rand.floats(r, n, 1);
        float lr = 0.01f + r.nextFloat(), mom = r.nextFloat();
        try (Tensor tp = backend().upload(p, 1, n); Tensor tg = backend().upload(g, 1, n); Tensor tv = backend().upload(v, 1, n);
             Tensor tp2 = backend().upload(p, 1, n)) {
            backend().sgd(tp, tg, null, lr, 0f);
            backend().sgd(tp2, tg, tv, lr, mom);
            float[] out = tp.download(), out2 = tp2.download(), vOut = tv.download();
            for (int i = 0; i < n; i++) {
                assertClose("sgd " + i, p[i] - (double) lr * g[i], out[i], 3e-7 * (Math.abs(p[i]) + lr));
                double ve = (double) mom * v[i] - (double) lr * g[i];
                assertClose("sgd velocity " + i, ve, vOut[i], 3e-7 * (1 + lr));
                assertClose("sgd momentum param " + i, p[i] + ve, out2[i], 6e-7 * (Math.abs(p[i]) + 1 + lr));
            }
        }
    }

    @Property(tries = 15)
    void adamMatchesKeras(@ForAll @IntRange(min = 1, max = 20000) int n, @ForAll @IntRange(min = 1, max = 5000) int t,
                          @ForAll long seed) {
        Random r = new Random(seed);
        float[] p = Rand.floats(r, n, 1), g = Rand.floats(r, n, 1), m = Rand.floats(r, n, 0.1f), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 0.01f;
        float lr = 0.001f, b1 = 0.9f, b2 = 0.999f, eps = 1e-7f;
        try (Tensor tp = backend().upload(p, 1, n); Tensor tg = backend().upload(g, 1, n);
             Tensor tm = backend().upload(m, 1, n); Tensor tv = backend().upload(v, 1, n)) {
            backend().adam(tp, tg, tm, tv, lr, b1, b2, eps, t);
            float[] po = tp.download(), mo = tm.download(), vo = tv.download();
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < n; i++) {
                double me = m[i] + (g[i] - (double) m[i]) * (1 - (double) b1);
                double ve = v[i] + ((double) g[i] * g[i] - v[i]) * (1 - (double) b2);
                assertClose("adam m " + i, me, mo[i], 1e-6 * (1 + Math.abs(me)));
                assertClose("adam v " + i, ve, vo[i], 1e-6 * (1e-3 + Math.abs(ve)));
                double step = lrT * me / (Math.sqrt(ve) + eps);
                assertClose("adam param " + i, p[i] - step, po[i], 1e-6 * Math.abs(p[i]) + 1e-4 * Math.abs(step) + 1e-9);
            }
        }
    }

    @Property(tries = 15)
    void rmspropAndWeightDecayMatchKeras(@ForAll @IntRange(min = 1, max = 20000) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[] p = Rand.floats(r, n, 1), g = Rand.floats(r, n, 1), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 0.01f;
        float lr = 0.001f, rho = 0.9f, eps = 1e-7f, rate = 0.004f * lr;
        try (Tensor tp = backend().upload(p, 1, n); Tensor tg = backend().upload(g, 1, n); Tensor tv = backend().upload(v, 1, n)) {
            backend().weightDecay(tp, rate);
            float[] decayed = tp.download();
            backend().rmsprop(tp, tg, tv, lr, rho, eps);
            float[] po = tp.download(), vo = tv.download();
            for (int i = 0; i < n; i++) {
                double d = p[i] - (double) p[i] * rate;
                assertClose("decayed param " + i, d, decayed[i], 1e-7 * Math.abs(p[i]));
                double ve = rho * (double) v[i] + (1 - (double) rho) * g[i] * g[i];
                assertClose("rmsprop v " + i, ve, vo[i], 1e-6 * (1e-3 + Math.abs(ve)));
                double step = lr * g[i] / Math.sqrt(ve + eps);
                assertClose("rmsprop param " + i, decayed[i] - step, po[i], 1e-6 * Math.abs(decayed[i]) + 1e-4 * Math.abs(step) + 1e-9);
            }
        }
    }

    /** Adam counts gradients and moments below Tuning.ADAM_FLUSH as 0 on every backend, so no denormal is ever computed. */
    @Example
    void adamFlushesTinyGradientsAndMoments() {
        float tiny = Tuning.ADAM_FLUSH / 4, small = Tuning.ADAM_FLUSH_ROOT / 4; // small: normal, but its square is below the flush
        float[] g = {0f, tiny, small, 0f, 0.5f}, m = {tiny, 0f, 0f, 1e-3f, tiny}, v = {tiny, tiny, 0f, 1e-3f, 0f};
        try (Tensor tp = backend().upload(new float[5], 1, 5); Tensor tg = backend().upload(g, 1, 5);
             Tensor tm = backend().upload(m, 1, 5); Tensor tv = backend().upload(v, 1, 5)) {
            backend().adam(tp, tg, tm, tv, 0.001f, 0.9f, 0.999f, 1e-7f, 3);
            float[] mo = tm.download(), vo = tv.download();
            assertEquals(0f, mo[0], 0f, "a tiny moment with no gradient becomes exactly 0, not a denormal");
            assertEquals(0f, mo[1], 0f, "a tiny gradient counts as 0");
            assertEquals(0f, vo[0], 0f);
            assertEquals(0f, vo[2], 0f, "a gradient whose square would be tiny adds nothing to v");
            assertEquals(small * 0.1f, mo[2], small * 1e-6f, "but it still moves m");
            assertEquals(1e-3f * 0.9f, mo[3], 1e-9f, "ordinary values are untouched");
            assertEquals(0.05f, mo[4], 1e-7f);
            for (float x : mo) assertTrue(x == 0 || Math.abs(x) >= Float.MIN_NORMAL, "no denormal in m: " + java.util.Arrays.toString(mo));
            for (float x : vo) assertTrue(x == 0 || Math.abs(x) >= Float.MIN_NORMAL, "no denormal in v: " + java.util.Arrays.toString(vo));
        }
    }

    // ---- gather, argmax, counting, sums ----------------------------------------------------------

    @Property(tries = 20)
    void gatherRowsOfFloatsIntsAndPixels(@ForAll @IntRange(min = 1, max = 100) int srcRows,
                                         @ForAll @IntRange(min = 1, max = 100) int cols,
                                         @ForAll @IntRange(min = 1, max = 100) int rows, @ForAll long seed) {
        Random r = new Random(seed);
        float[] src = Rand.floats(r, srcRows * cols, 1);
        int[] srcI = Rand.ints(r, srcRows * cols, 1000);
        byte[] pixels = new byte[srcRows * cols];
        r.nextBytes(pixels);
        int start = r.nextInt(10);
        int[] idx = Rand.ints(r, start + rows + r.nextInt(5), srcRows);
        try (Tensor ts = backend().upload(src, srcRows, cols); Tensor ti = backend().upload(srcI, srcRows, cols);
             Tensor tp = backend().upload(pixels, srcRows, cols); Tensor tidx = backend().upload(idx, 1, idx.length);
             Placed df = place(r, null, rows, cols); Tensor di = Rand.poisonedInts(backend(), rows, cols);
             Placed dp = place(r, null, rows, cols)) {
            backend().gatherRows(ts, tidx, start, df.view());
            backend().gatherRows(ti, tidx, start, di);
            backend().gatherRows(tp, tidx, start, dp.view());
            float[] f = df.view().download(), px = dp.view().download();
            int[] iv = di.downloadInts();
            for (int rr = 0; rr < rows; rr++)
                for (int c = 0; c < cols; c++) {
                    int s = idx[start + rr] * cols + c, d = rr * cols + c;
                    assertEquals(src[s], f[d], 0f, "float gather " + rr + "," + c);
                    assertEquals(srcI[s], iv[d], "int gather " + rr + "," + c);
                    assertEquals((pixels[s] & 0xFF) * (1f / 255f), px[d], 0f, "pixel gather " + rr + "," + c);
                }
            df.assertSurroundingUntouched("gather");
            dp.assertSurroundingUntouched("gather pixels");
        }
    }

    /** A batch big enough for the CPU backend to gather it on several threads (MNIST's is 64 x 784), a bad index among its rows. */
    @Example
    void gatherOfALargeBatch() {
        Random r = new Random(11);
        int srcRows = 300, cols = 784, rows = 70;
        byte[] pixels = new byte[srcRows * cols];
        r.nextBytes(pixels);
        float[] src = Rand.floats(r, srcRows * cols, 1);
        int[] idx = Rand.ints(r, rows, srcRows);
        idx[41] = srcRows;
        try (Tensor tp = backend().upload(pixels, srcRows, cols); Tensor ts = backend().upload(src, srcRows, cols);
             Tensor tidx = backend().upload(idx, 1, rows); Tensor dp = backend().zeros(rows, cols); Tensor df = backend().zeros(rows, cols)) {
            backend().gatherRows(tp, tidx, 0, dp);
            backend().gatherRows(ts, tidx, 0, df);
            float[] p = dp.download(), f = df.download();
            for (int rr = 0; rr < rows; rr++)
                for (int c = 0; c < cols; c++) {
                    int d = rr * cols + c;
                    if (rr == 41) {
                        assertTrue(Float.isNaN(p[d]) && Float.isNaN(f[d]), "row of a bad index, column " + c);
                        continue;
                    }
                    int s = idx[rr] * cols + c;
                    assertEquals((pixels[s] & 0xFF) * (1f / 255f), p[d], 0f, "pixel gather " + rr + "," + c);
                    assertEquals(src[s], f[d], 0f, "float gather " + rr + "," + c);
                }
        }
    }

    @Example
    void gatherFlagsIndicesOutsideTheSource() {
        try (Tensor src = backend().upload(new float[] {1, 2, 3, 4}, 2, 2); Tensor idx = backend().upload(new int[] {1, 2, -1}, 3, 1);
             Tensor dst = backend().zeros(3, 2)) {
            backend().gatherRows(src, idx, 0, dst);
            float[] d = dst.download();
            assertEquals(3f, d[0]);
            assertEquals(4f, d[1]);
            for (int i = 2; i < 6; i++) assertTrue(Float.isNaN(d[i]), "row of a bad index must be NaN, element " + i + " = " + d[i]);
        }
    }

    @Property(tries = 20)
    void argmaxCountCorrectAndSum(@ForAll @IntRange(min = 1, max = 700) int rows, @ForAll @IntRange(min = 1, max = 30) int k,
                                  @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, rows * k, 3);
        if (k > 1) for (int i = 0; i < rows; i += 7) x[i * k + k - 1] = x[i * k]; // ties: the first maximum wins
        int[] labels = Rand.ints(r, rows, k);
        int expected = 0;
        int[] am = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 1; j < k; j++) if (x[i * k + j] > x[i * k + am[i]]) am[i] = j;
            if (am[i] == labels[i]) expected++;
        }
        try (Tensor tx = backend().upload(x, rows, k); Tensor tl = backend().upload(labels, rows, 1);
             Tensor out = Rand.poisonedInts(backend(), rows, 1); Tensor count = Rand.poisonedInts(backend(), 1, 3);
             Placed sum = place(r, null, 1, 2)) {
            backend().argmaxRows(tx, out);
            assertTrue(Arrays.equals(am, out.downloadInts()), "argmax rows");
            backend().countCorrect(tx, tl, count, 1);
            int[] c = count.downloadInts();
            assertEquals(expected, c[1], "count correct");
            assertEquals(Integer.MIN_VALUE, c[0], "count must write only its index");
            backend().sum(tx, sum.view(), 1);
            double ref = 0, abs = 0;
            for (float v : x) { ref += v; abs += Math.abs(v); }
            float[] s = sum.view().download();
            assertClose("sum", ref, s[1], 2 * x.length * 6e-8 * abs);
            assertTrue(Float.isNaN(s[0]), "sum must write only its index");
        }
    }

    // ---- fused operations -------------------------------------------------------------------------

    @Property(tries = 25)
    void denseAndDenseInputGradMatchTheReference(@ForAll Activation f, @ForAll @IntRange(min = 1, max = 80) int rows,
                                                 @ForAll @IntRange(min = 1, max = 300) int in,
                                                 @ForAll @IntRange(min = 1, max = 140) int out, @ForAll boolean masked,
                                                 @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, rows * in, 1), w = Rand.floats(r, in * out, 1), bias = Rand.floats(r, out, 1);
        float[] dz = Rand.floats(r, rows * out, 1), yPrev = new float[rows * in], mask = new float[rows * in];
        for (int i = 0; i < yPrev.length; i++) yPrev[i] = (float) Ref.activation(f, x[i] * 3);
        for (int i = 0; i < mask.length; i++) mask[i] = masked ? (r.nextInt(4) == 0 ? 0f : 1.25f) : 1f; // a dropout mask, rate 0.2
        double[][] z = Ref.gemm(false, false, rows, out, in, 1f, x, w, 0f, null);
        double[][] g = Ref.gemm(false, true, rows, in, out, 1f, dz, w, 0f, null);
        try (Tensor tx = backend().upload(x, rows, in); Tensor tw = backend().upload(w, in, out); Tensor tb = backend().upload(bias, 1, out);
             Tensor tdz = backend().upload(dz, rows, out); Tensor ty = backend().upload(yPrev, rows, in);
             Tensor tm = backend().upload(mask, rows, in); Placed y = place(r, null, rows, out); Placed dx = place(r, null, rows, in)) {
            backend().dense(tx, tw, tb, f, y.view());
            float[] yv = y.view().download();
            for (int i = 0; i < rows * out; i++) {
                double pre = z[0][i] + bias[i % out], ref = Ref.activation(f, pre);
                // every f here has |f'| <= 1, so the pre-activation's rounding passes through at most 1:1
                double tol = (z[1][i] + 6e-8 * Math.abs(pre)) * 2 + 4e-7 + 4e-6 * Math.abs(ref);
                if (f == Activation.RELU && Math.abs(pre) <= tol) continue; // the kink: either side is right
                assertClose("dense " + f + " element " + i, ref, yv[i], tol);
            }
            y.assertSurroundingUntouched("dense");
            backend().denseInputGrad(tdz, tw, f, ty, masked ? tm : null, dx.view());
            float[] dv = dx.view().download();
            for (int i = 0; i < rows * in; i++) {
                double s = mask[i] * Ref.activationGrad(f, yPrev[i], 1), ref = g[0][i] * s;
                // the slope itself is computed in float32: 1 - y*y loses up to ~2 ulp(1) to cancellation
                double slopeError = 2.4e-7 * mask[i] * Math.abs(g[0][i]);
                assertClose("denseInputGrad " + f + " element " + i, ref, dv[i],
                        Math.abs(s) * g[1][i] * 2 + slopeError + 1e-6 * Math.abs(ref) + 1e-30);
            }
            dx.assertSurroundingUntouched("denseInputGrad");
        }
    }

    /** The fused dense + dropout writes what dense followed by dropout writes, bit for bit, and draws the mask from Philox. */
    @Property(tries = 20)
    void denseDropoutIsDenseThenDropout(@ForAll Activation f, @ForAll @IntRange(min = 1, max = 70) int rows,
                                        @ForAll @IntRange(min = 1, max = 90) int in, @ForAll @IntRange(min = 1, max = 75) int out,
                                        @ForAll long seed, @ForAll @IntRange(min = 0, max = 1000000) int step) {
        Random r = new Random(seed);
        float rate = 0.05f + 0.8f * r.nextFloat(), scale = 1f / (1f - rate);
        try (Tensor x = backend().upload(Rand.floats(r, rows * in, 1), rows, in); Tensor w = backend().upload(Rand.floats(r, in * out, 1), in, out);
             Tensor bias = backend().upload(Rand.floats(r, out, 1), 1, out); Tensor y1 = backend().zeros(rows, out);
             Tensor d1 = backend().zeros(rows, out); Tensor m1 = backend().zeros(rows, out);
             Placed y2 = place(r, null, rows, out); Placed d2 = place(r, null, rows, out); Placed m2 = place(r, null, rows, out)) {
            backend().dense(x, w, bias, f, y1);
            backend().dropout(y1, d1, m1, rate, seed, step);
            backend().denseDropout(x, w, bias, f, y2.view(), m2.view(), d2.view(), rate, seed, step);
            float[] y = y2.view().download(), m = m2.view().download(), d = d2.view().download();
            assertArrayEquals(y1.download(), y, "y");
            assertArrayEquals(m1.download(), m, "mask");
            assertArrayEquals(d1.download(), d, "dropped");
            for (int i = 0; i < m.length; i++) assertEquals(Philox.uniform(seed, step, i) >= rate ? scale : 0f, m[i], 0f, "mask element " + i);
            y2.assertSurroundingUntouched("denseDropout y");
            m2.assertSurroundingUntouched("denseDropout mask");
            d2.assertSurroundingUntouched("denseDropout dropped");
        }
    }

    @Property(tries = 25)
    void denseWeightGradMatchesTheReference(@ForAll @IntRange(min = 1, max = 300) int rows,
                                            @ForAll @IntRange(min = 1, max = 140) int in,
                                            @ForAll @IntRange(min = 1, max = 140) int out, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, rows * in, 1), dz = Rand.floats(r, rows * out, 1);
        double[][] ref = Ref.gemm(true, false, in, out, rows, 1f, x, dz, 0f, null);
        try (Tensor tx = backend().upload(x, rows, in); Tensor tdz = backend().upload(dz, rows, out);
             Placed dw = place(r, null, in, out); Placed db = place(r, null, 1, out)) {
            backend().denseWeightGrad(tx, tdz, dw.view(), db.view());
            String what = "denseWeightGrad " + rows + "x" + in + "x" + out + " seed " + seed;
            float[] w = dw.view().download(), b = db.view().download();
            for (int i = 0; i < in * out; i++) assertClose(what + " dW element " + i, ref[0][i], w[i], ref[1][i]);
            assertColumnSums(what + " db", dz, rows, out, b);
            dw.assertSurroundingUntouched(what + " dW");
            db.assertSurroundingUntouched(what + " db");
        }
    }

    /**
     * A batch gathered from mostly-zero pixels (where a backend may skip the zeros: the Java
     * backend's SparseGemm, OpenCL's gemm_sparse_a) gives the same floats in dense,
     * denseWeightGrad and denseSgd as the same values uploaded as floats, and matches the reference.
     */
    @Property(tries = 20)
    void aMostlyZeroPixelBatchGivesTheSameProductsAsFloats(@ForAll @IntRange(min = 1, max = 80) int rows,
                                                          @ForAll @IntRange(min = 1, max = 300) int in,
                                                          @ForAll @IntRange(min = 1, max = 300) int out,
                                                          @ForAll @IntRange(min = 0, max = 25) int percent, @ForAll long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[rows * in];
        for (int e = 0; e < pixels.length; e++) if (r.nextInt(100) < percent) pixels[e] = (byte) (1 + r.nextInt(255));
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) idx[i] = rows - 1 - i;
        float[] w = Rand.floats(r, in * out, 0.2f), bias = Rand.floats(r, out, 0.2f), dz = Rand.floats(r, rows * out, 1);
        Backend b = backend();
        try (Tensor tp = b.upload(pixels, rows, in); Tensor ti = b.upload(idx, 1, rows); Tensor xg = b.zeros(rows, in);
             Tensor tw = b.upload(w, in, out); Tensor tb = b.upload(bias, 1, out); Tensor tdz = b.upload(dz, rows, out);
             Tensor y1 = b.zeros(rows, out); Tensor y2 = b.zeros(rows, out); Tensor dw1 = b.zeros(in, out); Tensor dw2 = b.zeros(in, out);
             Tensor db1 = b.zeros(1, out); Tensor db2 = b.zeros(1, out);
             Tensor w1 = b.upload(w, in, out); Tensor w2 = b.upload(w, in, out); Tensor bias1 = b.upload(bias, 1, out); Tensor bias2 = b.upload(bias, 1, out);
             Tensor sdb1 = b.zeros(1, out); Tensor sdb2 = b.zeros(1, out)) {
            b.gatherRows(tp, ti, 0, xg);
            float[] x = xg.download();
            try (Tensor xf = b.upload(x, rows, in)) {
                b.dense(xg, tw, tb, Activation.RELU, y1);
                b.dense(xf, tw, tb, Activation.RELU, y2);
                b.denseWeightGrad(xg, tdz, dw1, db1);
                b.denseWeightGrad(xf, tdz, dw2, db2);
                b.denseSgd(xg, tdz, w1, bias1, sdb1, 0.05f); // the step into w, where rows of x^T without a nonzero leave w as it is
                b.denseSgd(xf, tdz, w2, bias2, sdb2, 0.05f);
            }
            String what = rows + "x" + in + "x" + out + " at " + percent + "% nonzeros, seed " + seed;
            assertArrayEquals(y2.download(), y1.download(), "dense " + what);
            assertArrayEquals(dw2.download(), dw1.download(), "denseWeightGrad dW " + what);
            assertArrayEquals(db2.download(), db1.download(), "denseWeightGrad db " + what);
            assertArrayEquals(w2.download(), w1.download(), "denseSgd w " + what);
            double[][] ref = Ref.gemm(true, false, in, out, rows, 1f, x, dz, 0f, null);
            float[] dw = dw1.download();
            for (int e = 0; e < in * out; e++) assertClose("denseWeightGrad " + what + " dW element " + e, ref[0][e], dw[e], ref[1][e]);
            assertColumnSums("denseWeightGrad " + what + " db", dz, rows, out, db1.download());
        }
    }

    /** denseSgd updates weights and bias as denseWeightGrad then sgd would (float64 reference), and writes db. */
    @Property(tries = 20)
    void denseSgdIsTheWeightGradientAndAnSgdStep(@ForAll @IntRange(min = 1, max = 300) int rows,
                                                 @ForAll @IntRange(min = 1, max = 140) int in,
                                                 @ForAll @IntRange(min = 1, max = 140) int out, @ForAll long seed) {
        Random r = new Random(seed);
        float lr = 0.001f + r.nextFloat() * 0.5f;
        float[] x = Rand.floats(r, rows * in, 1), dz = Rand.floats(r, rows * out, 1), w0 = Rand.floats(r, in * out, 1), b0 = Rand.floats(r, out, 1);
        double[][] ref = Ref.gemm(true, false, in, out, rows, 1f, x, dz, 0f, null);
        try (Tensor tx = backend().upload(x, rows, in); Tensor tdz = backend().upload(dz, rows, out);
             Placed w = place(r, w0, in, out); Placed bias = place(r, b0, 1, out); Placed db = place(r, null, 1, out)) {
            backend().denseSgd(tx, tdz, w.view(), bias.view(), db.view(), lr);
            String what = "denseSgd " + rows + "x" + in + "x" + out + " lr " + lr + " seed " + seed;
            float[] wv = w.view().download(), bv = bias.view().download(), dbv = db.view().download();
            for (int i = 0; i < in * out; i++)
                assertClose(what + " w element " + i, w0[i] - lr * ref[0][i], wv[i], lr * ref[1][i] + 2e-7 * Math.abs(w0[i]) + 1e-7);
            assertColumnSums(what + " db", dz, rows, out, dbv);
            for (int j = 0; j < out; j++) assertClose(what + " bias element " + j, b0[j] - lr * (double) dbv[j], bv[j], 2e-7 * (Math.abs(b0[j]) + lr * Math.abs(dbv[j])) + 1e-7);
            w.assertSurroundingUntouched(what + " w");
            bias.assertSurroundingUntouched(what + " bias");
            db.assertSurroundingUntouched(what + " db");
        }
        if (backend() instanceof dev.clmlp.cpu.CpuBackend cpu && cpu.usesVectorApi() && rows <= 256) { // one panel: the very bits of the two-step form
            try (Tensor tx = backend().upload(x, rows, in); Tensor tdz = backend().upload(dz, rows, out); Tensor wa = backend().upload(w0, in, out);
                 Tensor ba = backend().upload(b0, 1, out); Tensor dba = backend().zeros(1, out); Tensor wb = backend().upload(w0, in, out);
                 Tensor bb = backend().upload(b0, 1, out); Tensor dw = backend().zeros(in, out); Tensor dbb = backend().zeros(1, out)) {
                backend().denseSgd(tx, tdz, wa, ba, dba, lr);
                backend().denseWeightGrad(tx, tdz, dw, dbb);
                backend().sgd(wb, dw, null, lr, 0f);
                backend().sgd(bb, dbb, null, lr, 0f);
                assertArrayEquals(wb.download(), wa.download(), "w bit for bit");
                assertArrayEquals(bb.download(), ba.download(), "bias bit for bit");
            }
        }
    }

    /**
     * denseBackwardSgd gives the very bits of denseInputGrad, from the weights before the step,
     * then denseSgd (the Java backend does both in one pass over w from {@link #fusedFrom} outputs),
     * on views inside larger buffers.
     */
    @Property(tries = 15)
    void denseBackwardSgdIsTheInputGradientThenDenseSgd(@ForAll @IntRange(min = 1, max = 80) int rows,
                                                        @ForAll @IntRange(min = 1, max = 300) int in,
                                                        @ForAll @IntRange(min = 1, max = 200) int few, @ForAll boolean fused,
                                                        @ForAll Activation f, @ForAll boolean masked, @ForAll long seed) {
        int out = fused ? fusedFrom() + few : few;
        Random r = new Random(seed);
        float lr = 0.001f + r.nextFloat() * 0.5f;
        float[] x = Rand.floats(r, rows * in, 1), dz = Rand.floats(r, rows * out, 1), w0 = Rand.floats(r, in * out, 1), b0 = Rand.floats(r, out, 1);
        float[] yPrev = new float[rows * in], mask = new float[rows * in];
        for (int i = 0; i < yPrev.length; i++) yPrev[i] = (float) Ref.activation(f, x[i] * 3);
        for (int i = 0; i < mask.length; i++) mask[i] = r.nextInt(4) == 0 ? 0f : 1.25f; // a dropout mask, rate 0.2
        Backend b = backend();
        try (Tensor tx = b.upload(x, rows, in); Tensor tdz = b.upload(dz, rows, out); Tensor ty = b.upload(yPrev, rows, in);
             Tensor tm = b.upload(mask, rows, in); Placed w = place(r, w0, in, out); Placed bias = place(r, b0, 1, out);
             Placed db = place(r, null, 1, out); Placed dx = place(r, null, rows, in); Tensor w2 = b.upload(w0, in, out);
             Tensor bias2 = b.upload(b0, 1, out); Tensor db2 = b.zeros(1, out); Tensor dx2 = b.zeros(rows, in)) {
            b.denseBackwardSgd(tx, tdz, w.view(), bias.view(), db.view(), lr, f, ty, masked ? tm : null, dx.view());
            b.denseInputGrad(tdz, w2, f, ty, masked ? tm : null, dx2);
            b.denseSgd(tx, tdz, w2, bias2, db2, lr);
            String what = "denseBackwardSgd " + rows + "x" + in + "x" + out + " " + f + (masked ? " masked" : "") + " seed " + seed;
            assertArrayEquals(dx2.download(), dx.view().download(), what + ": dx");
            assertArrayEquals(w2.download(), w.view().download(), what + ": w");
            assertArrayEquals(bias2.download(), bias.view().download(), what + ": bias");
            assertArrayEquals(db2.download(), db.view().download(), what + ": db");
            for (Placed p : new Placed[] {w, bias, db, dx}) p.assertSurroundingUntouched(what);
        }
    }

    @Property(tries = 20)
    void softmaxCrossEntropyStatsSumsLossAndHits(@ForAll @IntRange(min = 1, max = 600) int rows,
                                                 @ForAll @IntRange(min = 1, max = 30) int k, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, rows * k, 6);
        int[] labels = Rand.ints(r, rows, k);
        try (Tensor tx = backend().upload(x, rows, k); Tensor tl = backend().upload(labels, rows, 1);
             Placed p = place(r, null, rows, k); Placed d = place(r, null, rows, k); Placed sums = place(r, null, 1, 3);
             Tensor hits = Rand.poisonedInts(backend(), 1, 3)) {
            backend().softmaxCrossEntropyStats(tx, tl, p.view(), d.view(), sums.view(), hits, 2);
            float[] pv = p.view().download(), dv = d.view().download(), sv = sums.view().download();
            double loss = 0, abs = 0;
            int expectedHits = 0;
            for (int i = 0; i < rows; i++) {
                double[] ref = Ref.softmaxRow(x, i * k, k);
                loss += -Math.log(ref[labels[i]]);
                abs += Math.abs(Math.log(ref[labels[i]]));
                int best = 0;
                for (int j = 1; j < k; j++) if (pv[i * k + j] > pv[i * k + best]) best = j;
                if (best == labels[i]) expectedHits++;
                for (int j = 0; j < k; j++) {
                    assertClose("probs", ref[j], pv[i * k + j], 1e-7 + 1e-5 * ref[j]);
                    assertClose("dlogits", (ref[j] - (j == labels[i] ? 1 : 0)) / rows, dv[i * k + j], (2e-7 + 1e-5 * ref[j]) / rows);
                }
            }
            assertClose("loss sum", loss, sv[2], 1e-5 * (abs + rows));
            assertTrue(Float.isNaN(sv[0]) && Float.isNaN(sv[1]), "only slot 2 of the loss sums is written");
            int[] h = hits.downloadInts();
            assertEquals(expectedHits, h[2], "hits");
            assertEquals(Integer.MIN_VALUE, h[0], "only slot 2 of the hit counts is written");
            p.assertSurroundingUntouched("probs");
            d.assertSurroundingUntouched("dlogits");
        }
    }

    @Property(tries = 20)
    void regressionLossStatsMatchesTheReference(@ForAll @IntRange(min = 1, max = 600) int rows, @ForAll @IntRange(min = 1, max = 9) int k,
                                                @ForAll RegressionLoss loss, @ForAll long seed) {
        Random r = new Random(seed);
        float[] y = Rand.floats(r, rows * k, 3), t = Rand.floats(r, rows * k, 3);
        float delta = 0.25f + r.nextFloat() * 2;
        float[] scale = r.nextBoolean() ? Rand.floats(r, k, 1) : null; // each output's |error| times its factor, or as it is
        if (scale != null) for (int j = 0; j < k; j++) scale[j] = 0.1f + Math.abs(scale[j]) * 5;
        try (Tensor ty = backend().upload(y, rows, k); Tensor tt = backend().upload(t, rows, k);
             Placed d = place(r, null, rows, k); Placed sums = place(r, null, 1, 3); Placed abs = place(r, null, 2, 2);
             Tensor sc = scale == null ? null : backend().upload(scale, 1, k)) {
            backend().regressionLossStats(ty, tt, d.view(), loss, delta, sums.view(), abs.view(), 2, sc);
            float[] dv = d.view().download(), sv = sums.view().download(), av = abs.view().download();
            double lossSum = 0, absSum = 0, n = (double) rows * k;
            for (int i = 0; i < rows; i++) {
                double row = 0;
                for (int j = 0; j < k; j++) {
                    double e = (double) y[i * k + j] - t[i * k + j], a = Math.abs(e);
                    double l = switch (loss) { case MSE -> e * e; case MAE -> a; case HUBER -> a <= delta ? e * e / 2 : delta * (a - delta / 2); };
                    double slope = switch (loss) { case MSE -> 2 * e; case MAE -> Math.signum(e); case HUBER -> Math.max(-delta, Math.min(delta, e)); };
                    assertClose("dpred", slope / n, dv[i * k + j], 1e-6 * Math.abs(slope / n) + 1e-12);
                    row += l;
                    absSum += scale != null ? a * scale[j] : a;
                }
                lossSum += row / k;
            }
            assertClose("loss sum", lossSum, sv[2], 1e-5 * (lossSum + rows));
            assertClose("abs sum", absSum, av[2], 1e-5 * (absSum + n * 5));
            assertTrue(Float.isNaN(sv[0]) && Float.isNaN(sv[1]) && Float.isNaN(av[0]) && Float.isNaN(av[3]), "only slot 2 of the sums is written");
            d.assertSurroundingUntouched("dpred");
        }
    }

    @Property(tries = 20)
    void binaryCrossEntropyStatsMatchesTheReference(@ForAll @IntRange(min = 1, max = 600) int rows, @ForAll @IntRange(min = 1, max = 9) int k,
                                                    @ForAll long seed) {
        Random r = new Random(seed);
        float[] p = new float[rows * k], t = new float[rows * k];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % 7 == 0 ? (r.nextBoolean() ? 0f : 1f) : r.nextFloat(); // some at the clip
            t[i] = r.nextBoolean() ? 1f : 0f;
        }
        try (Tensor tp = backend().upload(p, rows, k); Tensor tt = backend().upload(t, rows, k);
             Placed d = place(r, null, rows, k); Placed sums = place(r, null, 1, 3); Placed hits = place(r, null, 1, 3)) {
            backend().binaryCrossEntropyStats(tp, tt, d.view(), sums.view(), hits.view(), 1);
            float[] dv = d.view().download(), sv = sums.view().download(), hv = hits.view().download();
            double lossSum = 0, abs = 0, n = (double) rows * k;
            int expectedHits = 0;
            for (int i = 0; i < rows; i++) {
                double row = 0;
                for (int j = 0; j < k; j++) {
                    int e = i * k + j;
                    double c = Math.max(Backend.BCE_EPS, Math.min(1f - Backend.BCE_EPS, p[e])); // 1 - eps rounded to float, as Keras has it in float32
                    double l = -(t[e] * Math.log(c) + (1 - t[e]) * Math.log(1 - c));
                    row += l;
                    abs += Math.abs(l);
                    if ((p[e] > 0.5f) == (t[e] > 0.5f)) expectedHits++;
                    assertClose("dlogits", (p[e] - t[e]) / n, dv[e], 1e-6 / n);
                }
                lossSum += row / k;
            }
            assertClose("loss sum", lossSum, sv[1], 1e-5 * (abs + rows));
            assertEquals(expectedHits, hv[1], 0f, "hits");
            assertTrue(Float.isNaN(sv[0]) && Float.isNaN(sv[2]) && Float.isNaN(hv[0]) && Float.isNaN(hv[2]), "only slot 1 of the sums is written");
            d.assertSurroundingUntouched("dlogits");
        }
    }

    @Property(tries = 10)
    void classWeightsScaleEachRowsLossAndGradient(@ForAll @IntRange(min = 1, max = 300) int rows, @ForAll @IntRange(min = 2, max = 12) int k,
                                                   @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, rows * k, 4), w = new float[k];
        for (int j = 0; j < k; j++) w[j] = 0.25f + 3 * r.nextFloat();
        int[] labels = Rand.ints(r, rows, k);
        try (Tensor tx = backend().upload(x, rows, k); Tensor tl = backend().upload(labels, rows, 1); Tensor tw = backend().upload(w, 1, k);
             Tensor p = backend().zeros(rows, k); Tensor d = backend().zeros(rows, k); Tensor sums = backend().zeros(1, 1);
             Tensor hits = backend().upload(new int[1], 1, 1)) {
            backend().softmaxCrossEntropyStats(tx, tl, p, d, sums, hits, 0, tw);
            float[] dv = d.download();
            double loss = 0, abs = 0;
            for (int i = 0; i < rows; i++) {
                double[] ref = Ref.softmaxRow(x, i * k, k);
                double wi = w[labels[i]];
                loss += -wi * Math.log(ref[labels[i]]);
                abs += Math.abs(wi * Math.log(ref[labels[i]]));
                for (int j = 0; j < k; j++)
                    assertClose("weighted dlogits", wi * (ref[j] - (j == labels[i] ? 1 : 0)) / rows, dv[i * k + j], wi * (2e-7 + 1e-5 * ref[j]) / rows);
            }
            assertClose("weighted loss sum", loss, sums.download()[0], 1e-5 * (abs + rows));
        }
    }
}
