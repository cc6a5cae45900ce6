package dev.clmlp.check;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.OpenClBackend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The self-check passes on the test device and fails, naming the operation, on a kernel built wrong. */
class SelfCheckTest {
    @Test
    void theTestDevicePassesEveryLine() {
        SelfCheck.Report report = SelfCheck.run(TestBackends.opencl(), TestBackends.cpu());
        assertTrue(report.passed(), report.table());
        assertTrue(report.lines().size() > 50, report.table());
        assertTrue(report.table().contains(report.lines().size() + " passed, 0 failed"), report.table());
        assertTrue(report.lines().stream().anyMatch(l -> l.operation().startsWith("train keras")), report.table());
    }

    /** ReLU's code redefined at build time, so the kernels take it for another activation: the ReLU lines fail, the rest pass. */
    @Test
    void aBrokenKernelFailsItsLines() {
        TestBackends.opencl();
        OpenClBackend broken;
        System.setProperty("clmlp.cl.options", "-DACT_RELU=7");
        try {
            broken = new OpenClBackend(ClDevice.list().get(0));
        } finally {
            System.clearProperty("clmlp.cl.options");
        }
        try (broken) {
            SelfCheck.Report report = SelfCheck.run(broken, TestBackends.cpu());
            assertFalse(report.passed(), report.table());
            assertTrue(report.failures().stream().anyMatch(l -> l.operation().equals("dense relu")), report.table());
            assertTrue(report.failures().stream().anyMatch(l -> l.operation().startsWith("train scratch")), report.table());
            assertTrue(report.failures().stream().noneMatch(l -> l.operation().startsWith("gemm") || l.operation().startsWith("softmax")), report.table());
            assertTrue(report.table().contains(" FAIL"), report.table());
        }
    }
}
