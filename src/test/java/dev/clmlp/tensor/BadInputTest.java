package dev.clmlp.tensor;

import dev.clmlp.cpu.CpuBackend;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong shapes, sizes, types, nulls and closed tensors give messages naming the operation and shapes. */
class BadInputTest {
    static Backend backend(String name) { return name.equals("cpu") ? TestBackends.cpu() : TestBackends.opencl(); }

    static void assertMessage(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable e = assertThrows(type, call);
        for (String part : parts)
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void shapeMismatchesNameTheOperationAndShapes(String name) {
        Backend b = backend(name);
        try (Tensor a = b.zeros(3, 4); Tensor w = b.zeros(5, 6); Tensor c = b.zeros(3, 6); Tensor bias = b.zeros(1, 5);
             Tensor labels = b.upload(new int[] {0, 1}, 2, 1); Tensor p = b.zeros(3, 4); Tensor loss = b.zeros(3, 1);
             Tensor dx = b.zeros(3, 5)) {
            assertMessage(IllegalArgumentException.class, () -> b.gemm(false, false, 1, a, w, 0, c), "gemm", "3x4", "5x6");
            assertMessage(IllegalArgumentException.class, () -> b.gemm(true, false, 1, a, w, 0, c), "gemm", "transposed");
            assertMessage(IllegalArgumentException.class, () -> b.addBias(a, bias, a), "addBias", "bias", "1x4", "1x5");
            assertMessage(IllegalArgumentException.class, () -> b.biasGrad(a, bias), "biasGrad", "1x4");
            assertMessage(IllegalArgumentException.class, () -> b.denseWeightGrad(a, c, w, bias), "denseWeightGrad", "'dw'", "4x6", "5x6");
            assertMessage(IllegalArgumentException.class, () -> b.denseWeightGrad(a, w, c, bias), "denseWeightGrad", "'dz'", "3 rows", "5x6");
            assertMessage(IllegalArgumentException.class, () -> b.denseInputGrad(c, w, Activation.RELU, dx, a, dx),
                    "denseInputGrad", "mask", "3x4", "3x5");
            assertMessage(IllegalArgumentException.class, () -> b.activation(Activation.RELU, a, c), "activation", "3x4", "3x6");
            assertMessage(IllegalArgumentException.class, () -> b.softmaxCrossEntropy(a, labels, p, p, loss),
                    "softmaxCrossEntropy", "targets", "3x1", "2x1");
            assertMessage(IllegalArgumentException.class, () -> b.gemm(false, false, 1, labels, w, 0, c), "gemm", "float32", "int32");
            assertMessage(IllegalArgumentException.class, () -> b.dropout(a, a, p, 1f, 1, 1), "dropout", "rate");
            assertMessage(IllegalArgumentException.class, () -> b.denseDropout(dx, w, c.rows(0, 1), Activation.RELU, c, c, c, 1f, 1, 1),
                    "denseDropout", "rate");
            assertMessage(IllegalArgumentException.class, () -> b.denseDropout(dx, w, c.rows(0, 1), Activation.RELU, c, a, c, 0.5f, 1, 1),
                    "denseDropout", "mask", "3x4", "3x6");
            assertMessage(IllegalArgumentException.class, () -> b.gatherRows(a, labels, 1, c), "gatherRows");
            assertMessage(IllegalArgumentException.class, () -> b.sum(a, loss, 3), "sum", "index 3");
            assertMessage(IllegalArgumentException.class, () -> b.upload(new float[5], 2, 3), "upload", "5", "2x3");
            assertMessage(IllegalArgumentException.class, () -> a.upload(new float[11]), "upload", "11", "3x4");
            assertMessage(IllegalArgumentException.class, () -> a.view(10, 1, 3), "view", "3x4");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void zeroOrNegativeSizesAreRejected(String name) {
        Backend b = backend(name);
        assertMessage(IllegalArgumentException.class, () -> b.zeros(0, 3), "allocate", "0x3");
        assertMessage(IllegalArgumentException.class, () -> b.zeros(2, -1), "allocate", "2x-1");
        assertMessage(IllegalArgumentException.class, () -> b.upload(new float[0], 0, 0), "upload", "0x0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void nullsAndUseAfterCloseAreRejected(String name) {
        Backend b = backend(name);
        Tensor a = b.zeros(2, 2);
        Tensor view = a.rows(1, 1);
        assertMessage(NullPointerException.class, () -> b.gemm(false, false, 1, a, null, 0, a), "gemm", "'b'");
        assertMessage(NullPointerException.class, () -> b.activation(null, a, a), "activation", "'f'");
        assertMessage(NullPointerException.class, () -> b.upload((float[]) null, 1, 1), "upload", "null");
        a.close();
        assertMessage(IllegalStateException.class, () -> b.activation(Activation.RELU, a, a), "activation", "closed", "2x2");
        assertMessage(IllegalStateException.class, () -> b.activation(Activation.RELU, view, view), "activation", "closed");
        assertMessage(IllegalStateException.class, a::download, "download", "closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void tensorsOfAnotherBackendAreRejected(String name) {
        Backend b = backend(name);
        try (CpuBackend other = new CpuBackend(1); Tensor mine = b.zeros(2, 2); Tensor theirs = other.zeros(2, 2)) {
            assertMessage(IllegalArgumentException.class, () -> b.multiply(mine, theirs, mine), "multiply", "'b'", "lives on cpu");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu"})
    void closedBackendRejectsWork(String ignored) {
        CpuBackend b = new CpuBackend(1);
        Tensor t = b.zeros(1, 1);
        b.close();
        assertTrue(t.isClosed(), "closing a backend frees its tensors");
        assertMessage(IllegalStateException.class, () -> b.zeros(1, 1), "allocate", "closed");
    }
}
