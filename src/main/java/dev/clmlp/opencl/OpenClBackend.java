package dev.clmlp.opencl;

import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.Storage;
import dev.clmlp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenCL backend: one context, one in-order queue and one program per device, built once
 * (and cached on disk), through a binding's {@link ClRuntime} (JOCL or LWJGL). Operations enqueue
 * kernels without waiting; downloads block.
 */
public final class OpenClBackend extends Backend {
    private static final String[] KERNELS = {"gemm", "add_bias", "bias_grad", "activation", "activation_grad",
        "multiply", "dropout", "gather_rows", "gather_rows_u8", "softmax", "softmax_xent_labels",
        "softmax_xent_dense", "softmax_xent_stats", "argmax_rows", "count_correct", "sum_all", "sgd", "sgd_momentum", "adam", "gemm_packed"};

    private final ClDevice device;
    private final ClRuntime rt;
    private final Object program;
    private final GemmParams gemm;
    private final Kernels kernels;
    private final int reduceGroupSize;
    private final Profiler profiler;

    /**
     * @param index the device's number (opencl:index)
     * @return a backend on that device through JOCL, owned by the caller
     */
    public static OpenClBackend open(int index) { return open(ClBinding.jocl(), index, false); }

    /**
     * @param binding   JOCL or LWJGL
     * @param index     the device's number among the binding's devices
     * @param profiling whether every kernel's device time is recorded; see {@link #profile()}
     * @return the backend, owned by the caller
     */
    public static OpenClBackend open(ClBinding binding, int index, boolean profiling) {
        List<ClDevice> devices = binding.devices();
        if (index < 0 || index >= devices.size())
            throw new IllegalArgumentException("no OpenCL device " + binding.prefix() + ":" + index + " (" + devices.size()
                    + " device(s) present; see ./clmlp devices)");
        return new OpenClBackend(devices.get(index), profiling);
    }

    /**
     * @param device the device, through its binding
     */
    public OpenClBackend(ClDevice device) { this(device, false); }

    /**
     * @param device    the device, through its binding
     * @param profiling whether every kernel's device time is recorded
     */
    public OpenClBackend(ClDevice device, boolean profiling) { this(device, profiling, null); }

    /**
     * With {@code gemmFirst} tried before the device's own choice of GEMM kernel (tests, tuning).
     *
     * @param device    the device, through its binding
     * @param profiling whether every kernel's device time is recorded
     * @param gemmFirst GEMM parameters to try first, or null
     */
    public OpenClBackend(ClDevice device, boolean profiling, GemmParams gemmFirst) {
        this.device = device;
        this.rt = device.binding().open(device, profiling);
        this.profiler = profiling ? new Profiler(rt) : null;
        try {
            GemmParams[] chosen = new GemmParams[1];
            program = buildProgram(gemmFirst, chosen);
            gemm = chosen[0];
            kernels = new Kernels(rt, program, KERNELS);
            // a CPU device runs a work-group's items one after another: a tree over them only adds passes
            long reduce = gemm.isTiled() ? Math.min(256, device.maxWorkGroupSize()) : 1;
            for (String name : new String[] {"sum_all", "count_correct", "softmax_xent_stats"})
                reduce = Math.min(reduce, rt.kernelWorkGroupSize(kernels.any(name)));
            reduceGroupSize = Integer.highestOneBit((int) reduce);
        } catch (RuntimeException e) {
            close(); // releases whatever was created: nothing leaks when a build fails
            throw e;
        }
    }

