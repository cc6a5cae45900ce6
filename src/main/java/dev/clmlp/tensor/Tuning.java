package dev.clmlp.tensor;

/**
 * The numeric switches that every backend shares, in one place: when the products skip the
 * zeros of a layer's input, and where Adam flushes tiny values to zero. The OpenCL kernels get
 * the flush values as build options (ClDefines.options).
 */
public final class Tuning {
    private Tuning() {}

    /**
     * The largest share of nonzeros in a dense layer's input for which the backends skip its zeros
     * in the layer's products (the Java backend's SparseGemm, OpenCL's gemm_sparse_a on CPU
     * devices), with the same results. MNIST's pixels are 19% nonzeros. With the zeros spread at
     * random, not in the same places of every image, skipping them breaks even at about 30%
     * nonzeros for x W and 25% for x^T dz on the Java backend (64 x 784 x 128, two threads, AMD EPYC).
     */
    public static final double SPARSE_INPUT_DENSITY = 0.25;

    /**
     * @return whether a backend opened now skips the zeros of a mostly-zero input
     *         ({@link #SPARSE_INPUT_DENSITY}): yes unless the JVM runs with -Dclmlp.sparse=false,
     *         to compare with the dense products
     */
    public static boolean skipsInputZeros() { return !"false".equals(System.getProperty("clmlp.sparse")); }

    /**
     * Adam treats a gradient or moment of magnitude below this as 0, and a gradient below its
     * square root as giving a zero square, on every backend: otherwise moments that decay by beta
     * each step pass through the denormal range, where x86 arithmetic is up to 5x slower (a
     * twentieth of the keras preset's first moments at any time), and values this small move no
     * weight (a step of at most lr * 1e-30 / epsilon).
     */
    public static final float ADAM_FLUSH = 1e-30f;

    /** A gradient below this in magnitude gives Adam a zero square (its square would be below {@link #ADAM_FLUSH}). */
    public static final float ADAM_FLUSH_ROOT = (float) Math.sqrt(ADAM_FLUSH);
}
