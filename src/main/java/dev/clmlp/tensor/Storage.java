package dev.clmlp.tensor;

/** A backend's allocation behind one or more {@link Tensor}s (views share it). */
public abstract class Storage {
    private final DType dtype;
    private final long elements;
    private boolean closed;

    protected Storage(DType dtype, long elements) {
        this.dtype = dtype;
        this.elements = elements;
    }

    public final DType dtype() { return dtype; }

    public final long elements() { return elements; }

    public final boolean isClosed() { return closed; }

    /** Frees the memory once; later calls do nothing. */
    final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    protected abstract void release();
}
