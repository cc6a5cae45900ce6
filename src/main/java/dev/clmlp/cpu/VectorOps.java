package dev.clmlp.cpu;

import dev.clmlp.tensor.Tuning;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The optimizer updates and the pixel conversion with the Vector API (used only with jdk.incubator.vector, like
 * {@link VectorGemm}): the JIT does not vectorise the plain loops, because it cannot rule out
 * that parameters, gradients and moments share an array. Same operations in the same order as
 * the plain loops of {@link CpuBackend}, so results are identical.
 */
final class VectorOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorOps() {}

    /** p[e] -= lr * g[e] for e in [from, to) */
    static void sgd(float[] p, int po, float[] g, int go, float lr, int from, int to) {
        int e = from, wide = from + (to - from) / S.length() * S.length();
        for (; e < wide; e += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + e);
            pv.sub(FloatVector.fromArray(S, g, go + e).mul(lr)).intoArray(p, po + e);
        }
        for (; e < to; e++) p[po + e] -= lr * g[go + e];
    }

    /** Keras Adam for e in [from, to), as CpuBackend's loop. */
    static void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
                     float lrT, float beta1, float beta2, float eps, int from, int to) {
        int e = from, wide = from + (to - from) / S.length() * S.length();
        float c1 = 1f - beta1, c2 = 1f - beta2;
        for (; e < wide; e += S.length()) { // values below ADAM_FLUSH count as 0 (Tuning.ADAM_FLUSH), as in the loop below
            FloatVector ge = flushed(FloatVector.fromArray(S, g, go + e));
            FloatVector me = flushed(FloatVector.fromArray(S, m, mo + e));
            FloatVector ve = flushed(FloatVector.fromArray(S, v, vo + e));
            FloatVector g2 = ge.mul(ge).blend(0f, ge.abs().lt(Tuning.ADAM_FLUSH_ROOT));
            me = me.add(ge.sub(me).mul(c1));
            ve = ve.add(g2.sub(ve).mul(c2));
            me.intoArray(m, mo + e);
            ve.intoArray(v, vo + e);
            FloatVector step = me.mul(lrT).div(ve.sqrt().add(eps));
            FloatVector.fromArray(S, p, po + e).sub(step).intoArray(p, po + e);
        }
        for (; e < to; e++) {
            float gs = CpuBackend.flushed(g[go + e]), m0 = CpuBackend.flushed(m[mo + e]), v0 = CpuBackend.flushed(v[vo + e]);
            float me = m0 + (gs - m0) * c1;
            float ve = v0 + ((Math.abs(gs) < Tuning.ADAM_FLUSH_ROOT ? 0f : gs * gs) - v0) * c2;
            m[mo + e] = me;
            v[vo + e] = ve;
            p[po + e] -= lrT * me / ((float) Math.sqrt(ve) + eps);
        }
    }

    /** y[o + j] = relu(y[o + j] + bias[bo + j]) for j &lt; n, NaN giving 0 as in CpuBackend's loop (which the JIT does not vectorise). */
    static void biasRelu(float[] y, int o, float[] bias, int bo, int n) {
        int j = 0, wide = n / S.length() * S.length();
        for (; j < wide; j += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, o + j).add(FloatVector.fromArray(S, bias, bo + j));
            v.blend(0f, v.compare(VectorOperators.GT, 0f).not()).intoArray(y, o + j);
        }
        for (; j < n; j++) {
            float v = y[o + j] + bias[bo + j];
            y[o + j] = v > 0f ? v : 0f;
        }
    }

    /** g[go + j] = y[yo + j] &gt; 0 ? g[go + j] : 0 for j &lt; n: ReLU's gradient from its output, as CpuBackend's loop (which the JIT does not vectorise). */
    static void reluGrad(float[] g, int go, float[] y, int yo, int n) {
        int j = 0, wide = n / S.length() * S.length();
        for (; j < wide; j += S.length()) {
            FloatVector v = FloatVector.fromArray(S, g, go + j);
            v.blend(0f, FloatVector.fromArray(S, y, yo + j).compare(VectorOperators.GT, 0f).not()).intoArray(g, go + j);
        }
        for (; j < n; j++) g[go + j] = y[yo + j] > 0f ? g[go + j] : 0f;
    }

    private static FloatVector flushed(FloatVector x) { return x.blend(0f, x.abs().lt(Tuning.ADAM_FLUSH)); }

    /**
     * The bytes a pixel vector converts from, as many as S has float lanes; null where that is
     * under the smallest vector shape (64 bits: 128-bit float vectors, as on ARM NEON).
     */
    private static final VectorSpecies<Byte> PIXELS = S.length() * 8 < 64 ? null
            : VectorSpecies.of(byte.class, jdk.incubator.vector.VectorShape.forBitSize(S.length() * 8));

    /** d[dOff + c] = (s[so + c] & 0xFF) / 255 for c < n, as CpuBackend's loop. */
    static void pixels(byte[] s, int so, float[] d, int dOff, int n) {
        int c = 0, wide = PIXELS == null ? 0 : n / S.length() * S.length();
        for (; c < wide; c += S.length()) pixelVector(s, so + c, d, dOff + c);
        pixelTail(s, so, d, dOff, c, n);
    }

    /**
     * {@link #pixels} for four source rows into four consecutive rows of d, a vector of each in
     * turn: the four rows' cache misses overlap instead of following one another (a batch's rows
     * lie scattered over 47 MB of pixels; 32 rows on one thread: 6.5 against 9.7 us).
     */
    static void pixels4(byte[] s, int s0, int s1, int s2, int s3, float[] d, int dOff, int n) {
        int c = 0, wide = PIXELS == null ? 0 : n / S.length() * S.length();
        for (; c < wide; c += S.length()) {
            pixelVector(s, s0 + c, d, dOff + c);
            pixelVector(s, s1 + c, d, dOff + n + c);
            pixelVector(s, s2 + c, d, dOff + 2 * n + c);
            pixelVector(s, s3 + c, d, dOff + 3 * n + c);
        }
        pixelTail(s, s0, d, dOff, c, n);
        pixelTail(s, s1, d, dOff + n, c, n);
        pixelTail(s, s2, d, dOff + 2 * n, c, n);
        pixelTail(s, s3, d, dOff + 3 * n, c, n);
    }

    /** The columns [c, n) of a row of pixels, one at a time, as CpuBackend's loop. */
    private static void pixelTail(byte[] s, int so, float[] d, int dOff, int c, int n) {
        for (; c < n; c++) d[dOff + c] = (s[so + c] & 0xFF) * (1f / 255f);
    }

    private static void pixelVector(byte[] s, int so, float[] d, int dOff) {
        FloatVector f = (FloatVector) ByteVector.fromArray(PIXELS, s, so).convertShape(VectorOperators.B2F, S, 0);
        f.add(256f, f.lt(0f)).mul(1f / 255f).intoArray(d, dOff); // the bytes are signed: -1 is pixel 255
    }
}