    /** The program built with the first GEMM parameters that fit the device (written to chosen[0]). */
    private Object buildProgram(GemmParams gemmFirst, GemmParams[] chosen) {
        String source = ClProgram.source();
        List<GemmParams> choices = new java.util.ArrayList<>(GemmParams.candidates(device));
        if (gemmFirst != null) choices.add(0, gemmFirst);
        for (GemmParams g : choices) {
            if (g.groupSize() > device.maxWorkGroupSize() || g.localMemBytes() > device.localMemBytes()) continue;
            Object p = ClProgram.build(rt, source, ClProgram.options(g));
            Object k = rt.createKernel(p, g.isTiled() ? "gemm" : "gemm_packed");
            long fits = rt.kernelWorkGroupSize(k);
            rt.releaseKernel(k);
            if (fits >= g.groupSize()) {
                chosen[0] = g;
                return p;
            }
            rt.releaseProgram(p); // too many registers for this tiling on this device: try a smaller one
        }
        throw new IllegalStateException("no GEMM tiling fits device " + device.name() + " (max work-group "
                + device.maxWorkGroupSize() + ", local memory " + device.localMemBytes() + " bytes)");
    }

    /** @return the device */
    public ClDevice device() { return device; }

    /** @return the GEMM kernel and constants chosen for the device */
    public GemmParams gemmParams() { return gemm; }

    @Override public String name() { return device.backendName(); }

    @Override public String description() {
        int cu = device.computeUnits();
        return device.name() + " (" + cu + (cu == 1 ? " compute unit, " : " compute units, ") + device.platformName() + ", " + device.driver()
                + (device.binding() == ClBinding.jocl() ? "" : ", through " + device.binding().prefix()) + ")";
    }

    // ---- memory ------------------------------------------------------------------------------

    private final class ClStorage extends Storage {
        final Object mem;

        ClStorage(Object mem, DType dtype, long elements) {
            super(dtype, elements);
            this.mem = mem;
        }

        @Override protected void release() { rt.releaseBuffer(mem); }
    }

    @Override protected Storage newStorage(DType dtype, long elements) {
        if (elements > Integer.MAX_VALUE)
            throw new IllegalArgumentException("allocate: " + elements + " elements exceed the 2^31 - 1 that kernels index");
        // whole 4-byte words, so the zero fill's pattern always fits (uint8 buffers are rounded up)
        return new ClStorage(rt.createBuffer((elements * dtype.bytes() + 3) / 4 * 4), dtype, elements);
    }

    private static Object mem(Tensor t) { return ((ClStorage) t.storage()).mem; }

    @Override protected void doWrite(Tensor t, Object array) { rt.write(mem(t), t.offset() * t.dtype().bytes(), array); }

    @Override protected void doRead(Tensor t, Object array) { rt.read(mem(t), t.offset() * t.dtype().bytes(), array); }

    @Override public void finish() {
        rt.finish();
        if (profiler != null) profiler.drain();
    }

    @Override protected void closeBackend() {
        if (profiler != null) profiler.drain();
        if (kernels != null) kernels.close();
        if (program != null) rt.releaseProgram(program);
        rt.close();
    }

    // ---- launching ---------------------------------------------------------------------------

    /**
     * Enqueues the kernel with these arguments. A Tensor argument expands to two kernel
     * arguments, its buffer and its element offset, matching the (x, xOff) pairs of every kernel.
     */
    private void launch(String name, long[] global, long[] local, Object... args) {
        launchAs(name, name, global, local, args);
    }

    /** {@link #launch}, with the row of the --profile table that it counts in. */
    private void launchAs(String label, String name, long[] global, long[] local, Object... args) {
        List<Object> flat = new ArrayList<>(args.length + 8);
        for (Object a : args) {
            if (a instanceof Tensor t) {
                flat.add(mem(t));
                flat.add((int) t.offset());
            } else {
                flat.add(a);
            }
        }
        Object event = rt.launch(kernels.with(name, flat.toArray()), global, local);
        if (profiler != null) profiler.add(label, event);
    }

    /** @return the device time per kernel since the backend opened (empty unless opened with profiling) */
    public List<Profiler.Entry> profile() {
        if (profiler == null) return List.of();
        profiler.drain();
        return profiler.entries();
    }

    /** One work-item per element (rounded up to a multiple of 64; kernels guard the range). */
    private void launch1d(String name, long items, Object... args) {
        launch(name, new long[] {(items + 63) / 64 * 64}, null, args);
    }

