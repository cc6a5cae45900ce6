package dev.clmlp.opencl;

import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.RegressionLoss;
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
    private final ClDevice device;
    private final ClRuntime rt;
    private final Object program;
    private final ClGemm products; // the GEMM kernel chosen for the device, and how it is launched
    private final Kernels kernels;
    private final int reduceGroupSize;
    private final Profiler profiler;
    private long loopLimit = ClLimits.UNLIMITED;
    private String gemmSource;
    private List<String> gemmSkipped = List.of();

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
    public static OpenClBackend open(ClBinding binding, int index, boolean profiling) { return open(binding, index, profiling, null); }

    /**
     * @param binding   JOCL or LWJGL
     * @param index     the device's number among the binding's devices
     * @param profiling whether every kernel's device time is recorded; see {@link #profile()}
     * @param workload  the model to be trained, {@link GemmTuner#workload}(batch, widths), or null
     * @return the backend, owned by the caller
     */
    public static OpenClBackend open(ClBinding binding, int index, boolean profiling, String workload) {
        List<ClDevice> devices = binding.devices();
        if (index < 0 || index >= devices.size())
            throw new IllegalArgumentException("no OpenCL device " + binding.prefix() + ":" + index + " (" + devices.size()
                    + " device(s) present; see ./clmlp devices)");
        return new OpenClBackend(devices.get(index), profiling, null, workload);
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
    public OpenClBackend(ClDevice device, boolean profiling, GemmParams gemmFirst) { this(device, profiling, gemmFirst, null); }

    /**
     * With the GEMM parameters that ./clmlp tune found for this workload, if it tuned one
     * ({@link GemmChoices#candidates}).
     *
     * @param device    the device, through its binding
     * @param profiling whether every kernel's device time is recorded
     * @param gemmFirst GEMM parameters to try first, or null
     * @param workload  the model to be trained, {@link GemmTuner#workload}(batch, widths), or null
     */
    public OpenClBackend(ClDevice device, boolean profiling, GemmParams gemmFirst, String workload) {
        this.device = device;
        this.rt = device.binding().open(device, profiling);
        this.profiler = profiling ? new Profiler(rt) : null;
        try {
            loopLimit = ClLimits.loopLimit(rt);
            ClGemm.Built built = ClGemm.build(rt, gemmFirst, workload, loopLimit);
            gemmSource = built.source();
            gemmSkipped = built.skipped();
            program = built.program();
            kernels = new Kernels(rt, program, ClDefines.kernelNames().toArray(new String[0]));
            products = new ClGemm(built.params(), device, this::launchAs, profiling);
            // a CPU device runs a work-group's items one after another: a tree over them only adds passes
            long reduce = itemsInParallel() ? Math.min(256, device.maxWorkGroupSize()) : 1;
            for (String name : new String[] {"sum_all", "count_correct", "softmax_xent_stats"})
                reduce = Math.min(reduce, rt.kernelWorkGroupSize(kernels.any(name)));
            reduceGroupSize = Integer.highestOneBit((int) reduce);
        } catch (RuntimeException e) {
            close(); // releases whatever was created: nothing leaks when a build fails
            throw e;
        }
    }

    /** @return the device */
    public ClDevice device() { return device; }

    /**
     * Whether kernels are launched for a device that runs a work-group's items side by side (a
     * GPU, ClDevice.Kind): many items, one element each, reductions as trees. Also on a device
     * whose loops stop early, where an item must not loop over a whole tensor.
     */
    private boolean itemsInParallel() { return device.kind() == ClDevice.Kind.GPU || loopLimit != ClLimits.UNLIMITED; }

    /** @return the GEMM kernel and constants chosen for the device */
    public GemmParams gemmParams() { return products.params(); }

    /** @return where the device's GEMM choice came from: "the default for a GPU", "$CLMLP_GEMM", "requested", ... */
    public String gemmSource() { return gemmSource; }

    /** @return the choices tried before it, each with why it was skipped (a limit of the device or of its kernels) */
    public List<String> gemmSkipped() { return gemmSkipped; }

    /** @return why the device got its GEMM, in one line: {@link #gemmSource()}, then what was skipped */
    public String gemmReason() { return gemmSource + (gemmSkipped.isEmpty() ? "" : "; skipped " + String.join("; ", gemmSkipped)); }

    /**
     * @return the loop iterations a work-item runs before the driver ends its loops (measured
     *         when the backend opened: Mesa's llvmpipe stops at 65535), or Long.MAX_VALUE for none
     */
    public long loopLimit() { return loopLimit; }

    @Override public String name() { return device.backendName(); }

    @Override public String description() {
        int cu = device.computeUnits();
        return device.name() + " (" + cu + (cu == 1 ? " compute unit, " : " compute units, ") + device.platformName() + ", " + device.driver()
                + (device.binding() == ClBinding.jocl() ? "" : ", through " + device.binding().prefix()) + ")";
    }

    // ---- memory ------------------------------------------------------------------------------

    private final class ClStorage extends Storage {
        final Object mem;
        /**
         * A hint for the GEMM (gemm_sparse_a; it only changes the speed): uint8 values uploaded
         * with at most SPARSE_INPUT_DENSITY nonzeros, and rows gathered from them.
         */
        boolean mostlyZeros;

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

    @Override protected void doWrite(Tensor t, Object array) {
        rt.write(mem(t), t.offset() * t.dtype().bytes(), array);
        boolean whole = t.offset() == 0 && t.size() == t.storage().elements(); // a whole pixel array: count its zeros
        ((ClStorage) t.storage()).mostlyZeros = array instanceof byte[] bytes && whole && nonzeros(bytes) <= dev.clmlp.tensor.Tuning.SPARSE_INPUT_DENSITY * bytes.length;
    }

    private static long nonzeros(byte[] bytes) {
        long n = 0;
        for (byte b : bytes) if (b != 0) n++;
        return n;
    }

    private boolean mostlyZeros(Tensor t) { return skipsInputZeros && ((ClStorage) t.storage()).mostlyZeros; }

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
        launches++;
        if (profiler != null) profiler.add(label, event);
    }

    private long launches;

    /** @return the kernels launched since the backend opened (bench's launch model counts them per step) */
    public long launches() { return launches; }

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

    @Override protected void doGemm(boolean transA, boolean transB, int m, int n, int k,
                                    float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        product(transA, transB, m, n, k, alpha, a, b, beta, c, ClGemm.Epilogue.NONE, null, false);
    }

    @Override protected void doDense(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y) {
        product(false, false, x.rows(), w.cols(), x.cols(), 1f, x, w, 0f, y, ClGemm.Epilogue.biasAct(bias, f), null, mostlyZeros(x));
    }

    @Override protected void doDenseDropout(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y,
                                            Tensor mask, Tensor yDropped, float rate, float scale, long seed, long step) {
        product(false, false, x.rows(), w.cols(), x.cols(), 1f, x, w, 0f, y,
                new ClGemm.Epilogue(ClDefines.EpilogueCode.BIAS_ACT, f, bias, mask, yDropped, rate, scale, seed, step), null, false);
    }

    @Override protected void doDenseWeightGrad(Tensor x, Tensor dz, Tensor dw, Tensor db) {
        product(true, false, x.cols(), dz.cols(), x.rows(), 1f, x, dz, 0f, dw, ClGemm.Epilogue.NONE, db, mostlyZeros(x));
    }

    /** The weight-gradient product accumulated into w, its column sums the bias gradient (where the GEMM sums them), then the bias step. */
    @Override protected void doDenseSgd(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr) {
        product(true, false, x.cols(), dz.cols(), x.rows(), -lr, x, dz, 1f, w, ClGemm.Epilogue.NONE, db, mostlyZeros(x));
        doSgd(bias, db, null, lr, 0f);
    }

    /**
     * On a CPU device (the vector GEMM): there the SGD pass over a separate gradient, written by
     * the products and read back with the weights, costs more than a launch per layer (PoCL,
     * 1024-1024: the pass took 490-515 us a step, the two products into w 40-80 us more each). On
     * one PoCL thread, scratch and 256-256 trained as fast either way.
     */
    @Override public boolean prefersFusedUpdates() { return !gemmParams().isTiled(); }

    @Override protected void doDenseInputGrad(Tensor dz, Tensor w, Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        product(false, true, dz.rows(), w.rows(), dz.cols(), 1f, dz, w, 0f, dx, ClGemm.Epilogue.slope(yPrev, f, mask), null, false);
    }

    /**
     * On a CPU device, from {@link #FUSED_FROM} outputs and for an x that is not mostly zeros:
     * dense_backward_sgd, both products a band of w's rows at a time (gemm_backward.cl), with
     * copies of dz^T and (as product() would take it) x^T made first, then the bias step.
     */
    @Override protected void doDenseBackwardSgd(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr,
                                                Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        int rows = dz.rows(), in = w.rows(), out = w.cols();
        if (gemmParams().isTiled() || out < FUSED_FROM || mostlyZeros(x)) {
            super.doDenseBackwardSgd(x, dz, w, bias, db, lr, f, yPrev, mask, dx);
            return;
        }
        boolean copyX = copiesATransposed(in, out);
        Tensor xT = copyX ? transposed(x, rows, in, 0) : x, dzT = transposed(dz, rows, out, 1), dxT = scratch(2, in * rows);
        int band = products.backwardBand(in);
        ClDefines.EpilogueCode epi = ClGemm.Epilogue.slope(yPrev, f, mask).code();
        launch("dense_backward_sgd", new long[] {(in + band - 1) / band}, new long[] {1}, rows, in, out, band, lr, dz, dzT,
                xT, copyX ? rows : 1, copyX ? 1 : in, w, dxT, dx, yPrev, mask == null ? yPrev : mask, epi.ordinal(), f.ordinal(), db);
        doSgd(bias, db, null, lr, 0f);
    }

    /**
     * Outputs from which doDenseBackwardSgd takes dense_backward_sgd. One call, 64 rows, W x W,
     * PoCL on two threads of an Ice Lake Xeon, medians of nine rounds against the two products:
     * W = 128 111 against 113 us (one thread: 100 against 89), 256 237 against 250, 512 686-692
     * against 795, 1024 2,381 against 3,099.
     */
    public static final int FUSED_FROM = 256;

    /**
     * A product through the GEMM kernel; the tiled kernel leaves colSums to a bias_grad launch of
     * its own. sparseA: op(A) is probably mostly zeros (ClGemm may then skip them).
     */
    private void product(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c,
                         ClGemm.Epilogue epi, Tensor colSums, boolean sparseA) {
        if (transA && !sparseA && !gemmParams().isTiled() && copiesATransposed(m, n)) {
            a = transposed(a, k, m, 0);
            transA = false;
        }
        if (!products.run(transA, transB, m, n, k, alpha, a, b, beta, c, epi, colSums, sparseA) && colSums != null) doBiasGrad(b, colSums);
    }

    /**
     * Rows of A^T from which gemm_packed gets A^T as a row-major copy rather than reading A's
     * columns: each value of p then steps a whole row of A, and with rows 4 KB apart or more every
     * read falls in the same few cache sets. On PoCL (two threads, Zen 5, JMH gemmPipelined),
     * 1024x64x1024 took 720-742 us as tn against 415-428 as nn, and 520 with the copy (about 70
     * us); 512x64x512 169 against 146, and 128x64x64 24 either way. Only for products of at least
     * {@link #TRANSPOSE_A_COLUMNS} columns: 1024x64x10 took 56 us as tn, 121 with the copy.
     */
    static final int TRANSPOSE_A_FROM = 1024;
    /** Columns of C from which the product pays for the copy of A^T (see {@link #TRANSPOSE_A_FROM}). */
    static final int TRANSPOSE_A_COLUMNS = 256;

    /** Whether the vector GEMM takes A^T, m x k, for an m x n product as a row-major copy (see {@link #TRANSPOSE_A_FROM}). */
    private static boolean copiesATransposed(int m, int n) { return m >= TRANSPOSE_A_FROM && n >= TRANSPOSE_A_COLUMNS; }

    private final Tensor[] scratch = new Tensor[3]; // copies kept for the next call (calls take turns): x^T or A^T, dz^T, dx^T

    /** Scratch tensor `slot`, of at least `size` floats. */
    private Tensor scratch(int slot, int size) {
        Tensor t = scratch[slot];
        if (t == null || t.size() < size) {
            if (t != null) t.close();
            scratch[slot] = t = allocate(DType.FLOAT32, 1, size);
        }
        return t;
    }

    /** a (rows x cols) transposed into scratch tensor `slot`, cols x rows. */
    private Tensor transposed(Tensor a, int rows, int cols, int slot) {
        Tensor t = scratch(slot, rows * cols);
        long group = Math.min(64, device.maxWorkGroupSize()); // PoCL left to choose ran groups of one item: 100 us for 64x1024
        launch("transpose", new long[] {(cols + group - 1) / group * group}, new long[] {group}, rows, cols, a, t);
        return t;
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
                                                        Tensor lossSums, Tensor correct, int index, Tensor classWeights) {
        if (classWeights != null) { // the composed operations, with scale_rows_by_class
            super.doSoftmaxCrossEntropyStats(logits, labels, probs, dlogits, lossSums, correct, index, classWeights);
            return;
        }
        launch("softmax_xent_stats", new long[] {reduceGroupSize}, new long[] {reduceGroupSize}, logits.rows(), logits.cols(),
                logits, labels, probs, dlogits, lossSums.view(index, 1, 1), correct.view(index, 1, 1),
                new Kernels.Local(4L * reduceGroupSize), new Kernels.Local(4L * reduceGroupSize));
    }

    @Override protected void doRegressionLossStats(Tensor pred, Tensor targets, Tensor dpred, RegressionLoss loss, float delta,
                                                   Tensor lossSums, Tensor absSums, int index, Tensor absScale) {
        launch("regression_stats", new long[] {reduceGroupSize}, new long[] {reduceGroupSize}, pred.rows(), pred.cols(), loss.ordinal(), delta,
                pred, targets, dpred, lossSums.view(index, 1, 1), absSums.view(index, 1, 1), absScale != null ? 1 : 0, absScale != null ? absScale : targets, // unread when not scaled
                new Kernels.Local(4L * reduceGroupSize), new Kernels.Local(4L * reduceGroupSize));
    }

    @Override protected void doBinaryCrossEntropyStats(Tensor probs, Tensor targets, Tensor dlogits, Tensor lossSums, Tensor hits, int index) {
        launch("bce_stats", new long[] {reduceGroupSize}, new long[] {reduceGroupSize}, probs.rows(), probs.cols(),
                probs, targets, dlogits, lossSums.view(index, 1, 1), hits.view(index, 1, 1),
                new Kernels.Local(4L * reduceGroupSize), new Kernels.Local(4L * reduceGroupSize));
    }

    @Override protected void doScaleRowsByClass(Tensor rows, Tensor labels, Tensor weights) {
        launch1d("scale_rows_by_class", rows.rows(), rows.rows(), rows.cols(), rows, labels, weights);
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

    @Override protected void doRmsprop(Tensor param, Tensor grad, Tensor v, float lr, float rho, float eps) {
        launchChunked("rmsprop", param.size(), lr, rho, eps, param, grad, v);
    }

    @Override protected void doWeightDecay(Tensor param, float rate) {
        launchChunked("weight_decay", param.size(), rate, param);
    }

    /** The fewest elements a CPU device's work-item of an element-wise kernel takes (launchChunked). */
    private static final long MIN_ELEMENTS_PER_ITEM = 4096;

    /**
     * An element-wise kernel with arguments (size, chunk, args...). On a GPU, one element per
     * work-item. On a CPU device, one contiguous run per compute unit (of at least
     * MIN_ELEMENTS_PER_ITEM): PoCL updated scratch's 109k parameters in 13 us a step this way, in
     * 46 us with one work-item per element.
     */
    private void launchChunked(String name, long size, Object... args) {
        long items = itemsInParallel() ? size : Math.max(1, Math.min(device.computeUnits(), size / MIN_ELEMENTS_PER_ITEM));
        long chunk = (size + items - 1) / items;
        Object[] sizeChunkArgs = new Object[args.length + 2];
        sizeChunkArgs[0] = (int) size;
        sizeChunkArgs[1] = (int) chunk;
        System.arraycopy(args, 0, sizeChunkArgs, 2, args.length);
        if (itemsInParallel()) launch1d(name, size, sizeChunkArgs);
        else launch(name, new long[] {items}, new long[] {1}, sizeChunkArgs);
    }

    @Override protected void doGatherRows(Tensor src, Tensor indices, int start, Tensor dst) {
        Tensor window = indices.view(start, dst.rows(), 1);
        ((ClStorage) dst.storage()).mostlyZeros = mostlyZeros(src);
        if (src.dtype() == DType.UINT8) {
            launch1d("gather_rows_u8", (dst.rows() + ClDefines.GATHER_ROWS - 1) / ClDefines.GATHER_ROWS, dst.rows(), dst.cols(), src.rows(), src, window, dst);
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
