package dev.clmlp.tensor;

import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.opencl.OpenClBackend;

/**
 * One CPU and one OpenCL backend shared by the whole test JVM (building the program once).
 * OpenCL must be present: a test run without it fails rather than silently skipping the
 * kernels, unless CLMLP_SKIP_OPENCL=1 is set.
 */
public final class TestBackends {
    private static CpuBackend cpu;
    private static OpenClBackend opencl, lwjgl, tiled;

    /** The GPU kernel's tiling that the tiled backend asks for: small tiles put many edge tiles into every shape. */
    public static final dev.clmlp.opencl.GemmParams SMALL_TILES = dev.clmlp.opencl.GemmParams.tiled(16, 16, 8, 2, 2);

    private TestBackends() {}

    public static synchronized Backend cpu() {
        if (cpu == null) cpu = new CpuBackend();
        return cpu;
    }

    public static synchronized Backend opencl() {
        if (opencl == null) {
            if ("1".equals(System.getenv("CLMLP_SKIP_OPENCL")))
                org.junit.jupiter.api.Assumptions.abort("CLMLP_SKIP_OPENCL=1");
            opencl = OpenClBackend.open(0);
            // a pass meant for one implementation (-Poclgrind, -Prusticl) must not run on another
            String expected = System.getProperty("clmlp.test.expectDevice");
            if (expected != null && !opencl.device().platformName().contains(expected)) {
                String found = opencl.device().platformName();
                opencl.close();
                opencl = null;
                throw new IllegalStateException("this pass is for OpenCL platform '" + expected + "', but device 0 is on '" + found + "'");
            }
        }
        return opencl;
    }

    /**
     * The test device with the tiled (GPU) GEMM forced: PoCL picks the vector kernels for itself.
     * A device whose kernels take fewer items per group gets the same tile with more work per item.
     */
    public static synchronized OpenClBackend openclTiled() {
        if (tiled == null) {
            opencl(); // fails (or aborts under CLMLP_SKIP_OPENCL) without OpenCL
            tiled = new OpenClBackend(dev.clmlp.opencl.ClDevice.list().get(0), false, SMALL_TILES);
        }
        return tiled;
    }

    /** The same device through the LWJGL binding (the library's optional second binding). */
    public static synchronized Backend lwjgl() {
        if (lwjgl == null) {
            opencl(); // fails (or aborts under CLMLP_SKIP_OPENCL) without OpenCL
            lwjgl = OpenClBackend.open(dev.clmlp.opencl.ClBinding.lwjgl(), 0, false);
        }
        return lwjgl;
    }

    public static Backend[] both() { return new Backend[] {cpu(), opencl()}; }

    /** The Java backend and the OpenCL device through both bindings: what the training tests run on. */
    public static Backend[] all() { return new Backend[] {cpu(), opencl(), lwjgl()}; }
}
