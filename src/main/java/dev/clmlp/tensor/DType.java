package dev.clmlp.tensor;

/** Element types a {@link Tensor} can hold. Parameters and activations are FLOAT32; labels and
 *  indices INT32; raw pixels UINT8 (converted to float by {@link Backend#gatherRows}). */
public enum DType {
    FLOAT32(4), INT32(4), UINT8(1);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }

    @Override public String toString() { return name().toLowerCase(); }
}
