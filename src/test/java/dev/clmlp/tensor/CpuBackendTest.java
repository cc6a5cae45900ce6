package dev.clmlp.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class CpuBackendTest extends BackendContract {
    @Override Backend backend() { return TestBackends.cpu(); }

    @Override int fusedFrom() { return dev.clmlp.cpu.CpuBackend.FUSED_FROM; }

    /**
     * An element-wise loop long enough to be cut into chunks across the threads (Adam on 700K
     * weights) gives the bits of the same loop over slices short enough for the calling thread.
     */
    @Test
    void elementWiseLoopsInChunksMatchShortOnes() {
        int n = 700_000, slice = 70_000;
        Random r = new Random(5);
        float[] p = Rand.floats(r, n, 1), g = Rand.floats(r, n, 1), m = Rand.floats(r, n, 0.1f), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 0.01f;
        float[] whole, sliced = new float[n];
        try (Backend b = new dev.clmlp.cpu.CpuBackend(3)) {
            try (Tensor tp = b.upload(p, 1, n); Tensor tg = b.upload(g, 1, n); Tensor tm = b.upload(m, 1, n); Tensor tv = b.upload(v, 1, n)) {
                b.adam(tp, tg, tm, tv, 0.001f, 0.9f, 0.999f, 1e-7f, 3);
                whole = tp.download();
            }
            for (int o = 0; o < n; o += slice)
                try (Tensor tp = b.upload(java.util.Arrays.copyOfRange(p, o, o + slice), 1, slice);
                     Tensor tg = b.upload(java.util.Arrays.copyOfRange(g, o, o + slice), 1, slice);
                     Tensor tm = b.upload(java.util.Arrays.copyOfRange(m, o, o + slice), 1, slice);
                     Tensor tv = b.upload(java.util.Arrays.copyOfRange(v, o, o + slice), 1, slice)) {
                    b.adam(tp, tg, tm, tv, 0.001f, 0.9f, 0.999f, 1e-7f, 3);
                    System.arraycopy(tp.download(), 0, sliced, o, slice);
                }
        }
        assertArrayEquals(sliced, whole, "Adam on 700K weights at once and by slices of 70K");
    }
}
