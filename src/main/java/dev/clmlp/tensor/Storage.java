package dev.clmlp.tensor;

/** A backend's allocation behind one or more {@link Tensor}s (views share it). */
public abstract class Storage {
    private final DType dtype;
    private final long elements;
    private boolean closed;

    /**
     * @param dtype    the element type
     * @param elements the number of elements
     */
    protected Storage(DType dtype, long elements) {
        this.dtype = dtype;
        this.elements = elements;
    }

    /** @return the element type */
    public final DType dtype() { return dtype; }

    /** @return the number of elements */
    public final long elements() { return elements; }

    /** @return whether the memory has been freed */
    public final boolean isClosed() { return closed; }

    /** Frees the memory once; later calls do nothing. */
    final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees the backend's memory; called once. */
    protected abstract void release();
}
