package dev.clmlp.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two backends on the same inputs, and each backend against itself. */
class CrossBackendTest {
    /** One forward/backward step of a small dense layer with dropout, on a backend. */
    static float[][] layerStep(Backend b, float[] x, float[] w, float[] bias, int[] labels, int n, int in, int out, long seed) {
        try (Tensor tx = b.upload(x, n, in); Tensor tw = b.upload(w, in, out); Tensor tb = b.upload(bias, 1, out);
             Tensor tl = b.upload(labels, n, 1); Tensor z = b.zeros(n, out); Tensor h = b.zeros(n, out);
             Tensor mask = b.zeros(n, out); Tensor p = b.zeros(n, out); Tensor d = b.zeros(n, out);
             Tensor loss = b.zeros(n, 1); Tensor dw = b.zeros(in, out); Tensor db = b.zeros(1, out)) {
            b.gemm(false, false, 1f, tx, tw, 0f, z);
            b.addBias(z, tb, z);
            b.activation(Activation.TANH, z, h);
            b.dropout(h, h, mask, 0.25f, seed, 3);
            b.softmaxCrossEntropy(h, tl, p, d, loss);
            b.gemm(true, false, 1f, tx, d, 0f, dw);
            b.biasGrad(d, db);
            return new float[][] {mask.download(), p.download(), loss.download(), dw.download(), db.download()};
        }
    }

    @Property(tries = 10)
    void backendsAgreeAndEachIsDeterministic(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll @IntRange(min = 1, max = 90) int in,
                                             @ForAll @IntRange(min = 1, max = 20) int out, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = Rand.floats(r, n * in, 1), w = Rand.floats(r, in * out, 0.5f), bias = Rand.floats(r, out, 0.1f);
        int[] labels = Rand.ints(r, n, out);
        float[][] cpu = layerStep(TestBackends.cpu(), x, w, bias, labels, n, in, out, seed);
        float[][] cl = layerStep(TestBackends.opencl(), x, w, bias, labels, n, in, out, seed);
        assertArrayEquals(cpu[0], cl[0], 0f, "dropout masks must be identical on both backends");
        String[] names = {"mask", "probs", "loss", "dW", "db"};
        for (int t = 1; t < cpu.length; t++)
            for (int i = 0; i < cpu[t].length; i++) {
                float a = cpu[t][i], c = cl[t][i];
                assertTrue(Math.abs(a - c) <= 1e-5f * (1 + Math.abs(a)),
                        names[t] + "[" + i + "]: cpu " + a + " vs opencl " + c + " (n=" + n + ", in=" + in + ", out=" + out + ")");
            }
        for (Backend b : TestBackends.both()) {
            float[][] again = layerStep(b, x, w, bias, labels, n, in, out, seed);
            float[][] first = b == TestBackends.cpu() ? cpu : cl;
            for (int t = 0; t < first.length; t++)
                assertTrue(Arrays.equals(first[t], again[t]), names[t] + " must be bit-identical on a rerun on " + b.name());
        }
    }
}
