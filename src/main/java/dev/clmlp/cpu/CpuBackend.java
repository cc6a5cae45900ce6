package dev.clmlp.cpu;

import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.Philox;
import dev.clmlp.tensor.RegressionLoss;
import dev.clmlp.tensor.Storage;
import dev.clmlp.tensor.Tensor;
import dev.clmlp.tensor.Tuning;

/**
 * The pure-Java reference backend: plain loops, a blocked multithreaded GEMM, and Vector API
 * variants of the GEMM and optimizer updates when the JVM has jdk.incubator.vector.
 */
public final class CpuBackend extends Backend {
    /**
     * Outputs (w's columns) from which denseBackwardSgd does both its products in one pass over w
     * (VectorGemm.inputGradThenUpdate), with the Vector API: with fewer, each band's product has a
     * short sum and its transpose costs more than w's second read. Batch 64, AMD EPYC Zen 5, two
     * threads (one): 1024x10 fused 88 us against 50 (90 against 50), 1024x64 93-99 against 76-100
     * (157 against 131), 1024x128 143-151 against 162-179 (254 against 252), 512x128 114 against
     * 103, 1024x256 267 against 316 (428 against 444).
     */
    public static final int FUSED_FROM = 256;

    /** True when the JVM has jdk.incubator.vector (--add-modules jdk.incubator.vector). */
    public static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final Workers pool;
    private final boolean vectorApi;

    /** All cores; the Vector API GEMM when the JVM has jdk.incubator.vector (./clmlp adds it). */
    public CpuBackend() { this(Runtime.getRuntime().availableProcessors()); }

    /**
     * @param threads worker threads for the parallel operations, at least 1
     */
    public CpuBackend(int threads) { this(threads, VECTOR_API); }

    /**
     * @param threads   worker threads for the parallel operations, at least 1
     * @param vectorApi whether to use the Vector API kernels (when the JVM has the module) or the plain loops
     */
    public CpuBackend(int threads, boolean vectorApi) {
        if (vectorApi && !VECTOR_API)
            throw new IllegalStateException("the Vector API GEMM needs the JVM option --add-modules jdk.incubator.vector");
        pool = new Workers(Math.max(1, threads));
        this.vectorApi = vectorApi;
    }

    @Override public String name() { return "cpu"; }

    /**
     * True: an operation touches only its tensors, its scratch is per thread, and the team of
     * threads takes jobs from any caller (a caller does whatever share of its job the team does not
     * take), so inference calls on many threads run at once.
     */
    @Override public boolean concurrentCalls() { return true; }

    /** @return whether this backend runs the Vector API kernels (else the plain loops) */
    public boolean usesVectorApi() { return vectorApi; }

    @Override public boolean prefersFusedUpdates() { return true; }

    @Override public String description() {
        return "Java CPU backend (" + pool.size() + " threads, " + (vectorApi ? "Vector API" : "plain loops") + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ")";
    }

    @Override protected Storage newStorage(DType dtype, long elements) { return new CpuStorage(dtype, elements); }

    @Override protected Storage sharedStorage(Object hostArray) { return new CpuStorage(hostArray); }

    @Override protected void closeBackend() { pool.close(); }

    private static CpuStorage s(Tensor t) { return (CpuStorage) t.storage(); }
    private static float[] f(Tensor t) { return s(t).f; }
    private static int[] ints(Tensor t) { return s(t).i; }
    private static int off(Tensor t) { return s(t).base + (int) t.offset(); }
    private static int n(Tensor t) { return (int) t.size(); }

    @Override protected void doWrite(Tensor t, Object host) {
        CpuStorage st = s(t);
        Object dst = st.f != null ? st.f : st.i != null ? st.i : st.b;
        System.arraycopy(host, 0, dst, off(t), n(t));
    }

    @Override protected void doRead(Tensor t, Object host) {
        CpuStorage st = s(t);
        Object src = st.f != null ? st.f : st.i;
        System.arraycopy(src, off(t), host, 0, n(t));
    }

    @Override protected void doGemm(boolean transA, boolean transB, int m, int n, int k,
                                    float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        gemm(transA, transB, m, n, k, alpha, a, b, beta, c, null);
    }

