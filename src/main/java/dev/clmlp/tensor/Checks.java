package dev.clmlp.tensor;

/**
 * The argument checks of {@link Backend}'s operations, in one place: every message names the
 * operation, the argument and the shapes, and an operation is refused before any work.
 */
final class Checks {
    private Checks() {}

    static void checkDropout(Backend b, String op, Tensor x, Tensor y, Tensor mask, float rate) {
        checkFloat(b, op, "x", x); checkFloat(b, op, "y", y); checkFloat(b, op, "mask", mask);
        checkSameShape(op, "y", y, x);
        checkSameShape(op, "mask", mask, x);
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException(op + ": rate must be in [0, 1), got " + rate);
    }

    static void checkDense(Backend b, String op, Tensor x, Tensor w, Tensor bias, Activation f, Tensor y) {
        checkNotNull(op, "f", f);
        checkFloat(b, op, "x", x); checkFloat(b, op, "w", w); checkFloat(b, op, "bias", bias); checkFloat(b, op, "y", y);
        if (w.rows() != x.cols())
            throw new IllegalArgumentException(op + ": 'w' must have " + x.cols() + " rows to match x " + x.rows() + "x" + x.cols()
                    + ", but is " + w.rows() + "x" + w.cols());
        checkShape(op, "bias", bias, 1, w.cols(), w);
        checkShape(op, "y", y, x.rows(), w.cols(), x);
    }

    /** The arguments of a weight gradient x^T dz into an in x out matrix (dW, or w itself) and db. */
    static void checkWeightGrad(Backend b, String op, Tensor x, Tensor dz, String wName, Tensor w, Tensor db) {
        checkFloat(b, op, "x", x); checkFloat(b, op, "dz", dz); checkFloat(b, op, wName, w); checkFloat(b, op, "db", db);
        if (dz.rows() != x.rows())
            throw new IllegalArgumentException(op + ": 'dz' must have " + x.rows() + " rows to match x " + x.rows() + "x" + x.cols()
                    + ", but is " + dz.rows() + "x" + dz.cols());
        checkShape(op, wName, w, x.cols(), dz.cols(), x);
        checkShape(op, "db", db, 1, dz.cols(), dz);
    }

    static void checkOpen(String op, String arg, Tensor t) {
        if (t == null) throw new NullPointerException(op + ": argument '" + arg + "' is null");
        if (t.isClosed()) throw new IllegalStateException(op + ": tensor '" + arg + "' (" + t.shape() + ") is closed");
        if (t.backend().isClosed()) throw new IllegalStateException(op + ": backend " + t.backend().name() + " is closed");
    }

    static void checkOwn(Backend b, String op, String arg, Tensor t) {
        checkOpen(op, arg, t);
        if (t.backend() != b)
            throw new IllegalArgumentException(op + ": tensor '" + arg + "' lives on " + t.backend().name() + ", not on " + b.name());
    }

    static void checkDType(Backend b, String op, String arg, Tensor t, DType want) {
        checkOwn(b, op, arg, t);
        if (t.dtype() != want)
            throw new IllegalArgumentException(op + ": '" + arg + "' must be " + want + ", got " + t.shape());
    }

    static void checkFloat(Backend b, String op, String arg, Tensor t) { checkDType(b, op, arg, t, DType.FLOAT32); }

    static void checkNotNull(String op, String arg, Object o) {
        if (o == null) throw new NullPointerException(op + ": argument '" + arg + "' is null");
    }

    static void checkShape(String op, String arg, Tensor t, int rows, int cols, Tensor ref) {
        if (t.rows() != rows || t.cols() != cols)
            throw new IllegalArgumentException(op + ": '" + arg + "' must be " + rows + "x" + cols + " but is "
                    + t.rows() + "x" + t.cols() + " (input is " + ref.rows() + "x" + ref.cols() + ")");
    }

    static void checkSameShape(String op, String arg, Tensor t, Tensor ref) {
        checkShape(op, arg, t, ref.rows(), ref.cols(), ref);
    }

    static void checkIndex(String op, Tensor out, int index) {
        if (index < 0 || index >= out.size())
            throw new IllegalArgumentException(op + ": index " + index + " outside out " + out.shape());
    }

    static void checkLength(String op, int length, int rows, int cols) {
        if (length < 0) throw new NullPointerException(op + ": data is null");
        if (rows <= 0 || cols <= 0)
            throw new IllegalArgumentException(op + ": sizes must be positive, got " + rows + "x" + cols);
        if (length != (long) rows * cols)
            throw new IllegalArgumentException(op + ": data has " + length + " elements, " + rows + "x" + cols
                    + " needs " + (long) rows * cols);
    }

    static void checkTransfer(Backend b, String op, Tensor t, Object data) {
        checkOwn(b, op, "tensor", t);
        int length = data instanceof float[] f ? f.length : data instanceof int[] i ? i.length : -1;
        DType want = data instanceof float[] ? DType.FLOAT32 : DType.INT32;
        if (t.dtype() != want)
            throw new IllegalArgumentException(op + ": tensor is " + t.shape() + " but the host array is " + want);
        if (length != t.size())
            throw new IllegalArgumentException(op + ": host array has " + length + " elements, tensor "
                    + t.shape() + " has " + t.size());
    }
}
