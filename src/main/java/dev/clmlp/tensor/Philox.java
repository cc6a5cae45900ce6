package dev.clmlp.tensor;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11): a
 * counter-based RNG. The n-th random number is a pure function of (key, counter), so every
 * element of a dropout mask can be drawn independently, on any backend, in any order, with the
 * same result. The OpenCL twin lives in src/main/opencl/random.cl.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    private Philox() {}

    /**
     * One Philox4x32-10 block.
     *
     * @param c0 the counter's first word
     * @param c1 its second word
     * @param c2 its third word
     * @param c3 its fourth word
     * @param k0 the key's first word
     * @param k1 its second word
     * @return the four 32-bit outputs
     */
    public static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /**
     * Uniform float in [0, 1) for element {@code index} of the stream (seed, step): word
     * index%4 of the block at counter (index/4, 0, step), keyed by seed; 24 random bits.
     *
     * @param seed  the stream's key
     * @param step  the stream's counter (the training step)
     * @param index the element
     * @return a float in [0, 1), the same as the dropout kernels draw
     */
    public static float uniform(long seed, long step, int index) {
        int[] w = block(index >>> 2, 0, (int) step, (int) (step >>> 32), (int) seed, (int) (seed >>> 32));
        return unit(w[index & 3]);
    }

    /**
     * out[outOff + i] = {@link #uniform}(seed, step, from + i) for i &lt; n, one block per four
     * elements instead of one per element (the dropout of a step draws thousands).
     *
     * @param seed   the stream's key
     * @param step   the stream's counter
     * @param from   the first element
     * @param n      how many
     * @param out    written
     * @param outOff where in out
     */
    public static void uniforms(long seed, long step, int from, int n, float[] out, int outOff) {
        int[] w = null;
        for (int i = 0; i < n; i++) {
            int index = from + i;
            if (w == null || (index & 3) == 0) w = block(index >>> 2, 0, (int) step, (int) (step >>> 32), (int) seed, (int) (seed >>> 32));
            out[outOff + i] = unit(w[index & 3]);
        }
    }

    /** The top 24 bits of a word as a float in [0, 1). */
    private static float unit(int word) { return (word >>> 8) * 0x1.0p-24f; }

    /**
     * Uniform int for element {@code index} of stream (seed, step): 32 random bits, multiply-shift.
     *
     * @param seed  the stream's key
     * @param step  the stream's counter
     * @param index the element
     * @param bound the exclusive upper bound
     * @return an int in [0, bound)
     */
    public static int below(long seed, long step, int index, int bound) {
        int[] w = block(index >>> 2, 1, (int) step, (int) (step >>> 32), (int) seed, (int) (seed >>> 32));
        return (int) (((w[index & 3] & 0xFFFFFFFFL) * bound) >>> 32);
    }

    /**
     * Standard normal for element {@code index} of stream (seed, step), by Box-Muller on two 32-bit words.
     *
     * @param seed  the stream's key
     * @param step  the stream's counter
     * @param index the element
     * @return a draw from N(0, 1)
     */
    public static double normal(long seed, long step, int index) {
        int[] w = block(index, 2, (int) step, (int) (step >>> 32), (int) seed, (int) (seed >>> 32));
        double u1 = ((w[0] & 0xFFFFFFFFL) + 1.0) / 4294967297.0; // (0, 1): log is finite
        double u2 = (w[1] & 0xFFFFFFFFL) / 4294967296.0;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * A permutation (Fisher-Yates) that depends only on (seed, step): an epoch's shuffle.
     *
     * @param n    the number of elements
     * @param seed the stream's key
     * @param step the stream's counter (the epoch)
     * @return a permutation of 0..n-1
     */
    public static int[] permutation(int n, long seed, long step) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = below(seed, step, i, i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
