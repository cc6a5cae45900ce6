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
}