    /** The GEMM, with an epilogue on each finished block of C on the Vector API path; timed under --profile. */
    private void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c,
                      VectorGemm.Epilogue epilogue) {
        long t0 = recording() ? System.nanoTime() : 0;
        boolean sparse = takesSparseGemm(transA, transB, m, n, k, a, beta, epilogue != null);
        if (sparse && transA) SparseGemm.transposedTimes(pool, m, n, k, alpha, f(a), off(a), f(b), off(b), beta, f(c), off(c));
        else if (sparse) SparseGemm.times(pool, m, n, k, alpha, f(a), off(a), f(b), off(b), beta, f(c), off(c), epilogue);
        else if (vectorApi) VectorGemm.gemm(pool, transA, transB, m, n, k, alpha, f(a), off(a), f(b), off(b), beta, f(c), off(c), epilogue);
        else CpuGemm.gemm(pool, transA, transB, m, n, k, alpha, f(a), off(a), f(b), off(b), beta, f(c), off(c));
        if (t0 != 0) partTime("GEMM" + (sparse ? " of a sparse A" : "") + (transA ? " A^T" : "") + (transB ? " B^T" : "")
                + (epilogue != null ? " + fused epilogue" : ""),
                System.nanoTime() - t0);
    }

    /**
     * Whether {@link #gemm} takes SparseGemm: on the Vector API path, B not transposed, beta 0 or 1,
     * no epilogue on A^T, and op(A) mostly zeros, so that it multiplies only its nonzeros (the same results).
     */
    private boolean takesSparseGemm(boolean transA, boolean transB, int m, int n, int k, Tensor a, float beta, boolean epilogue) {
        if (!vectorApi || !skipsInputZeros || transB || beta != 0f && beta != 1f || transA && epilogue) return false;
        return transA ? SparseGemm.suitsTransposed(n, f(a), off(a), k, m) : SparseGemm.suits(n, f(a), off(a), m, k);
    }

    @Override protected void recordingChanged(boolean on) { // --profile: how long the caller waits for the other threads
        pool.waitTimes = on ? nanos -> partTime("waiting for the slowest thread", nanos) : null;
    }

    /**
     * Elements per parallel chunk of the element-wise loops; smaller jobs run on the caller's thread.
     * Keras's first layer (100K weights) is updated there, beside the products that read it: Adam
     * 77 -> 58 us a step on a 2-core VM (64K a chunk split it in two, and the forward pass then read
     * half of the weights from the other core's cache).
     */
    private static final int GRAIN = 1 << 18;
    /**
     * Gathers of this many elements or more are split across the threads, each core waiting for its
     * own rows' cache misses. Not a training batch of 64 MNIST images (50K values): split, it wakes
     * a worker that the small products (VectorGemm.SERIAL_BELOW) let sleep, and puts half the batch
     * in the other core's cache. Scratch: 50-85 us a step split, 20 on the calling thread.
     */
    private static final int GATHER_SPLIT = 1 << 18;

    /** A loop body over the index range [from, to). */
    private interface Range {
        void run(int from, int to);
    }

    /** body over [0, n), in chunks across the pool when n is large. */
    private void forRange(long n, Range body) {
        int chunks = (int) Math.min(pool.size() * 4L, (n + GRAIN - 1) / GRAIN);
        if (chunks <= 1) {
            body.run(0, (int) n);
            return;
        }
        long per = (n + chunks - 1) / chunks;
        CpuGemm.run(pool, chunks, c -> body.run((int) (c * per), (int) Math.min(n, (c + 1) * per)));
    }

    @Override protected void doDense(Tensor x, Tensor w, Tensor bias, Activation fn, Tensor y) {
        if (vectorApi) { // bias and activation on each block of y as the GEMM finishes it
            float[] bs = f(bias);
            int bo = off(bias);
            gemm(false, false, x.rows(), w.cols(), x.cols(), 1f, x, w, 0f, y, (c, co, ldc, i0, i1, j0, cols) -> {
                for (int i = i0; i < i1; i++) {
                    if (fn == Activation.RELU) VectorOps.biasRelu(c, co + i * ldc + j0, bs, bo + j0, cols); // the plain loop is not vectorised
                    else biasActivate(fn, c, co + i * ldc + j0, bs, bo + j0, cols);
                }
            });
            return;
        }
        doGemm(false, false, x.rows(), w.cols(), x.cols(), 1f, x, w, 0f, y);
        for (int r = 0; r < y.rows(); r++) biasActivate(fn, f(y), off(y) + r * y.cols(), f(bias), off(bias), y.cols());
    }

    /** y[o..o+n) = f(y + bias[bo..bo+n)), one loop per activation so that the JIT vectorises it. */
    private static void biasActivate(Activation fn, float[] y, int o, float[] bias, int bo, int n) {
        switch (fn) {
            case LINEAR -> { for (int j = 0; j < n; j++) y[o + j] += bias[bo + j]; }
            case RELU -> { for (int j = 0; j < n; j++) y[o + j] = Activation.RELU.apply(y[o + j] + bias[bo + j]); }
            default -> { for (int j = 0; j < n; j++) y[o + j] = fn.apply(y[o + j] + bias[bo + j]); }
        }
    }

    @Override protected void doDenseInputGrad(Tensor dz, Tensor w, Activation fn, Tensor yPrev, Tensor mask, Tensor dx) {
        if (!vectorApi) {
            super.doDenseInputGrad(dz, w, fn, yPrev, mask, dx);
            return;
        }
        gemm(false, true, dz.rows(), w.rows(), dz.cols(), 1f, dz, w, 0f, dx, slope(fn, yPrev, mask));
    }

    /** The epilogue that makes a block of dz W^T into dx = (dz W^T) * mask * f'(yPrev). */
    private static VectorGemm.Epilogue slope(Activation fn, Tensor yPrev, Tensor mask) {
        float[] ys = f(yPrev), ms = mask != null ? f(mask) : null;
        int yo = off(yPrev), mo = mask != null ? off(mask) : 0;
        return (c, co, ldc, i0, i1, j0, cols) -> {
            for (int i = i0; i < i1; i++) {
                int o = co + i * ldc + j0, e = i * ldc + j0;
                if (ms != null) for (int j = 0; j < cols; j++) c[o + j] *= ms[mo + e + j];
                if (fn == Activation.RELU) VectorOps.reluGrad(c, o, ys, yo + e, cols); // the plain loop is not vectorised
                else activationGrad(fn, ys, yo + e, c, o, cols);
            }
        };
    }

    /**
     * One pass over w for both products (VectorGemm.inputGradThenUpdate) where the update would
     * take the dense GEMM (doDenseSgd's product, as gemm decides) and the layer has at least
     * {@link #FUSED_FROM} outputs; an x that SparseGemm takes, or fewer outputs, keep the two
     * operations.
     */
    @Override protected void doDenseBackwardSgd(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr,
                                                Activation fn, Tensor yPrev, Tensor mask, Tensor dx) {
        if (!vectorApi || w.cols() < FUSED_FROM || takesSparseGemm(true, false, x.cols(), dz.cols(), x.rows(), x, 1f, false)) {
            super.doDenseBackwardSgd(x, dz, w, bias, db, lr, fn, yPrev, mask, dx);
            return;
        }
        long t0 = recording() ? System.nanoTime() : 0;
        VectorGemm.inputGradThenUpdate(pool, dz.rows(), w.rows(), w.cols(), f(dz), off(dz), f(w), off(w), slope(fn, yPrev, mask),
                f(dx), off(dx), -lr, f(x), off(x));
        if (t0 != 0) partTime("GEMM B^T + fused epilogue, then A^T into w, a band of w's rows at a time", System.nanoTime() - t0);
        doBiasGrad(dz, db);
        doSgd(bias, db, null, lr, 0f);
    }

    /** g[go..go+n) = g * f'(y), f' written in terms of the activation's output y. */
    private static void activationGrad(Activation fn, float[] y, int yo, float[] g, int go, int n) {
        if (fn != Activation.LINEAR) for (int j = 0; j < n; j++) g[go + j] = fn.grad(g[go + j], y[yo + j]);
    }

    @Override protected void doAddBias(Tensor x, Tensor bias, Tensor y) {
        float[] xs = f(x), bs = f(bias), ys = f(y);
        int cols = x.cols(), xo = off(x), bo = off(bias), yo = off(y);
        for (int r = 0; r < x.rows(); r++)
            for (int c = 0; c < cols; c++) ys[yo + r * cols + c] = xs[xo + r * cols + c] + bs[bo + c];
    }

    @Override protected void doBiasGrad(Tensor dy, Tensor db) {
        float[] d = f(dy), g = f(db);
        int cols = dy.cols(), o = off(dy), go = off(db);
        java.util.Arrays.fill(g, go, go + cols, 0f);
        for (int r = 0; r < dy.rows(); r++) // row by row, so contiguous and vectorised; each column still summed in row order
            for (int c = 0, ro = o + r * cols; c < cols; c++) g[go + c] += d[ro + c];
    }

    @Override protected void doActivation(Activation fn, Tensor x, Tensor y) {
        float[] xs = f(x), ys = f(y);
        int xo = off(x), yo = off(y);
        forRange(x.size(), (from, to) -> {
            for (int e = from; e < to; e++) ys[yo + e] = fn.apply(xs[xo + e]);
        });
    }

    @Override protected void doActivationGrad(Activation fn, Tensor y, Tensor dy, Tensor dx) {
        float[] ys = f(y), ds = f(dy), xs = f(dx);
        int yo = off(y), dyo = off(dy), dxo = off(dx);
        forRange(y.size(), (from, to) -> {
            for (int e = from; e < to; e++) xs[dxo + e] = fn.grad(ds[dyo + e], ys[yo + e]);
        });
    }

    @Override protected void doSoftmax(Tensor x, Tensor y) {
        float[] xs = f(x), ys = f(y);
        int k = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            int xo = off(x) + r * k;
            softmaxRow(xs, xo, ys, off(y) + r * k, k, rowMax(xs, xo, k));
        }
    }

    private static float rowMax(float[] xs, int xo, int k) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) max = Math.max(max, xs[xo + j]);
        return max;
    }

    /** Writes softmax of xs[xo..xo+k) to ys[yo..); returns log(sum_j exp(x_j - max)). */
    private static float softmaxRow(float[] xs, int xo, float[] ys, int yo, int k, float max) {
        float sum = 0f;
        for (int j = 0; j < k; j++) {
            float e = (float) Math.exp(xs[xo + j] - max);
            ys[yo + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < k; j++) ys[yo + j] *= inv;
        return (float) Math.log(sum);
    }

    /** Cross-entropy terms use -log p_j = logSum - (x_j - max): exact for huge logits. */
    @Override protected void doSoftmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor dlogits, Tensor rowLoss) {
        float[] x = f(logits), p = f(probs), d = f(dlogits), loss = f(rowLoss);
        int k = logits.cols(), rows = logits.rows();
        float invN = 1f / rows;
        boolean labels = targets.dtype() == DType.INT32;
        for (int r = 0; r < rows; r++) {
            int xo = off(logits) + r * k, po = off(probs) + r * k, dOff = off(dlogits) + r * k;
            float max = rowMax(x, xo, k);
            float logSum = softmaxRow(x, xo, p, po, k, max);
            float l = 0f;
            if (labels) {
                int label = ints(targets)[off(targets) + r];
                l = label >= 0 && label < k ? logSum - (x[xo + label] - max) : Float.NaN;
                for (int j = 0; j < k; j++) d[dOff + j] = (p[po + j] - (j == label ? 1f : 0f)) * invN;
            } else {
                float[] y = f(targets);
                int yo = off(targets) + r * k;
                for (int j = 0; j < k; j++) {
                    l += y[yo + j] * (logSum - (x[xo + j] - max));
                    d[dOff + j] = (p[po + j] - y[yo + j]) * invN;
                }
            }
            loss[off(rowLoss) + r] = l;
        }
    }

    @Override protected void doDropout(Tensor x, Tensor y, Tensor mask, float rate, float scale, long seed, long step) {
        float[] xs = f(x), ys = f(y), ms = f(mask);
        int xo = off(x), yo = off(y), mo = off(mask);
        Philox.uniforms(seed, step, 0, n(x), ms, mo); // the draws, then the mask in their place
        for (int e = 0; e < n(x); e++) {
            float keep = ms[mo + e] >= rate ? scale : 0f;
            ms[mo + e] = keep;
            ys[yo + e] = xs[xo + e] * keep;
        }
    }

    @Override protected void doMultiply(Tensor a, Tensor b, Tensor c) {
        float[] as = f(a), bs = f(b), cs = f(c);
        for (int e = 0; e < n(a); e++) cs[off(c) + e] = as[off(a) + e] * bs[off(b) + e];
    }

    @Override protected void doCopy(Tensor src, Tensor dst) {
        System.arraycopy(f(src), off(src), f(dst), off(dst), n(src));
    }

    @Override protected void doSgd(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum) {
        float[] p = f(param), g = f(grad);
        int po = off(param), go = off(grad);
        float[] v = velocity == null ? null : f(velocity);
        int vo = velocity == null ? 0 : off(velocity);
        forRange(param.size(), (from, to) -> {
            if (v == null && vectorApi) {
                VectorOps.sgd(p, po, g, go, lr, from, to);
            } else if (v == null) {
                for (int e = from; e < to; e++) p[po + e] -= lr * g[go + e];
            } else {
                for (int e = from; e < to; e++) {
                    float ve = momentum * v[vo + e] - lr * g[go + e];
                    v[vo + e] = ve;
                    p[po + e] += ve;
                }
            }
        });
    }

    @Override protected void doAdam(Tensor param, Tensor grad, Tensor m, Tensor v, float lrT, float beta1, float beta2, float eps) {
        float[] p = f(param), g = f(grad), ms = f(m), vs = f(v);
        int po = off(param), go = off(grad), mo = off(m), vo = off(v);
        forRange(param.size(), (from, to) -> {
            if (vectorApi) {
                VectorOps.adam(p, po, g, go, ms, mo, vs, vo, lrT, beta1, beta2, eps, from, to);
                return;
            }
            for (int e = from; e < to; e++) { // values below ADAM_FLUSH count as 0 (see there)
                float ge = flushed(g[go + e]), m0 = flushed(ms[mo + e]), v0 = flushed(vs[vo + e]);
                float me = m0 + (ge - m0) * (1f - beta1);
                float ve = v0 + ((Math.abs(ge) < Tuning.ADAM_FLUSH_ROOT ? 0f : ge * ge) - v0) * (1f - beta2);
                ms[mo + e] = me;
                vs[vo + e] = ve;
                p[po + e] -= lrT * me / ((float) Math.sqrt(ve) + eps);
            }
        });
    }

    @Override protected void doRmsprop(Tensor param, Tensor grad, Tensor v, float lr, float rho, float eps) {
        float[] p = f(param), g = f(grad), vs = f(v);
        int po = off(param), go = off(grad), vo = off(v);
        forRange(param.size(), (from, to) -> {
            for (int e = from; e < to; e++) { // as optim.cl's rmsprop
                float ge = g[go + e], ve = rho * vs[vo + e] + (1f - rho) * (ge * ge);
                vs[vo + e] = ve;
                p[po + e] -= lr * ge / (float) Math.sqrt(ve + eps);
            }
        });
    }

    @Override protected void doWeightDecay(Tensor param, float rate) {
        float[] p = f(param);
        int po = off(param);
        forRange(param.size(), (from, to) -> {
            for (int e = from; e < to; e++) p[po + e] -= p[po + e] * rate;
        });
    }

    static float flushed(float x) { return Math.abs(x) < Tuning.ADAM_FLUSH ? 0f : x; }

    @Override protected void doGatherRows(Tensor src, Tensor indices, int start, Tensor dst) {
        int cols = src.cols(), srcRows = src.rows();
        CpuStorage s = s(src), d = s(dst);
        int[] idx = ints(indices);
        int rows = dst.rows(), tasks = (long) rows * cols >= GATHER_SPLIT ? pool.size() : 1;
        CpuGemm.run(tasks > 1 ? pool : null, tasks, t -> gatherRange(s, d, idx, off(indices) + start, off(src), off(dst), cols, srcRows,
                rows * t / tasks, rows * (t + 1) / tasks));
    }

    private void gatherRange(CpuStorage s, CpuStorage d, int[] idx, int io, int srcOff, int dstOff, int cols, int srcRows, int r0, int r1) {
        int r = r0;
        if (s.b != null && vectorApi) // pixels four rows at a time, where all four are in range
            for (; r + 4 <= r1; r += 4) {
                int a = idx[io + r], b = idx[io + r + 1], c = idx[io + r + 2], e = idx[io + r + 3];
                if ((a | b | c | e) < 0 || Math.max(Math.max(a, b), Math.max(c, e)) >= srcRows) break;
                VectorOps.pixels4(s.b, srcOff + a * cols, srcOff + b * cols, srcOff + c * cols, srcOff + e * cols, d.f, dstOff + r * cols, cols);
            }
        for (; r < r1; r++) {
            int row = idx[io + r], dOff = dstOff + r * cols;
            if (row < 0 || row >= srcRows) { // as on OpenCL, where a kernel cannot throw
                if (d.f != null) java.util.Arrays.fill(d.f, dOff, dOff + cols, Float.NaN);
                else java.util.Arrays.fill(d.i, dOff, dOff + cols, -1);
                continue;
            }
            int so = srcOff + row * cols;
            if (s.b != null && vectorApi) VectorOps.pixels(s.b, so, d.f, dOff, cols);
            else if (s.b != null) for (int c = 0; c < cols; c++) d.f[dOff + c] = (s.b[so + c] & 0xFF) * (1f / 255f);
            else if (s.f != null) System.arraycopy(s.f, so, d.f, dOff, cols);
            else System.arraycopy(s.i, so, d.i, dOff, cols);
        }
    }

    private static int argmax(float[] x, int o, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) if (x[o + j] > x[o + best]) best = j;
        return best;
    }

    @Override protected void doArgmaxRows(Tensor x, Tensor out) {
        int k = x.cols();
        for (int r = 0; r < x.rows(); r++) ints(out)[off(out) + r] = argmax(f(x), off(x) + r * k, k);
    }

    @Override protected void doCountCorrect(Tensor scores, Tensor labels, Tensor out, int index) {
        int k = scores.cols(), count = 0;
        for (int r = 0; r < scores.rows(); r++)
            if (argmax(f(scores), off(scores) + r * k, k) == ints(labels)[off(labels) + r]) count++;
        ints(out)[off(out) + index] = count;
    }

    @Override protected void doRegressionLossStats(Tensor pred, Tensor targets, Tensor dpred, RegressionLoss loss, float delta,
                                                   Tensor lossSums, Tensor absSums, int index, Tensor absScale) {
        float[] y = f(pred), t = f(targets), d = f(dpred), sc = absScale != null ? f(absScale) : null;
        int so = absScale != null ? off(absScale) : 0;
        int rows = pred.rows(), k = pred.cols(), yo = off(pred), to = off(targets), dOff = off(dpred);
        float invK = 1f / k, scale = 1f / ((float) rows * k), lossAcc = 0f, absAcc = 0f;
        for (int r = 0; r < rows; r++) { // as regression.cl, element by element
            float row = 0f;
            for (int j = 0; j < k; j++) {
                float e = y[yo + r * k + j] - t[to + r * k + j], a = Math.abs(e), l, slope;
                switch (loss) {
                    case MSE -> { l = e * e; slope = 2f * e; }
                    case MAE -> { l = a; slope = Math.signum(e); }
                    default -> { l = a <= delta ? 0.5f * e * e : delta * (a - 0.5f * delta); slope = Math.max(-delta, Math.min(delta, e)); }
                }
                d[dOff + r * k + j] = slope * scale;
                row += l;
                absAcc += sc != null ? a * sc[so + j] : a;
            }
            lossAcc += row * invK;
        }
        f(lossSums)[off(lossSums) + index] = lossAcc;
        f(absSums)[off(absSums) + index] = absAcc;
    }

    @Override protected void doBinaryCrossEntropyStats(Tensor probs, Tensor targets, Tensor dlogits, Tensor lossSums, Tensor hits, int index) {
        float[] p = f(probs), t = f(targets), d = f(dlogits);
        int rows = probs.rows(), k = probs.cols(), po = off(probs), to = off(targets), dOff = off(dlogits);
        float invK = 1f / k, scale = 1f / ((float) rows * k), lossAcc = 0f, hitAcc = 0f;
        for (int r = 0; r < rows; r++) { // as regression.cl's bce_stats
            float row = 0f;
            for (int j = 0; j < k; j++) {
                float pe = p[po + r * k + j], te = t[to + r * k + j], c = Math.max(BCE_EPS, Math.min(1f - BCE_EPS, pe));
                row -= te * (float) Math.log(c) + (1f - te) * (float) Math.log(1f - c);
                d[dOff + r * k + j] = (pe - te) * scale;
                hitAcc += (pe > 0.5f) == (te > 0.5f) ? 1f : 0f;
            }
            lossAcc += row * invK;
        }
        f(lossSums)[off(lossSums) + index] = lossAcc;
        f(hits)[off(hits) + index] = hitAcc;
    }

    @Override protected void doScaleRowsByClass(Tensor rows, Tensor labels, Tensor weights) {
        float[] x = f(rows), w = f(weights);
        int[] l = ints(labels);
        int c = rows.cols();
        for (int r = 0; r < rows.rows(); r++) {
            float wr = w[off(weights) + l[off(labels) + r]];
            for (int j = 0; j < c; j++) x[off(rows) + r * c + j] *= wr;
        }
    }

    @Override protected void doSum(Tensor x, Tensor out, int index) {
        float[] xs = f(x);
        float acc = 0f;
        for (int e = 0; e < n(x); e++) acc += xs[off(x) + e];
        f(out)[off(out) + index] = acc;
    }
}
