package dev.clmlp.tensor;

import java.util.Objects;

/**
 * A row-major rows x cols matrix living on one {@link Backend}. Elements are contiguous from
 * {@link #offset()} in the underlying {@link Storage}; a view ({@link #view}, {@link #rows(int, int)})
 * shares the storage of its parent and owns nothing. Data moves only through the explicit
 * {@link #upload} and {@link #download} calls. Close the tensor that allocated the storage
 * (try-with-resources); closing a view does nothing, and a view of a closed tensor is unusable.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Storage storage;
    private final long offset;
    private final int rows, cols;
    private final boolean owner;

    Tensor(Backend backend, Storage storage, long offset, int rows, int cols, boolean owner) {
        this.backend = backend;
        this.storage = storage;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.owner = owner;
    }

    /** @return the backend whose memory holds the elements */
    public Backend backend() { return backend; }

    /** @return the element type */
    public DType dtype() { return storage.dtype(); }

    /** @return the number of rows */
    public int rows() { return rows; }

    /** @return the number of columns */
    public int cols() { return cols; }

    /** @return the number of elements, rows * cols */
    public long size() { return (long) rows * cols; }

    /** @return the element offset of this tensor in its storage (non-zero for views) */
    public long offset() { return offset; }

    /** @return the backend allocation; backends cast it to their own type */
    public Storage storage() { return storage; }

    /** @return whether the allocation has been freed (this tensor, or the one it views, closed) */
    public boolean isClosed() { return storage.isClosed(); }

    /**
     * A view sharing this tensor's memory; it owns nothing, and is unusable once this one is closed.
     *
     * @param elementOffset where the view starts, in elements from this tensor's first
     * @param rows          the view's rows
     * @param cols          the view's columns
     * @return the rows x cols view
     */
    public Tensor view(long elementOffset, int rows, int cols) {
        Checks.checkOpen("view", "this", this);
        if (rows <= 0 || cols <= 0)
            throw new IllegalArgumentException("view: sizes must be positive, got " + rows + "x" + cols);
        if (elementOffset < 0 || elementOffset + (long) rows * cols > size())
            throw new IllegalArgumentException("view: " + rows + "x" + cols + " at element " + elementOffset
                    + " does not fit in " + shape());
        return new Tensor(backend, storage, offset + elementOffset, rows, cols, false);
    }

    /**
     * @param start the first row
     * @param count how many rows
     * @return the view of rows [start, start + count)
     */
    public Tensor rows(int start, int count) {
        if (start < 0 || count <= 0 || start + count > rows)
            throw new IllegalArgumentException("rows: rows [" + start + ", " + (start + count) + ") outside " + shape());
        return view((long) start * cols, count, cols);
    }

    /** @param data exactly size() floats, row-major, copied into this FLOAT32 tensor */
    public void upload(float[] data) { backend.write(this, Objects.requireNonNull(data, "upload: data is null")); }

    /** @param data exactly size() ints, row-major, copied into this INT32 tensor */
    public void upload(int[] data) { backend.write(this, Objects.requireNonNull(data, "upload: data is null")); }

    /** @return a copy of this FLOAT32 tensor, row-major (waits for the operations before it) */
    public float[] download() {
        float[] out = new float[Math.toIntExact(size())];
        backend.read(this, out);
        return out;
    }

    /** @return a copy of this INT32 tensor, row-major (waits for the operations before it) */
    public int[] downloadInts() {
        int[] out = new int[Math.toIntExact(size())];
        backend.read(this, out);
        return out;
    }

    /** @return the shape and type, as "64x784 float32" */
    public String shape() { return rows + "x" + cols + " " + dtype(); }

    @Override public String toString() {
        return "Tensor[" + shape() + (owner ? "" : " view") + " on " + backend.name() + "]";
    }

    /** Frees the memory if this tensor allocated it; closing a view does nothing. */
    @Override public void close() {
        if (owner) backend.free(storage);
    }
}
