package dev.clmlp.tensor;

/** Element types a {@link Tensor} can hold. Parameters and activations are FLOAT32; labels and
 *  indices INT32; raw pixels UINT8 (converted to float by {@link Backend#gatherRows}). */
public enum DType {
    /** 32-bit floats. */
    FLOAT32(4),
    /** 32-bit ints: labels, indices, counts. */
    INT32(4),
    /** Unsigned bytes: pixels. */
    UINT8(1);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** @return the size of one element in bytes */
    public int bytes() { return bytes; }

    @Override public String toString() { return name().toLowerCase(); }
}
