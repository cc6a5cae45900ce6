package dev.clmlp.tensor;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.GemmParams;
import dev.clmlp.opencl.OpenClBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * gemm_packed with the other vector widths and register blocks a CPU device may get (AVX2: 8,
 * SSE and NEON: 4), on awkward shapes in every layout, with k past one panel and partial strips,
 * and gemm_sparse_a and dense_backward_sgd with them.
 */
class OpenClVectorWidthsTest {
    @ParameterizedTest
    @ValueSource(strings = {"vector:8,6,2,128", "vector:4,4,2,64", "vector:16,4,3,64"})
    void everyWidthComputesTheReference(String spec) {
        TestBackends.opencl();
        try (OpenClBackend b = new OpenClBackend(ClDevice.list().get(0), false, GemmParams.parse(spec))) {
            assertEquals(spec, b.gemmParams().spec());
            BackendContract contract = new BackendContract() {
                @Override Backend backend() { return b; }

                @Override int fusedFrom() { return OpenClBackend.FUSED_FROM; }
            };
            contract.gemmOnAwkwardShapes();
            contract.checkGemm(3, 33, 129, 300, true, true, 1f, 0.5f);
            contract.denseWeightGradMatchesTheReference(300, 70, 41, 7L);
            contract.denseWeightGradMatchesTheReference(5, 3, 130, 8L);
            // epilogues and fused dropout on a strip's last, partial vectors (27 = 16 + 11 = 3 * 8 + 3)
            contract.denseAndDenseInputGradMatchTheReference(Activation.SIGMOID, 37, 45, 27, true, 5L);
            contract.denseAndDenseInputGradMatchTheReference(Activation.RELU, 3, 7, 70, false, 6L);
            contract.denseDropoutIsDenseThenDropout(Activation.SIGMOID, 33, 20, 27, 9L, 12345);
            contract.denseDropoutIsDenseThenDropout(Activation.TANH, 70, 90, 75, 10L, 7);
            // dense_backward_sgd: a partial strip and block, x past one panel (KC 64)
            contract.denseBackwardSgdIsTheInputGradientThenDenseSgd(70, 77, 9, true, Activation.TANH, true, 15L);
            // gemm_sparse_a (a batch of mostly-zero pixels): k past one panel, partial strips
            contract.aMostlyZeroPixelBatchGivesTheSameProductsAsFloats(70, 300, 75, 20, 11L);
            contract.aMostlyZeroPixelBatchGivesTheSameProductsAsFloats(5, 33, 130, 10, 12L);
            contract.aMostlyZeroPixelBatchGivesTheSameProductsAsFloats(70, 150, 290, 20, 13L); // C wide: split by columns
            contract.aMostlyZeroPixelBatchGivesTheSameProductsAsFloats(40, 77, 389, 20, 14L); // C wide, k in one panel: B read in place
        }
    }
}