    private void launchReduce(String name, Object... args) {
        Object[] withScratch = java.util.Arrays.copyOf(args, args.length + 1);
        withScratch[args.length] = new Kernels.Local(4L * reduceGroupSize);
        launch(name, new long[] {reduceGroupSize}, new long[] {reduceGroupSize}, withScratch);
    }

    // ---- operations ---------------------------------------------------------------------------

    /** Epilogues of the GEMM kernels (activations.cl), passed to the kernels as -DEPI_NAME=ordinal. */
    enum EpilogueCode { NONE, BIAS_ACT, ACT_SLOPE, MASK_ACT_SLOPE }

    /**
     * What the GEMM does to C after the product: code with activation f, reading
     * aux (bias, or the layer below's output) and mask; then, with dropped set, the dropout that
     * follows a dense layer, writing mask and dropped.
     */
    private record Epilogue(EpilogueCode code, Activation f, Tensor aux, Tensor mask, Tensor dropped, float rate, float scale, long seed, long step) {
        static final Epilogue NONE = new Epilogue(EpilogueCode.NONE, Activation.LINEAR, null, null, null, 0f, 0f, 0, 0);

        static Epilogue biasAct(Tensor bias, Activation f) { return new Epilogue(EpilogueCode.BIAS_ACT, f, bias, null, null, 0f, 0f, 0, 0); }

        static Epilogue slope(Tensor yPrev, Activation f, Tensor mask) {
            return new Epilogue(mask == null ? EpilogueCode.ACT_SLOPE : EpilogueCode.MASK_ACT_SLOPE, f, yPrev, mask, null, 0f, 0f, 0, 0);
        }

        /** The kernel arguments from aux to dropped: aux defaults to c, and unused mask and dropped to aux (no extra buffers). */
        Object[] args(Tensor c) {
            Tensor a = aux == null ? c : aux;
            return new Object[] {a, mask == null ? a : mask, code.ordinal(), f.ordinal(), dropped == null ? 0 : 1, rate, scale,
                    (int) seed, (int) (seed >>> 32), (int) step, (int) (step >>> 32), dropped == null ? a : dropped};
        }
    }

    @Override protected void doGemm(boolean transA, boolean transB, int m, int n, int k,
                                    float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        gemm(transA, transB, m, n, k, alpha, a, b, beta, c, Epilogue.NONE, null);
    }

    @Override protected void doDense(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y) {
        gemm(false, false, x.rows(), w.cols(), x.cols(), 1f, x, w, 0f, y, Epilogue.biasAct(bias, f), null);
    }

    @Override protected void doDenseDropout(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y,
                                            Tensor mask, Tensor yDropped, float rate, float scale, long seed, long step) {
        gemm(false, false, x.rows(), w.cols(), x.cols(), 1f, x, w, 0f, y,
                new Epilogue(EpilogueCode.BIAS_ACT, f, bias, mask, yDropped, rate, scale, seed, step), null);
    }

    @Override protected void doDenseWeightGrad(Tensor x, Tensor dz, Tensor dw, Tensor db) {
        gemm(true, false, x.cols(), dz.cols(), x.rows(), 1f, x, dz, 0f, dw, Epilogue.NONE, db);
    }

    @Override protected void doDenseInputGrad(Tensor dz, Tensor w, Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        gemm(false, true, dz.rows(), w.rows(), dz.cols(), 1f, dz, w, 0f, dx, Epilogue.slope(yPrev, f, mask), null);
    }

