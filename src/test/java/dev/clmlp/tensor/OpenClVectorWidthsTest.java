package dev.clmlp.tensor;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.GemmParams;
import dev.clmlp.opencl.OpenClBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * gemm_packed with the other vector widths and register blocks a CPU device may get (AVX2: 8,
 * SSE and NEON: 4), on awkward shapes in every layout, with k past one panel and partial strips.
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
            };
            contract.gemmOnAwkwardShapes();
            contract.checkGemm(3, 33, 129, 300, true, true, 1f, 0.5f);
            contract.denseWeightGradMatchesTheReference(300, 70, 41, 7L);
            contract.denseWeightGradMatchesTheReference(5, 3, 130, 8L);
        }
    }
}
