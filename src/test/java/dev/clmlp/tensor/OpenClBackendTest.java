package dev.clmlp.tensor;

import dev.clmlp.opencl.OpenClBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenClBackendTest extends BackendContract {
    @Override Backend backend() { return TestBackends.opencl(); }

    @Override int fusedFrom() { return OpenClBackend.FUSED_FROM; }

    /**
     * The loop-limit probe: Mesa's llvmpipe ends a work-item's loops after 65535 iterations in
     * all, which left rows of the loss kernel unwritten (NaN) when one item took every row; there
     * the backend takes tilings and many small work-items. PoCL and Oclgrind run loops to the end.
     */
    @Test
    void theDriversLoopLimitIsMeasured() {
        OpenClBackend b = (OpenClBackend) backend();
        if (b.device().platformName().contains("rusticl")) {
            assertEquals(65535, b.loopLimit());
            assertTrue(b.gemmParams().isTiled(), b.gemmReason());
        } else {
            assertEquals(Long.MAX_VALUE, b.loopLimit(), b.device().platformName());
        }
    }

    /**
     * Products of A^T with 1024 rows or more and 256 columns or more, which the vector GEMM takes
     * after a transpose kernel (OpenClBackend.TRANSPOSE_A_FROM; here and on Oclgrind, not on
     * rusticl's tiling): as gemm, and as SGD runs a weight gradient into w, alone and with dx.
     */
    @Test
    void wideProductsOfATransposedMatchTheReference() {
        checkGemm(5, 1025, 256, 2, true, false, 1f, 0f);
        checkGemm(6, 1031, 257, 3, true, true, -0.5f, 1f);
        // dense_backward_sgd with its copy of x^T: from 1024 inputs and FUSED_FROM outputs
        denseBackwardSgdIsTheInputGradientThenDenseSgd(5, 1030, 3, true, Activation.SIGMOID, true, 21L);
    }

    /**
     * Plain SGD inside the weight-gradient products (denseSgd) where the vector GEMM runs, PoCL and
     * Oclgrind here; with the tiled GPU kernel, as on rusticl, a separate sgd pass.
     */
    @Test
    void cpuDevicesUpdateInsideTheProducts() {
        OpenClBackend b = (OpenClBackend) backend();
        assertEquals(!b.device().platformName().contains("rusticl"), b.prefersFusedUpdates(), b.gemmReason());
        assertEquals(false, OpenClTiledBackendTest.tiled().prefersFusedUpdates());
    }
}
