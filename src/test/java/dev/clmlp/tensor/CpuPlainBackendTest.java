package dev.clmlp.tensor;

import dev.clmlp.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU backend without the Vector API (plain Java 17) against the same contract. */
class CpuPlainBackendTest extends BackendContract {
    private static final CpuBackend PLAIN = new CpuBackend(2, false);

    @Override Backend backend() { return PLAIN; }

    @Test
    void theDefaultCpuBackendUsesTheVectorApiWhenTheModuleIsPresent() {
        assertTrue(CpuBackend.VECTOR_API, "the tests run with --add-modules jdk.incubator.vector");
        assertTrue(TestBackends.cpu().description().contains("Vector API"), TestBackends.cpu().description());
        assertTrue(PLAIN.description().contains("plain loops"), PLAIN.description());
    }

    /** The Vector API optimizer updates do the same float operations in the same order as the plain loops. */
    @net.jqwik.api.Property(tries = 10)
    void vectorAndPlainOptimizerUpdatesAreBitIdentical(@net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5000) int n,
                                                       @net.jqwik.api.ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] p = Rand.floats(r, n, 1), g = Rand.floats(r, n, 1), m = Rand.floats(r, n, 0.1f), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 0.01f;
        float[][] out = new float[2][];
        Backend[] backends = {TestBackends.cpu(), PLAIN};
        for (int b = 0; b < 2; b++) {
            Backend be = backends[b];
            try (Tensor tp = be.upload(p, 1, n); Tensor tg = be.upload(g, 1, n); Tensor tm = be.upload(m, 1, n); Tensor tv = be.upload(v, 1, n)) {
                be.adam(tp, tg, tm, tv, 0.001f, 0.9f, 0.999f, 1e-7f, 3);
                be.sgd(tp, tg, null, 0.01f, 0f);
                float[] a = tp.download(), mm = tm.download(), vv = tv.download();
                out[b] = new float[3 * n];
                System.arraycopy(a, 0, out[b], 0, n);
                System.arraycopy(mm, 0, out[b], n, n);
                System.arraycopy(vv, 0, out[b], 2 * n, n);
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(out[1], out[0]);
    }
}
