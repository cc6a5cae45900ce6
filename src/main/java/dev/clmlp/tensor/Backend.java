package dev.clmlp.tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The compute operations of clmlp, identical in meaning on every backend (the Java CPU backend
 * is the reference, and the faster one on CPUs; OpenCL runs them on GPUs and other devices).
 * Each public operation checks its arguments here, once, and then calls the backend's
 * {@code do*} implementation. Operations may run asynchronously;
 * {@link Tensor#download} waits for everything before it. Operations are called from one thread
 * at a time, except on a backend whose {@link #concurrentCalls()} is true (the Java backend), where
 * operations on distinct tensors may run at once; {@code Sequential}'s inference relies on it.
 * Closing a backend frees every tensor still allocated on it.
 *
 * <p>This file holds the public operations, each with its contract (Javadoc), its checks and its
 * timing, about 30 of them, hence its length; the rest of a backend's concerns live beside it:
 * {@link Implementation} (the {@code do*} methods a backend implements, with a table from each
 * operation to its kernel and contract test), {@code Checks} (the argument checks and their
 * messages), {@link OpTimes} (--profile's timing) and {@link Tuning} (the shared numeric switches).
 */
public abstract non-sealed class Backend extends Implementation implements AutoCloseable {
    private final Set<Storage> live = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>())); // inference allocates on many threads
    private boolean closed;
    private OpTimes opTimes; // null unless recording

    /**
     * Starts (or stops) recording the host time of every operation: on the CPU backend the time
     * it computes, on OpenCL the time to check and enqueue it (the device time is the event
     * profiler's). Each call adds a System.nanoTime pair; off, the cost is one field read.
     *
     * @param on whether to record, from now on (turning it on again starts afresh)
     */
    public final void recordOpTimes(boolean on) {
        opTimes = on ? new OpTimes() : null;
        recordingChanged(on);
    }

    /**
     * Called when {@link #recordOpTimes} turns recording on or off, for a backend that measures
     * parts of its own ({@link #partTime}).
     *
     * @param on whether recording is now on
     */
    protected void recordingChanged(boolean on) {}

    /** @return what was recorded since {@link #recordOpTimes} turned it on, or null when it is off */
    public final OpTimes opTimes() { return opTimes; }


    /** @return whether operation times are being recorded (for a backend's own finer entries) */
    protected final boolean recording() { return opTimes != null && !opTimes.paused(); }

    /**
     * Adds a part measured inside operations (e.g. the GEMM inside a fused dense operation).
     *
     * @param part  its name
     * @param nanos the host time it took
     */
    protected final void partTime(String part, long nanos) {
        if (recording()) opTimes.addPart(part, nanos);
    }

    /** @return the short identifier that {@code Backends.open} reads: "cpu", "opencl:0", "lwjgl:0" */
    public abstract String name();

    /** @return a human-readable description of the device and its driver */
    public abstract String description();

    /**
     * @return whether operations on distinct tensors may be called from several threads at once
     *         (allocation and freeing included); false here: calls must take turns
     */
    public boolean concurrentCalls() { return false; }

    /** @return the number of allocations (device buffers) alive on this backend: tests use it to find leaks */
    public final int liveBuffers() { return live.size(); }

    // ---- allocation and transfer ---------------------------------------------------------

    /**
     * A new zero-filled tensor; the caller owns it and closes it (or closes the backend).
     *
     * @param dtype the element type
     * @param rows  the number of rows, at least 1
     * @param cols  the number of columns, at least 1
     * @return the tensor, rows x cols
     */
    public final Tensor allocate(DType dtype, int rows, int cols) {
        if (closed) throw new IllegalStateException("allocate: backend " + name() + " is closed");
        if (dtype == null) throw new NullPointerException("allocate: dtype is null");
        if (rows <= 0 || cols <= 0)
            throw new IllegalArgumentException("allocate: sizes must be positive, got " + rows + "x" + cols);
        Storage s = newStorage(dtype, (long) rows * cols);
        live.add(s);
        return new Tensor(this, s, 0, rows, cols, true);
    }

    /**
     * A new zero-filled FLOAT32 tensor, owned by the caller.
     *
     * @param rows the number of rows, at least 1
     * @param cols the number of columns, at least 1
     * @return the tensor, rows x cols
     */
    public final Tensor zeros(int rows, int cols) { return allocate(DType.FLOAT32, rows, cols); }

    /**
     * A tensor of values the caller will not change while it lives, and that no operation is
     * given to write: a dataset's features. The CPU backend uses the array itself (MNIST's
     * training images are 47 MB, and a copy is that much more memory); other backends upload a
     * copy as upload does.
     *
     * @param data rows * cols values, row-major: a byte[] (UINT8) or float[] (FLOAT32)
     * @param rows the number of rows, at least 1
     * @param cols the number of columns, at least 1
     * @return the tensor, rows x cols, owned by the caller
     */
    public final Tensor uploadReadOnly(Object data, int rows, int cols) {
        if (!(data instanceof byte[] || data instanceof float[]))
            throw new IllegalArgumentException("uploadReadOnly: expected a byte[] or float[], got " + (data == null ? "null" : data.getClass().getSimpleName()));
        int length = data instanceof byte[] bs ? bs.length : ((float[]) data).length;
        Checks.checkLength("uploadReadOnly", length, rows, cols);
        if (closed) throw new IllegalStateException("uploadReadOnly: backend " + name() + " is closed");
        Storage s = sharedStorage(data);
        if (s == null) return data instanceof byte[] bs ? upload(bs, rows, cols) : upload((float[]) data, rows, cols);
        live.add(s);
        return new Tensor(this, s, 0, rows, cols, true);
    }

    /**
     * For {@link #uploadReadOnly}: storage that uses the host array itself, or null to copy it.
     *
     * @param hostArray a byte[] or float[]
     * @return the storage, or null
     */
    protected Storage sharedStorage(Object hostArray) { return null; }

    /**
     * A new FLOAT32 tensor holding a copy of data, owned by the caller.
     *
     * @param data rows * cols values, row-major
     * @param rows the number of rows, at least 1
     * @param cols the number of columns, at least 1
     * @return the tensor, rows x cols
     */
    public final Tensor upload(float[] data, int rows, int cols) {
        Checks.checkLength("upload", data == null ? -1 : data.length, rows, cols);
        Tensor t = allocate(DType.FLOAT32, rows, cols);
        write(t, data);
        return t;
    }

    /**
     * A new INT32 tensor (labels, indices) holding a copy of data, owned by the caller.
     *
     * @param data rows * cols values, row-major
     * @param rows the number of rows, at least 1
     * @param cols the number of columns, at least 1
     * @return the tensor, rows x cols
     */
    public final Tensor upload(int[] data, int rows, int cols) {
        Checks.checkLength("upload", data == null ? -1 : data.length, rows, cols);
        Tensor t = allocate(DType.INT32, rows, cols);
        write(t, data);
        return t;
    }

    /**
     * A new UINT8 tensor (pixels, 0..255) holding a copy of data, owned by the caller; only
     * {@link #gatherRows} reads it, into FLOAT32 rows scaled to [0, 1].
     *
     * @param data rows * cols bytes, row-major, read as unsigned
     * @param rows the number of rows, at least 1
     * @param cols the number of columns, at least 1
     * @return the tensor, rows x cols
     */
    public final Tensor upload(byte[] data, int rows, int cols) {
        Checks.checkLength("upload", data == null ? -1 : data.length, rows, cols);
        Tensor t = allocate(DType.UINT8, rows, cols);
        long t0 = OpTimes.start(opTimes);
        doWrite(t, data);
        OpTimes.stop(opTimes, "upload", t0);
        return t;
    }

    final void write(Tensor t, Object data) {
        Checks.checkTransfer(this, "upload", t, data);
        long t0 = OpTimes.start(opTimes);
        doWrite(t, data);
        OpTimes.stop(opTimes, "upload", t0);
    }

    final void read(Tensor t, Object data) {
        Checks.checkTransfer(this, "download", t, data);
        long t0 = OpTimes.start(opTimes);
        doRead(t, data);
        OpTimes.stop(opTimes, "download", t0);
    }

    final void free(Storage s) {
        if (live.remove(s)) s.close();
    }

    /** Frees every tensor still allocated on this backend, then the device context; later calls do nothing. */
    @Override public void close() {
        if (closed) return;
        for (Storage s : live.toArray(new Storage[0])) s.close(); // toArray: one synchronized copy
        live.clear();
        closed = true;
        closeBackend();
    }

    /** @return whether {@link #close} has been called */
    public final boolean isClosed() { return closed; }

    // ---- operations ----------------------------------------------------------------------

    /**
     * C = alpha * op(A) * op(B) + beta * C, op(X) = X or its transpose. With beta == 0, C is not read.
     *
     * @param transA whether op(A) is A's transpose
     * @param transB whether op(B) is B's transpose
     * @param alpha  the product's factor
     * @param a      A: m x k, or k x m when transposed
     * @param b      B: k x n, or n x k when transposed
     * @param beta   C's factor
     * @param c      C: m x n, read (unless beta is 0) and written
     */
    public final void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        String op = "gemm";
        Checks.checkFloat(this, op, "a", a); Checks.checkFloat(this, op, "b", b); Checks.checkFloat(this, op, "c", c);
        int m = transA ? a.cols() : a.rows(), k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows(), n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n)
            throw new IllegalArgumentException(op + ": shapes do not agree: op(A) is " + m + "x" + k
                    + " (A " + a.rows() + "x" + a.cols() + (transA ? ", transposed" : "") + "), op(B) is "
                    + kb + "x" + n + " (B " + b.rows() + "x" + b.cols() + (transB ? ", transposed" : "")
                    + "), C is " + c.rows() + "x" + c.cols() + "; expected C " + m + "x" + n + " and equal inner sizes");
        long t0 = OpTimes.start(opTimes);
        doGemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        OpTimes.stop(opTimes, "gemm", t0);
    }

    /**
     * y = x + bias, bias added to every row.
     *
     * @param x    rows x cols
     * @param bias 1 x cols
     * @param y    rows x cols; may be x
     */
    public final void addBias(Tensor x, Tensor bias, Tensor y) {
        String op = "addBias";
        Checks.checkFloat(this, op, "x", x); Checks.checkFloat(this, op, "bias", bias); Checks.checkFloat(this, op, "y", y);
        Checks.checkShape(op, "bias", bias, 1, x.cols(), x);
        Checks.checkSameShape(op, "y", y, x);
        long t0 = OpTimes.start(opTimes);
        doAddBias(x, bias, y);
        OpTimes.stop(opTimes, "addBias", t0);
    }

    /**
     * db = the column sums of dy: the gradient of a row-broadcast bias.
     *
     * @param dy rows x cols
     * @param db 1 x cols
     */
    public final void biasGrad(Tensor dy, Tensor db) {
        String op = "biasGrad";
        Checks.checkFloat(this, op, "dy", dy); Checks.checkFloat(this, op, "db", db);
        Checks.checkShape(op, "db", db, 1, dy.cols(), dy);
        long t0 = OpTimes.start(opTimes);
        doBiasGrad(dy, db);
        OpTimes.stop(opTimes, "biasGrad", t0);
    }

    /**
     * y = f(x) element-wise.
     *
     * @param f the activation
     * @param x any shape
     * @param y x's shape; may be x
     */
    public final void activation(Activation f, Tensor x, Tensor y) {
        String op = "activation";
        Checks.checkNotNull(op, "f", f);
        Checks.checkFloat(this, op, "x", x); Checks.checkFloat(this, op, "y", y);
        Checks.checkSameShape(op, "y", y, x);
        long t0 = OpTimes.start(opTimes);
        doActivation(f, x, y);
        OpTimes.stop(opTimes, "activation", t0);
    }

    /**
     * dx = dy * f'(x), with f'(x) computed from the forward output y = f(x).
     *
     * @param f  the activation of the forward pass
     * @param y  its output
     * @param dy the gradient with respect to y, y's shape
     * @param dx the gradient with respect to x, y's shape; may be dy
     */
    public final void activationGrad(Activation f, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationGrad";
        Checks.checkNotNull(op, "f", f);
        Checks.checkFloat(this, op, "y", y); Checks.checkFloat(this, op, "dy", dy); Checks.checkFloat(this, op, "dx", dx);
        Checks.checkSameShape(op, "dy", dy, y);
        Checks.checkSameShape(op, "dx", dx, y);
        long t0 = OpTimes.start(opTimes);
        doActivationGrad(f, y, dy, dx);
        OpTimes.stop(opTimes, "activationGrad", t0);
    }

    /**
     * Row-wise softmax, shifted by the row maximum for stability.
     *
     * @param x rows x classes
     * @param y x's shape; may be x
     */
    public final void softmax(Tensor x, Tensor y) {
        String op = "softmax";
        Checks.checkFloat(this, op, "x", x); Checks.checkFloat(this, op, "y", y);
        Checks.checkSameShape(op, "y", y, x);
        long t0 = OpTimes.start(opTimes);
        doSoftmax(x, y);
        OpTimes.stop(opTimes, "softmax", t0);
    }

    /**
     * Fused softmax + categorical cross-entropy over a batch of n rows and k classes.
     * targets: INT32 n x 1 class labels, or FLOAT32 n x k one-hot (or probability) rows.
     * Writes probs = softmax(logits), dlogits = (probs - y) / n, rowLoss[r] = -sum_j y_j log p_j.
     * A label outside [0, k) yields a NaN loss for its row.
     *
     * @param logits  n x k
     * @param targets INT32 n x 1 labels, or FLOAT32 n x k target distributions
     * @param probs   n x k, written
     * @param dlogits n x k, written
     * @param rowLoss n x 1, written
     */
    public final void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor dlogits, Tensor rowLoss) {
        String op = "softmaxCrossEntropy";
        Checks.checkFloat(this, op, "logits", logits); Checks.checkOpen(op, "targets", targets);
        Checks.checkFloat(this, op, "probs", probs); Checks.checkFloat(this, op, "dlogits", dlogits); Checks.checkFloat(this, op, "rowLoss", rowLoss);
        if (targets.dtype() == DType.INT32) Checks.checkShape(op, "targets", targets, logits.rows(), 1, logits);
        else if (targets.dtype() == DType.FLOAT32) Checks.checkShape(op, "targets", targets, logits.rows(), logits.cols(), logits);
        else throw new IllegalArgumentException(op + ": targets must be int32 labels or float32 one-hot, got " + targets.shape());
        Checks.checkSameShape(op, "probs", probs, logits);
        Checks.checkSameShape(op, "dlogits", dlogits, logits);
        Checks.checkShape(op, "rowLoss", rowLoss, logits.rows(), 1, logits);
        long t0 = OpTimes.start(opTimes);
        doSoftmaxCrossEntropy(logits, targets, probs, dlogits, rowLoss);
        OpTimes.stop(opTimes, "softmaxCrossEntropy", t0);
    }

    /**
     * Inverted dropout: mask = (u &gt;= rate) / (1 - rate) with u = Philox(seed, step, element); y = x * mask.
     * Both backends draw the same mask.
     *
     * @param x    any shape
     * @param y    x's shape; may be x
     * @param mask x's shape, written: 0 or 1 / (1 - rate)
     * @param rate the fraction dropped, in [0, 1)
     * @param seed the stream's seed
     * @param step the stream's counter (the training step)
     */
    public final void dropout(Tensor x, Tensor y, Tensor mask, float rate, long seed, long step) {
        Checks.checkDropout(this, "dropout", x, y, mask, rate);
        long t0 = OpTimes.start(opTimes);
        doDropout(x, y, mask, rate, 1f / (1f - rate), seed, step);
        OpTimes.stop(opTimes, "dropout", t0);
    }

    /**
     * c = a * b element-wise (dropout's backward pass: dx = dy * mask).
     *
     * @param a any shape
     * @param b a's shape
     * @param c a's shape; may be a or b
     */
    public final void multiply(Tensor a, Tensor b, Tensor c) {
        String op = "multiply";
        Checks.checkFloat(this, op, "a", a); Checks.checkFloat(this, op, "b", b); Checks.checkFloat(this, op, "c", c);
        Checks.checkSameShape(op, "b", b, a);
        Checks.checkSameShape(op, "c", c, a);
        long t0 = OpTimes.start(opTimes);
        doMultiply(a, b, c);
        OpTimes.stop(opTimes, "multiply", t0);
    }

    /**
     * dst = src, element by element in row-major order.
     *
     * @param src FLOAT32
     * @param dst FLOAT32, as many elements as src (the shapes may differ)
     */
    public final void copy(Tensor src, Tensor dst) {
        String op = "copy";
        Checks.checkFloat(this, op, "src", src); Checks.checkFloat(this, op, "dst", dst);
        if (src.size() != dst.size())
            throw new IllegalArgumentException(op + ": sizes differ: src " + src.shape() + ", dst " + dst.shape());
        long t0 = OpTimes.start(opTimes);
        doCopy(src, dst);
        OpTimes.stop(opTimes, "copy", t0);
    }

    /**
     * SGD step. Without velocity (null): p -= lr * g. With velocity (momentum as in Keras):
     * v = momentum * v - lr * g; p += v.
     *
     * @param param    the parameters, updated
     * @param grad     their gradient, param's shape
     * @param velocity param's shape, updated; null for plain SGD
     * @param lr       the learning rate
     * @param momentum in [0, 1); ignored without velocity
     */
    public final void sgd(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum) {
        String op = "sgd";
        Checks.checkFloat(this, op, "param", param); Checks.checkFloat(this, op, "grad", grad);
        Checks.checkSameShape(op, "grad", grad, param);
        if (velocity != null) {
            Checks.checkFloat(this, op, "velocity", velocity);
            Checks.checkSameShape(op, "velocity", velocity, param);
        }
        long t0 = OpTimes.start(opTimes);
        doSgd(param, grad, velocity, lr, momentum);
        OpTimes.stop(opTimes, "sgd", t0);
    }

    /**
     * Adam step t (1-based) as Keras: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
     * p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps).
     *
     * @param param the parameters, updated
     * @param grad  their gradient, param's shape
     * @param m     the first moments, param's shape, updated
     * @param v     the second moments, param's shape, updated
     * @param lr    the learning rate
     * @param beta1 the first moments' decay
     * @param beta2 the second moments' decay
     * @param eps   added to sqrt(v)
     * @param t     this update's number, from 1
     */
    public final void adam(Tensor param, Tensor grad, Tensor m, Tensor v,
                           float lr, float beta1, float beta2, float eps, long t) {
        String op = "adam";
        Checks.checkFloat(this, op, "param", param); Checks.checkFloat(this, op, "grad", grad); Checks.checkFloat(this, op, "m", m); Checks.checkFloat(this, op, "v", v);
        Checks.checkSameShape(op, "grad", grad, param);
        Checks.checkSameShape(op, "m", m, param);
        Checks.checkSameShape(op, "v", v, param);
        if (t < 1) throw new IllegalArgumentException(op + ": step t must be >= 1, got " + t);
        float lrT = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        long t0 = OpTimes.start(opTimes);
        doAdam(param, grad, m, v, lrT, beta1, beta2, eps);
        OpTimes.stop(opTimes, "adam", t0);
    }

    /**
     * One step of Keras' RMSprop (no momentum, not centred): v = rho v + (1 - rho) g^2, then
     * param -= lr g / sqrt(v + eps).
     *
     * @param param updated
     * @param grad  the gradient, same shape
     * @param v     the mean square, same shape, updated
     * @param lr    the learning rate
     * @param rho   the mean square's decay, in [0, 1)
     * @param eps   added to v under the root, positive
     */
    public final void rmsprop(Tensor param, Tensor grad, Tensor v, float lr, float rho, float eps) {
        String op = "rmsprop";
        Checks.checkFloat(this, op, "param", param); Checks.checkFloat(this, op, "grad", grad); Checks.checkFloat(this, op, "v", v);
        Checks.checkSameShape(op, "grad", grad, param);
        Checks.checkSameShape(op, "v", v, param);
        long t0 = OpTimes.start(opTimes);
        doRmsprop(param, grad, v, lr, rho, eps);
        OpTimes.stop(opTimes, op, t0);
    }

    /**
     * Keras' (decoupled) weight decay, which its optimizers apply before their step: param -=
     * param * rate, where rate = weight_decay * the learning rate.
     *
     * @param param updated
     * @param rate  the share taken off each parameter, in [0, 1)
     */
    public final void weightDecay(Tensor param, float rate) {
        String op = "weightDecay";
        Checks.checkFloat(this, op, "param", param);
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException(op + ": rate must be in [0, 1), got " + rate);
        long t0 = OpTimes.start(opTimes);
        doWeightDecay(param, rate);
        OpTimes.stop(opTimes, op, t0);
    }

    /**
     * Whether this backend skips the zeros of a mostly-zero input ({@link Tuning#SPARSE_INPUT_DENSITY}),
     * read when it opens: {@link Tuning#skipsInputZeros()}.
     */
    protected final boolean skipsInputZeros = Tuning.skipsInputZeros();

    /**
     * dst row r = src row indices[start + r], for r &lt; dst.rows. indices is an INT32 tensor
     * (a vector of row numbers). src and dst have the same dtype, except that a UINT8 src
     * (pixels) fills a FLOAT32 dst with value * (1/255). A row whose index is outside src is
     * filled with NaN (FLOAT32) or -1 (INT32): kernels cannot throw, so both backends flag it so.
     *
     * @param src     the rows to gather from (FLOAT32, INT32 or UINT8)
     * @param indices INT32 row numbers
     * @param start   where in indices this batch's row numbers begin
     * @param dst     dst.rows() x src.cols(), written
     */
    public final void gatherRows(Tensor src, Tensor indices, int start, Tensor dst) {
        String op = "gatherRows";
        Checks.checkOpen(op, "src", src); Checks.checkOpen(op, "indices", indices); Checks.checkOpen(op, "dst", dst);
        Checks.checkDType(this, op, "indices", indices, DType.INT32);
        DType want = src.dtype() == DType.UINT8 ? DType.FLOAT32 : src.dtype();
        Checks.checkDType(this, op, "dst", dst, want);
        if (dst.cols() != src.cols())
            throw new IllegalArgumentException(op + ": dst has " + dst.cols() + " columns, src " + src.shape() + " has " + src.cols());
        if (start < 0 || start + (long) dst.rows() > indices.size())
            throw new IllegalArgumentException(op + ": index window [" + start + ", " + (start + dst.rows())
                    + ") outside indices " + indices.shape());
        long t0 = OpTimes.start(opTimes);
        doGatherRows(src, indices, start, dst);
        OpTimes.stop(opTimes, "gatherRows", t0);
    }

    /**
     * out[r] = the index of the first maximum of row r of x.
     *
     * @param x   rows x k
     * @param out INT32 rows x 1
     */
    public final void argmaxRows(Tensor x, Tensor out) {
        String op = "argmaxRows";
        Checks.checkFloat(this, op, "x", x); Checks.checkDType(this, op, "out", out, DType.INT32);
        Checks.checkShape(op, "out", out, x.rows(), 1, x);
        long t0 = OpTimes.start(opTimes);
        doArgmaxRows(x, out);
        OpTimes.stop(opTimes, "argmaxRows", t0);
    }

    /**
     * out[index] = the number of rows r whose first maximum is at labels[r].
     *
     * @param scores rows x k
     * @param labels INT32 rows x 1
     * @param out    INT32, any shape
     * @param index  the element of out written
     */
    public final void countCorrect(Tensor scores, Tensor labels, Tensor out, int index) {
        String op = "countCorrect";
        Checks.checkFloat(this, op, "scores", scores); Checks.checkDType(this, op, "labels", labels, DType.INT32);
        Checks.checkDType(this, op, "out", out, DType.INT32);
        Checks.checkShape(op, "labels", labels, scores.rows(), 1, scores);
        Checks.checkIndex(op, out, index);
        long t0 = OpTimes.start(opTimes);
        doCountCorrect(scores, labels, out, index);
        OpTimes.stop(opTimes, "countCorrect", t0);
    }

    /**
     * out[index] = the sum of all elements of x, in a fixed order (the same bits on every run).
     *
     * @param x     any shape
     * @param out   FLOAT32, any shape
     * @param index the element of out written
     */
    public final void sum(Tensor x, Tensor out, int index) {
        String op = "sum";
        Checks.checkFloat(this, op, "x", x); Checks.checkFloat(this, op, "out", out);
        Checks.checkIndex(op, out, index);
        long t0 = OpTimes.start(opTimes);
        doSum(x, out, index);
        OpTimes.stop(opTimes, "sum", t0);
    }

    // ---- fused operations: defaults composed of the primitives above; backends may fuse them ----

    /**
     * y = f(x W + bias): a dense layer's forward pass.
     *
     * @param x    rows x in
     * @param w    in x out
     * @param bias 1 x out
     * @param f    the activation
     * @param y    rows x out, written
     */
    public final void dense(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y) {
        Checks.checkDense(this, "dense", x, w, bias, f, y);
        long t0 = OpTimes.start(opTimes);
        doDense(x, w, bias, f, y);
        OpTimes.stop(opTimes, "dense", t0);
    }

    /**
     * A dense layer and the dropout after it, in training: y = f(x W + bias), then mask and
     * yDropped = y * mask exactly as {@link #dropout}(y, yDropped, mask, rate, seed, step) writes them.
     *
     * @param x        rows x in
     * @param w        in x out
     * @param bias     1 x out
     * @param f        the activation
     * @param y        rows x out, written
     * @param mask     rows x out, written
     * @param yDropped rows x out, written
     * @param rate     the fraction dropped, in [0, 1)
     * @param seed     the dropout stream's seed
     * @param step     the dropout stream's counter
     */
    public final void denseDropout(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y,
                                   Tensor mask, Tensor yDropped, float rate, long seed, long step) {
        Checks.checkDense(this, "denseDropout", x, w, bias, f, y);
        Checks.checkDropout(this, "denseDropout", y, yDropped, mask, rate);
        long t0 = OpTimes.start(opTimes);
        doDenseDropout(x, w, bias, f, y, mask, yDropped, rate, 1f / (1f - rate), seed, step);
        OpTimes.stop(opTimes, "denseDropout", t0);
    }

    /**
     * dx = (dz W^T) * f'(x_prev), with f'(x_prev) computed from yPrev = f(x_prev): the gradient
     * flowing from a dense layer into the pre-activation of the layer below.
     *
     * @param dz    rows x out: the gradient with respect to this layer's pre-activation
     * @param w     in x out: this layer's weights
     * @param f     the activation of the layer below
     * @param yPrev rows x in: the output of the layer below
     * @param dx    rows x in, written
     */
    public final void denseInputGrad(Tensor dz, Tensor w, Activation f, Tensor yPrev, Tensor dx) {
        denseInputGrad(dz, w, f, yPrev, null, dx);
    }

    /**
     * The same through a dropout between the two layers: dx = (dz W^T) * mask * f'(x_prev),
     * where mask (rows x in, as written by {@link #dropout}) may be null for none.
     *
     * @param dz    rows x out
     * @param w     in x out
     * @param f     the activation of the layer below
     * @param yPrev rows x in
     * @param mask  rows x in, or null
     * @param dx    rows x in, written
     */
    public final void denseInputGrad(Tensor dz, Tensor w, Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        checkInputGrad("denseInputGrad", dz, w, f, yPrev, mask, dx);
        long t0 = OpTimes.start(opTimes);
        doDenseInputGrad(dz, w, f, yPrev, mask, dx);
        OpTimes.stop(opTimes, "denseInputGrad", t0);
    }

    private void checkInputGrad(String op, Tensor dz, Tensor w, Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        Checks.checkNotNull(op, "f", f);
        Checks.checkFloat(this, op, "dz", dz); Checks.checkFloat(this, op, "w", w); Checks.checkFloat(this, op, "yPrev", yPrev); Checks.checkFloat(this, op, "dx", dx);
        if (w.cols() != dz.cols())
            throw new IllegalArgumentException(op + ": 'w' must have " + dz.cols() + " columns to match dz " + dz.rows() + "x"
                    + dz.cols() + ", but is " + w.rows() + "x" + w.cols());
        Checks.checkShape(op, "dx", dx, dz.rows(), w.rows(), dz);
        Checks.checkSameShape(op, "yPrev", yPrev, dx);
        if (mask != null) {
            Checks.checkFloat(this, op, "mask", mask);
            Checks.checkSameShape(op, "mask", mask, dx);
        }
    }

    /**
     * dW = x^T dz and db = column sums of dz: a dense layer's parameter gradients.
     *
     * @param x  rows x in: the layer's input
     * @param dz rows x out: the gradient with respect to its pre-activation
     * @param dw in x out, written
     * @param db 1 x out, written
     */
    public final void denseWeightGrad(Tensor x, Tensor dz, Tensor dw, Tensor db) {
        Checks.checkWeightGrad(this, "denseWeightGrad", x, dz, "dw", dw, db);
        long t0 = OpTimes.start(opTimes);
        doDenseWeightGrad(x, dz, dw, db);
        OpTimes.stop(opTimes, "denseWeightGrad", t0);
    }

    /**
     * A dense layer's plain SGD step without a gradient buffer for its weights: w -= lr x^T dz
     * (the product accumulated into w), db = column sums of dz, bias -= lr db: the update of
     * {@link #denseWeightGrad} followed by {@link #sgd}, to float rounding (on the CPU backend's
     * Vector API path, bit for bit up to 256 rows), with a pass over a gradient buffer less.
     *
     * @param x    rows x in: the layer's input
     * @param dz   rows x out: the gradient with respect to its pre-activation
     * @param w    in x out, updated
     * @param bias 1 x out, updated
     * @param db   1 x out, written: the bias gradient
     * @param lr   the learning rate
     */
    public final void denseSgd(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr) {
        checkSgd("denseSgd", x, dz, w, bias, db, lr);
        long t0 = OpTimes.start(opTimes);
        doDenseSgd(x, dz, w, bias, db, lr);
        OpTimes.stop(opTimes, "denseSgd", t0);
    }

    private void checkSgd(String op, Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr) {
        Checks.checkWeightGrad(this, op, x, dz, "w", w, db);
        Checks.checkFloat(this, op, "bias", bias);
        Checks.checkShape(op, "bias", bias, 1, dz.cols(), dz);
        if (!(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException(op + ": learning rate must be a positive finite number, got " + lr);
    }

    /**
     * A hidden dense layer's whole backward step under plain SGD: {@link #denseInputGrad} from
     * the weights as they were, then {@link #denseSgd}, with the same results. A backend may do
     * both in one pass over w (the CPU backend: each band of w's rows updated while in cache).
     *
     * @param x     rows x in: the layer's input
     * @param dz    rows x out: the gradient with respect to its pre-activation
     * @param w     in x out, updated
     * @param bias  1 x out, updated
     * @param db    1 x out, written: the bias gradient
     * @param lr    the learning rate
     * @param f     the activation of the layer below
     * @param yPrev rows x in: the output of the layer below
     * @param mask  rows x in: the dropout mask between them, or null
     * @param dx    rows x in, written: the gradient sent down
     */
    public final void denseBackwardSgd(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr,
                                       Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        String op = "denseBackwardSgd";
        checkSgd(op, x, dz, w, bias, db, lr);
        checkInputGrad(op, dz, w, f, yPrev, mask, dx);
        long t0 = OpTimes.start(opTimes);
        doDenseBackwardSgd(x, dz, w, bias, db, lr, f, yPrev, mask, dx);
        OpTimes.stop(opTimes, op, t0);
    }

    /**
     * {@link #denseBackwardSgd} after its checks: by default the two operations one after the other.
     *
     * @param x     rows x in
     * @param dz    rows x out
     * @param w     in x out, updated
     * @param bias  1 x out, updated
     * @param db    1 x out, written
     * @param lr    the learning rate
     * @param f     the activation of the layer below
     * @param yPrev rows x in
     * @param mask  rows x in, or null
     * @param dx    rows x in, written
     */
    protected void doDenseBackwardSgd(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr,
                                      Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        doDenseInputGrad(dz, w, f, yPrev, mask, dx);
        doDenseSgd(x, dz, w, bias, db, lr);
    }

    /**
     * {@link #denseSgd} after its checks: the product accumulated into w, the bias gradient, the
     * bias step. A backend whose GEMM sums the columns of dz on the way overrides it.
     *
     * @param x    rows x in
     * @param dz   rows x out
     * @param w    in x out, updated
     * @param bias 1 x out, updated
     * @param db   1 x out, written
     * @param lr   the learning rate
     */
    protected void doDenseSgd(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor db, float lr) {
        doGemm(true, false, x.cols(), dz.cols(), x.rows(), -lr, x, dz, 1f, w);
        doBiasGrad(dz, db);
        doSgd(bias, db, null, lr, 0f);
    }

    /**
     * @return whether training should update each dense layer inside its weight-gradient product
     *         ({@link #denseSgd}): true where an operation costs no more than its arithmetic (the
     *         CPU, and OpenCL on CPU devices), false where every launch counts more than a pass
     *         over the parameters (on a GPU the layers' updates are more launches than one
     *         optimizer launch for all)
     */
    public boolean prefersFusedUpdates() { return false; }

    /**
     * The training step's loss: softmaxCrossEntropy with INT32 labels, plus
     * lossSums[index] = sum of the rows' losses and correct[index] = rows whose most probable
     * class is the label (FLOAT32 and INT32 accumulators read once per epoch).
     *
     * @param logits   n x k
     * @param labels   INT32 n x 1
     * @param probs    n x k, written
     * @param dlogits  n x k, written
     * @param lossSums FLOAT32 accumulator, any shape
     * @param correct  INT32 accumulator, any shape
     * @param index    the element of both accumulators written
     */
    public final void softmaxCrossEntropyStats(Tensor logits, Tensor labels, Tensor probs, Tensor dlogits,
                                               Tensor lossSums, Tensor correct, int index) {
        softmaxCrossEntropyStats(logits, labels, probs, dlogits, lossSums, correct, index, null);
    }

    /**
     * {@link #softmaxCrossEntropyStats} with class weights, as Keras' fit(class_weight=...): each
     * row's loss and gradient multiplied by the weight of its label (the loss sum is the weighted
     * sum; the hit count is not weighted).
     *
     * @param logits       n x k
     * @param labels       INT32 n x 1
     * @param probs        n x k, written
     * @param dlogits      n x k, written
     * @param lossSums     FLOAT32 accumulator, any shape
     * @param correct      INT32 accumulator, any shape
     * @param index        the element of both accumulators written
     * @param classWeights FLOAT32 1 x k, or null for none
     */
    public final void softmaxCrossEntropyStats(Tensor logits, Tensor labels, Tensor probs, Tensor dlogits,
                                               Tensor lossSums, Tensor correct, int index, Tensor classWeights) {
        String op = "softmaxCrossEntropyStats";
        if (classWeights != null) {
            Checks.checkFloat(this, op, "classWeights", classWeights);
            Checks.checkShape(op, "classWeights", classWeights, 1, logits.cols(), logits);
        }
        Checks.checkFloat(this, op, "logits", logits); Checks.checkDType(this, op, "labels", labels, DType.INT32);
        Checks.checkFloat(this, op, "probs", probs); Checks.checkFloat(this, op, "dlogits", dlogits);
        Checks.checkFloat(this, op, "lossSums", lossSums); Checks.checkDType(this, op, "correct", correct, DType.INT32);
        Checks.checkShape(op, "labels", labels, logits.rows(), 1, logits);
        Checks.checkSameShape(op, "probs", probs, logits);
        Checks.checkSameShape(op, "dlogits", dlogits, logits);
        Checks.checkIndex(op, lossSums, index);
        Checks.checkIndex(op, correct, index);
        long t0 = OpTimes.start(opTimes);
        doSoftmaxCrossEntropyStats(logits, labels, probs, dlogits, lossSums, correct, index, classWeights);
        OpTimes.stop(opTimes, "softmaxCrossEntropyStats", t0);
    }

    /**
     * The training step's loss for a regression ({@link RegressionLoss}): dpred = the loss's
     * gradient with respect to pred (averaged over the n x k elements), lossSums[index] = the sum
     * over rows of each row's mean loss, absSums[index] = the sum of |pred - targets| (FLOAT32
     * accumulators read once per epoch: loss = sum / n, MAE = sum / (n k)).
     *
     * @param pred     n x k: the last layer's linear outputs
     * @param targets  n x k
     * @param dpred    n x k, written
     * @param loss     mse, mae or huber
     * @param delta    Huber's delta (positive; unused by the others)
     * @param lossSums FLOAT32 accumulator, any shape
     * @param absSums  FLOAT32 accumulator, any shape
     * @param index    the element of both accumulators written
     */
    public final void regressionLossStats(Tensor pred, Tensor targets, Tensor dpred, RegressionLoss loss, float delta,
                                          Tensor lossSums, Tensor absSums, int index) {
        regressionLossStats(pred, targets, dpred, loss, delta, lossSums, absSums, index, null);
    }

    /**
     * {@link #regressionLossStats(Tensor, Tensor, Tensor, RegressionLoss, float, Tensor, Tensor, int)}
     * with each output's |error| times its factor in absSums: a model trained on standardised
     * targets counts its errors in the targets' own units (the factor their deviation).
     *
     * @param pred     as there
     * @param targets  as there
     * @param dpred    as there
     * @param loss     as there
     * @param delta    as there
     * @param lossSums as there
     * @param absSums  as there
     * @param index    as there
     * @param absScale FLOAT32 1 x k, a factor per output, or null for none
     */
    public final void regressionLossStats(Tensor pred, Tensor targets, Tensor dpred, RegressionLoss loss, float delta,
                                          Tensor lossSums, Tensor absSums, int index, Tensor absScale) {
        String op = "regressionLossStats";
        checkTargetLoss(op, "pred", pred, targets, "dpred", dpred, lossSums, "absSums", absSums, index);
        if (!(delta > 0 && Float.isFinite(delta))) throw new IllegalArgumentException(op + ": delta must be a positive finite number, got " + delta);
        if (absScale != null) {
            Checks.checkFloat(this, op, "absScale", absScale);
            if (absScale.rows() != 1 || absScale.cols() != pred.cols())
                throw new IllegalArgumentException(op + ": absScale must be 1x" + pred.cols() + " (a factor per output), got " + absScale.rows() + "x" + absScale.cols());
        }
        long t0 = OpTimes.start(opTimes);
        doRegressionLossStats(pred, targets, dpred, loss, delta, lossSums, absSums, index, absScale);
        OpTimes.stop(opTimes, op, t0);
    }

    /** The arguments of a loss against float targets: all FLOAT32, outputs, targets and gradient of one shape, both accumulators holding index. */
    private void checkTargetLoss(String op, String outName, Tensor out, Tensor targets, String gradName, Tensor grad,
                                 Tensor lossSums, String metricName, Tensor metricSums, int index) {
        Checks.checkFloat(this, op, outName, out); Checks.checkFloat(this, op, "targets", targets); Checks.checkFloat(this, op, gradName, grad);
        Checks.checkFloat(this, op, "lossSums", lossSums); Checks.checkFloat(this, op, metricName, metricSums);
        Checks.checkSameShape(op, "targets", targets, out);
        Checks.checkSameShape(op, gradName, grad, out);
        Checks.checkIndex(op, lossSums, index);
        Checks.checkIndex(op, metricSums, index);
    }

    /** Keras' clip of probabilities before a binary cross-entropy ({@link #binaryCrossEntropyStats}). */
    public static final float BCE_EPS = 1e-7f;

    /**
     * The training step's loss for sigmoid outputs against 0/1 targets (a multi-label model), as
     * Keras computes binary_crossentropy from probabilities: p clipped to [{@link #BCE_EPS}, 1 -
     * BCE_EPS], -(t log p + (1 - t) log(1 - p)) averaged over the row's outputs; dlogits = (p - t) /
     * (n k), the gradient with respect to the sigmoid's input; lossSums[index] = the sum of the
     * rows' losses, hits[index] = the outputs on the same side of 0.5 as their target (FLOAT32).
     *
     * @param probs    n x k sigmoid outputs
     * @param targets  n x k, 0 or 1
     * @param dlogits  n x k, written
     * @param lossSums FLOAT32 accumulator, any shape
     * @param hits     FLOAT32 accumulator, any shape
     * @param index    the element of both accumulators written
     */
    public final void binaryCrossEntropyStats(Tensor probs, Tensor targets, Tensor dlogits, Tensor lossSums, Tensor hits, int index) {
        String op = "binaryCrossEntropyStats";
        checkTargetLoss(op, "probs", probs, targets, "dlogits", dlogits, lossSums, "hits", hits, index);
        long t0 = OpTimes.start(opTimes);
        doBinaryCrossEntropyStats(probs, targets, dlogits, lossSums, hits, index);
        OpTimes.stop(opTimes, op, t0);
    }

    /**
     * The backend's {@link #dense}, its arguments checked.
     *
     * @param x as in {@link #dense}
     * @param w as in {@link #dense}
     * @param bias as in {@link #dense}
     * @param f as in {@link #dense}
     * @param y as in {@link #dense}
     */
    protected void doDense(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y) {
        doGemm(false, false, x.rows(), w.cols(), x.cols(), 1f, x, w, 0f, y);
        doAddBias(y, bias, y);
        if (f != Activation.LINEAR) doActivation(f, y, y);
    }

    /**
     * The backend's {@link #denseDropout}, its arguments checked. scale is 1 / (1 - rate).
     *
     * @param x as in {@link #denseDropout}
     * @param w as in {@link #denseDropout}
     * @param bias as in {@link #denseDropout}
     * @param f as in {@link #denseDropout}
     * @param y as in {@link #denseDropout}
     * @param mask as in {@link #denseDropout}
     * @param yDropped as in {@link #denseDropout}
     * @param rate as in {@link #denseDropout}
     * @param scale as in {@link #denseDropout}
     * @param seed as in {@link #denseDropout}
     * @param step as in {@link #denseDropout}
     */
    protected void doDenseDropout(Tensor x, Tensor w, Tensor bias, Activation f, Tensor y,
                                  Tensor mask, Tensor yDropped, float rate, float scale, long seed, long step) {
        doDense(x, w, bias, f, y);
        doDropout(y, yDropped, mask, rate, scale, seed, step);
    }

    /**
     * The backend's {@link #denseWeightGrad}, its arguments checked.
     *
     * @param x as in {@link #denseWeightGrad}
     * @param dz as in {@link #denseWeightGrad}
     * @param dw as in {@link #denseWeightGrad}
     * @param db as in {@link #denseWeightGrad}
     */
    protected void doDenseWeightGrad(Tensor x, Tensor dz, Tensor dw, Tensor db) {
        doGemm(true, false, x.cols(), dz.cols(), x.rows(), 1f, x, dz, 0f, dw);
        doBiasGrad(dz, db);
    }

    /**
     * The backend's {@link #denseInputGrad}, its arguments checked.
     *
     * @param dz as in {@link #denseInputGrad}
     * @param w as in {@link #denseInputGrad}
     * @param f as in {@link #denseInputGrad}
     * @param yPrev as in {@link #denseInputGrad}
     * @param mask as in {@link #denseInputGrad}
     * @param dx as in {@link #denseInputGrad}
     */
    protected void doDenseInputGrad(Tensor dz, Tensor w, Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        doGemm(false, true, dz.rows(), w.rows(), dz.cols(), 1f, dz, w, 0f, dx);
        if (mask != null) doMultiply(dx, mask, dx);
        if (f != Activation.LINEAR) doActivationGrad(f, yPrev, dx, dx);
    }

    /**
     * The backend's {@link #softmaxCrossEntropyStats}, its arguments checked.
     *
     * @param logits as in {@link #softmaxCrossEntropyStats}
     * @param labels as in {@link #softmaxCrossEntropyStats}
     * @param probs as in {@link #softmaxCrossEntropyStats}
     * @param dlogits as in {@link #softmaxCrossEntropyStats}
     * @param lossSums as in {@link #softmaxCrossEntropyStats}
     * @param correct as in {@link #softmaxCrossEntropyStats}
     * @param index as in {@link #softmaxCrossEntropyStats}
     * @param classWeights as in {@link #softmaxCrossEntropyStats}, or null
     */
    protected void doSoftmaxCrossEntropyStats(Tensor logits, Tensor labels, Tensor probs, Tensor dlogits,
                                              Tensor lossSums, Tensor correct, int index, Tensor classWeights) {
        try (Tensor rowLoss = allocate(DType.FLOAT32, logits.rows(), 1)) {
            doSoftmaxCrossEntropy(logits, labels, probs, dlogits, rowLoss);
            if (classWeights != null) { // each row's loss and gradient times its label's weight
                doScaleRowsByClass(dlogits, labels, classWeights);
                doScaleRowsByClass(rowLoss, labels, classWeights);
            }
            doSum(rowLoss, lossSums, index);
            doCountCorrect(probs, labels, correct, index);
        }
    }

    /** Waits until every operation enqueued so far has finished. */
    public void finish() {}
}