    /**
     * C = epilogue(alpha * op(A) * op(B) + beta * C), and colSums = column sums of op(B) unless
     * null. On GPUs the tiled kernel (column sums in a launch of their own); on CPU devices
     * gemm_packed, which takes the column sums from its packed panels.
     */
    private void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c,
                      Epilogue epi, Tensor colSums) {
        int aRs = transA ? 1 : k, aCs = transA ? m : 1, bRs = transB ? 1 : n, bCs = transB ? k : 1;
        Object[] args = concat(new Object[] {m, n, k, alpha, a, aRs, aCs, b, bRs, bCs, beta, c}, epi.args(c));
        if (gemm.isTiled()) {
            int rtsM = gemm.tsM() / gemm.wptM(), rtsN = gemm.tsN() / gemm.wptN();
            long[] global = {(long) ((n + gemm.tsN() - 1) / gemm.tsN()) * rtsN, (long) ((m + gemm.tsM() - 1) / gemm.tsM()) * rtsM};
            launchAs(gemmLabel("gemm", transA, transB, m, n, k, null, epi), "gemm", global, new long[] {rtsN, rtsM}, args);
            if (colSums != null) doBiasGrad(b, colSums);
        } else {
            int ncol = gemm.nr() * gemm.vw(), strips = (n + ncol - 1) / ncol;
            int rows = packedRowsPerItem(m, n, k, strips);
            Object[] sums = {rows, colSums == null ? 0 : 1, colSums == null ? c : colSums};
            launchAs(gemmLabel("gemm_packed", transA, transB, m, n, k, colSums, epi), "gemm_packed",
                    new long[] {strips, (m + rows - 1) / rows}, new long[] {1, 1}, concat(args, sums));
        }
    }

    /** "gemm_packed 64x784x128:nn+sums" (M x K x N, the layout and what else it does) when profiling, else the kernel. */
    private String gemmLabel(String kernel, boolean transA, boolean transB, int m, int n, int k, Tensor colSums, Epilogue epi) {
        if (profiler == null) return kernel;
        return kernel + " " + m + "x" + k + "x" + n + ":" + (transA ? "t" : "n") + (transB ? "t" : "n")
                + (colSums != null ? "+sums" : "") + (epi.dropped() != null ? "+dropout" : "");
    }

    /**
     * Rows of C per gemm_packed work-item: as many as keep every compute unit busy with about
     * four work-items, since each packed panel of B is reused across all of an item's rows, but
     * no more items than there is work for (MIN_FLOPS_PER_ITEM each: an item costs the runtime
     * a few microseconds to schedule).
     * (Work-groups are of one item: PoCL then runs the kernel as written, with no work-item loop.)
     */
    private static final long MIN_FLOPS_PER_ITEM = 1 << 18;

    private int packedRowsPerItem(int m, int n, int k, int strips) {
        int wanted = 4 * Math.max(1, device.computeUnits());
        wanted = (int) Math.max(1, Math.min(wanted, 2L * m * n * k / MIN_FLOPS_PER_ITEM));
        int rowBlocks = Math.max(1, Math.min((wanted + strips - 1) / strips, (m + gemm.mr() - 1) / gemm.mr()));
        int rows = (m + rowBlocks - 1) / rowBlocks;
        return (rows + gemm.mr() - 1) / gemm.mr() * gemm.mr();
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override protected void doAddBias(Tensor x, Tensor bias, Tensor y) {
        launch1d("add_bias", x.size(), x.rows(), x.cols(), x, bias, y);
    }

    @Override protected void doBiasGrad(Tensor dy, Tensor db) {
        launch1d("bias_grad", dy.cols(), dy.rows(), dy.cols(), dy, db);
    }

    @Override protected void doActivation(Activation f, Tensor x, Tensor y) {
        launch1d("activation", x.size(), (int) x.size(), f.ordinal(), x, y);
    }

    @Override protected void doActivationGrad(Activation f, Tensor y, Tensor dy, Tensor dx) {
        launch1d("activation_grad", y.size(), (int) y.size(), f.ordinal(), y, dy, dx);
    }

    @Override protected void doSoftmax(Tensor x, Tensor y) {
        launch1d("softmax", x.rows(), x.rows(), x.cols(), x, y);
    }

    @Override protected void doSoftmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor dlogits, Tensor rowLoss) {
        String kernel = targets.dtype() == DType.INT32 ? "softmax_xent_labels" : "softmax_xent_dense";
        launch1d(kernel, logits.rows(), logits.rows(), logits.cols(), logits, targets, probs, dlogits, rowLoss);
    }

    @Override protected void doSoftmaxCrossEntropyStats(Tensor logits, Tensor labels, Tensor probs, Tensor dlogits,
                                                        Tensor lossSums, Tensor correct, int index) {
        launch("softmax_xent_stats", new long[] {reduceGroupSize}, new long[] {reduceGroupSize}, logits.rows(), logits.cols(),
                logits, labels, probs, dlogits, lossSums.view(index, 1, 1), correct.view(index, 1, 1),
                new Kernels.Local(4L * reduceGroupSize), new Kernels.Local(4L * reduceGroupSize));
    }

    @Override protected void doDropout(Tensor x, Tensor y, Tensor mask, float rate, float scale, long seed, long step) {
        launch1d("dropout", (x.size() + 3) / 4, (int) x.size(), rate, scale, (int) seed, (int) (seed >>> 32),
                (int) step, (int) (step >>> 32), x, y, mask);
    }

    @Override protected void doMultiply(Tensor a, Tensor b, Tensor c) {
        launch1d("multiply", a.size(), (int) a.size(), a, b, c);
    }

    @Override protected void doCopy(Tensor src, Tensor dst) {
        rt.copy(mem(src), src.offset() * 4, mem(dst), dst.offset() * 4, src.size() * 4);
    }

    @Override protected void doSgd(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum) {
        if (velocity == null) launchChunked("sgd", param.size(), lr, param, grad);
        else launchChunked("sgd_momentum", param.size(), lr, momentum, param, grad, velocity);
    }

    @Override protected void doAdam(Tensor param, Tensor grad, Tensor m, Tensor v, float lrT, float beta1, float beta2, float eps) {
        launchChunked("adam", param.size(), lrT, beta1, beta2, eps, param, grad, m, v);
    }

    /**
     * An element-wise kernel with arguments (size, chunk, args...). With the GPU kernels (tiled
     * GEMM), one element per work-item. With the CPU-device kernels, one contiguous run per
     * compute unit (of at least MIN_ELEMENTS_PER_ITEM): PoCL updated scratch's 109k parameters in
     * 13 us a step this way, in 46 us with one work-item per element.
     */
    private static final long MIN_ELEMENTS_PER_ITEM = 4096;

    private void launchChunked(String name, long size, Object... args) {
        long items = gemm.isTiled() ? size : Math.max(1, Math.min(device.computeUnits(), size / MIN_ELEMENTS_PER_ITEM));
        long chunk = (size + items - 1) / items;
        Object[] sizeChunkArgs = new Object[args.length + 2];
        sizeChunkArgs[0] = (int) size;
        sizeChunkArgs[1] = (int) chunk;
        System.arraycopy(args, 0, sizeChunkArgs, 2, args.length);
        if (gemm.isTiled()) launch1d(name, size, sizeChunkArgs);
        else launch(name, new long[] {items}, new long[] {1}, sizeChunkArgs);
    }

    @Override protected void doGatherRows(Tensor src, Tensor indices, int start, Tensor dst) {
        Tensor window = indices.view(start, dst.rows(), 1);
        if (src.dtype() == DType.UINT8) {
            launch1d("gather_rows_u8", dst.rows(), dst.rows(), dst.cols(), src.rows(), src, window, dst);
        } else {
            int bad = dst.dtype() == DType.FLOAT32 ? Float.floatToRawIntBits(Float.NaN) : -1;
            launch1d("gather_rows", dst.size(), dst.rows(), dst.cols(), src.rows(), src, window, dst, bad);
        }
    }

    @Override protected void doArgmaxRows(Tensor x, Tensor out) {
        launch1d("argmax_rows", x.rows(), x.rows(), x.cols(), x, out);
    }

    @Override protected void doCountCorrect(Tensor scores, Tensor labels, Tensor out, int index) {
        launchReduce("count_correct", scores.rows(), scores.cols(), scores, labels, out.view(index, 1, 1));
    }

    @Override protected void doSum(Tensor x, Tensor out, int index) {
        launchReduce("sum_all", (int) x.size(), x, out.view(index, 1, 1));
    }
}
