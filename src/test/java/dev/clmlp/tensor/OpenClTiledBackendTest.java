package dev.clmlp.tensor;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.GemmParams;
import dev.clmlp.opencl.OpenClBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU kernel (local-memory tiled GEMM) on the test device too: PoCL picks the vector
 * kernels for itself, so this backend forces small tiles, which also puts many edge tiles
 * into every shape.
 */
class OpenClTiledBackendTest extends BackendContract {
    static OpenClBackend tiled() { return TestBackends.openclTiled(); }

    @Override Backend backend() { return tiled(); }

    @Test
    void usesTheTiledKernel() {
        assertTiledAsRequested(TestBackends.SMALL_TILES, tiled());
    }

    /**
     * The backend took the requested tiling, or, only where the device's kernel takes fewer
     * work-items per group (rusticl's llvmpipe: 32), the requested tile with more work per item or
     * a smaller tile: never a CPU-style kernel.
     */
    static void assertTiledAsRequested(GemmParams requested, OpenClBackend b) {
        GemmParams got = b.gemmParams();
        assertTrue(requested.withSmallerGroups().contains(got), "asked for " + requested + ", got " + got + ": " + b.gemmReason());
        if (!got.equals(requested))
            assertTrue(b.gemmReason().contains(requested.spec() + " (requested): " + requested.groupSize() + " work-items per group, the kernel takes"),
                    "a tiling other than the requested one, without the device's reason: " + b.gemmReason());
    }

    /** The GPU default tiling (64x64 tiles, 4x4 per work-item) builds and computes the same as the CPU. */
    @Test
    void gpuDefaultTilingAgreesWithTheCpu() {
        try (OpenClBackend gpuTiling = new OpenClBackend(ClDevice.list().get(0), false, GemmParams.tiled(64, 64, 16, 4, 4))) {
            assertTiledAsRequested(GemmParams.tiled(64, 64, 16, 4, 4), gpuTiling);
            java.util.Random r = new java.util.Random(3);
            float[] a = Rand.floats(r, 133 * 785, 1), b = Rand.floats(r, 785 * 70, 1);
            float[] expected, actual;
            try (Tensor ta = TestBackends.cpu().upload(a, 133, 785); Tensor tb = TestBackends.cpu().upload(b, 785, 70);
                 Tensor tc = TestBackends.cpu().zeros(133, 70)) {
                TestBackends.cpu().gemm(false, false, 1f, ta, tb, 0f, tc);
                expected = tc.download();
            }
            try (Tensor ta = gpuTiling.upload(a, 133, 785); Tensor tb = gpuTiling.upload(b, 785, 70); Tensor tc = gpuTiling.zeros(133, 70)) {
                gpuTiling.gemm(false, false, 1f, ta, tb, 0f, tc);
                actual = tc.download();
            }
            for (int i = 0; i < expected.length; i++)
                assertEquals(expected[i], actual[i], 1e-3f, "element " + i);
        }
    }
}
