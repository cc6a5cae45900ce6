package dev.clmlp;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.ClDiscovery;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What --backend auto picks among devices as the drivers describe them. */
class BackendsTest {
    static ClDevice device(int index, String platform, String name, String type) {
        return new ClDevice(dev.clmlp.opencl.ClBinding.jocl(), index, null, platform, name, type, "vendor", "driver", "OpenCL 3.0", 8, 1L << 30, 48 << 10, 1024, 4, true);
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
        assertEquals("the first OpenCL GPU", Backends.autoReason(found(List.of(POCL, GPU))));
        assertEquals("no OpenCL GPU; the Java backend is used instead of opencl:0 (GPU+CPU+ACCELERATOR, a simulator), opencl:1 (CPU)",
                Backends.autoReason(found(List.of(OCLGRIND, POCL))));
        assertEquals("no OpenCL device", Backends.autoReason(found(List.of())));
    }

    /** A platform that fails to list its devices is named, with its error, whatever auto picks. */
    @Test
    void autoNamesThePlatformsThatFailed() {
        ClDiscovery.Problem rusticl = new ClDiscovery.Problem("rusticl", "clGetDeviceIDs: " + ClDiscovery.errorName(-31));
        assertEquals("no OpenCL GPU; the Java backend is used instead of opencl:1 (CPU); platforms that failed to list their devices: "
                + "rusticl (clGetDeviceIDs: CL_INVALID_DEVICE_TYPE (-31))", Backends.autoReason(new ClDiscovery(List.of(POCL), List.of(rusticl), List.of())));
        assertEquals("the first OpenCL GPU; platforms that failed to list their devices: rusticl (clGetDeviceIDs: CL_INVALID_DEVICE_TYPE (-31))",
                Backends.autoReason(new ClDiscovery(List.of(GPU), List.of(rusticl), List.of())));
        assertEquals("OpenCL error -9999", ClDiscovery.errorName(-9999));
    }

    /** The device kind is one fact, from the type and platform, that auto and the kernels' launches read. */
    @Test
    void eachDeviceHasOneKind() {
        assertEquals(ClDevice.Kind.SIMULATOR, OCLGRIND.kind());
        assertEquals(ClDevice.Kind.CPU, POCL.kind());
        assertEquals(ClDevice.Kind.GPU, GPU.kind());
        assertEquals(ClDevice.Kind.CPU, device(3, "rusticl", "llvmpipe (LLVM 15.0.6, 256 bits)", "CPU").kind());
        assertEquals(ClDevice.Kind.GPU, device(4, "Apple", "Apple M2", "GPU").kind());
    }

    private static ClDiscovery found(List<ClDevice> devices) { return new ClDiscovery(devices, List.of(), List.of()); }
}
