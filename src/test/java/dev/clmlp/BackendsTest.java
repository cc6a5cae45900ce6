package dev.clmlp;

import dev.clmlp.opencl.ClDevice;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What --backend auto picks among devices as the drivers describe them. */
class BackendsTest {
    static ClDevice device(int index, String platform, String name, String type) {
        return new ClDevice(dev.clmlp.opencl.ClBinding.jocl(), index, null, platform, name, type, "vendor", "driver", "OpenCL 3.0", 8, 1L << 30, 48 << 10, 1024, 4);
    }

    static final ClDevice OCLGRIND = device(0, "Oclgrind", "Oclgrind Simulator", "GPU+CPU+ACCELERATOR");
    static final ClDevice POCL = device(1, "Portable Computing Language", "cpu-haswell", "CPU");
    static final ClDevice GPU = device(2, "NVIDIA CUDA", "NVIDIA H200", "GPU");

    @Test
    void autoNeverPicksASimulator() {
        assertTrue(OCLGRIND.isSimulator());
        assertFalse(GPU.isSimulator() || POCL.isSimulator());
        assertEquals(Optional.empty(), Backends.autoDevice(List.of(OCLGRIND, POCL)));
        assertEquals(Optional.of(GPU), Backends.autoDevice(List.of(OCLGRIND, POCL, GPU)));
    }

    @Test
    void autoSaysWhyItPicksWhatItPicks() {
        assertEquals("the first OpenCL GPU", Backends.autoReason(List.of(POCL, GPU)));
        assertEquals("no OpenCL GPU; the Java backend is used instead of opencl:0 (GPU+CPU+ACCELERATOR, a simulator), opencl:1 (CPU)",
                Backends.autoReason(List.of(OCLGRIND, POCL)));
        assertEquals("no OpenCL device", Backends.autoReason(List.of()));
    }
}
