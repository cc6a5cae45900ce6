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

    public Backend backend() { return backend; }

    public DType dtype() { return storage.dtype(); }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Number of elements, rows * cols. */
    public long size() { return (long) rows * cols; }

    /** Element offset of this tensor in its storage (non-zero for views). */
    public long offset() { return offset; }

    /** The backend allocation; backends cast it to their own type. */
    public Storage storage() { return storage; }

    public boolean isClosed() { return storage.isClosed(); }

    /** A rows x cols view starting {@code elementOffset} elements into this tensor. */
    public Tensor view(long elementOffset, int rows, int cols) {
        Backend.checkOpen("view", "this", this);
        if (rows <= 0 || cols <= 0)
            throw new IllegalArgumentException("view: sizes must be positive, got " + rows + "x" + cols);
        if (elementOffset < 0 || elementOffset + (long) rows * cols > size())
            throw new IllegalArgumentException("view: " + rows + "x" + cols + " at element " + elementOffset
                    + " does not fit in " + shape());
        return new Tensor(backend, storage, offset + elementOffset, rows, cols, false);
    }

    /** The view of rows [start, start + count). */
    public Tensor rows(int start, int count) {
        if (start < 0 || count <= 0 || start + count > rows)
            throw new IllegalArgumentException("rows: rows [" + start + ", " + (start + count) + ") outside " + shape());
        return view((long) start * cols, count, cols);
    }

    /** Copies {@code data} (row-major, exactly size() floats) into this FLOAT32 tensor. */
    public void upload(float[] data) { backend.write(this, Objects.requireNonNull(data, "upload: data is null")); }

    /** Copies {@code data} (exactly size() ints) into this INT32 tensor. */
    public void upload(int[] data) { backend.write(this, Objects.requireNonNull(data, "upload: data is null")); }

    /** Copies this FLOAT32 tensor to a new host array. */
    public float[] download() {
        float[] out = new float[Math.toIntExact(size())];
        backend.read(this, out);
        return out;
    }

    /** Copies this INT32 tensor to a new host array. */
    public int[] downloadInts() {
        int[] out = new int[Math.toIntExact(size())];
        backend.read(this, out);
        return out;
    }

    /** "64x784 float32" */
    public String shape() { return rows + "x" + cols + " " + dtype(); }

    @Override public String toString() {
        return "Tensor[" + shape() + (owner ? "" : " view") + " on " + backend.name() + "]";
    }

    @Override public void close() {
        if (owner) backend.free(storage);
    }
}
