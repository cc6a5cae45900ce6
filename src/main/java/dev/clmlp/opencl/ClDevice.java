package dev.clmlp.opencl;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One OpenCL device, as one binding sees it, and the facts clmlp needs about it;
 * {@link #list()} enumerates them through JOCL.
 *
 * @param binding          the binding that listed it
 * @param index            its number among all devices of all platforms (opencl:index, lwjgl:index)
 * @param handle           the binding's own device handle
 * @param platformName     CL_PLATFORM_NAME
 * @param name             CL_DEVICE_NAME
 * @param type             "GPU", "CPU", "ACCELERATOR" or several joined with '+'
 * @param vendor           CL_DEVICE_VENDOR
 * @param driver           CL_DRIVER_VERSION
 * @param version          CL_DEVICE_VERSION
 * @param computeUnits     CL_DEVICE_MAX_COMPUTE_UNITS
 * @param globalMemBytes   CL_DEVICE_GLOBAL_MEM_SIZE
 * @param localMemBytes    CL_DEVICE_LOCAL_MEM_SIZE
 * @param maxWorkGroupSize CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param floatVectorWidth the preferred float vector width (16 for AVX-512, 8 for AVX2)
 * @param fastFma          CL_DEVICE_SINGLE_FP_CONFIG has CL_FP_FMA and not CL_FP_SOFT_FLOAT: fma() is
 *                         a hardware instruction (the CPU GEMM then uses it; mad() need not fuse)
 */
public record ClDevice(ClBinding binding, int index, Object handle, String platformName,
                       String name, String type, String vendor, String driver, String version,
                       int computeUnits, long globalMemBytes, long localMemBytes, long maxWorkGroupSize,
                       int floatVectorWidth, boolean fastFma) {

    /**
     * What kind of machine runs the kernels, which decides how they are launched. A GPU runs a
     * work-group's items side by side, so it gets the local-memory tiled GEMM, tree reductions
     * over many items and one element per item. A CPU device (PoCL, rusticl's llvmpipe) runs a
     * work-group's items one after another: it gets the vector GEMM, single-item groups and
     * contiguous runs per item. A simulator (Oclgrind) runs like a CPU device and is never
     * picked by {@code --backend auto}.
     */
    public enum Kind {
        /** A GPU or another device whose work-items run in parallel (an accelerator). */
        GPU,
        /** OpenCL on the host's CPU. */
        CPU,
        /** A device simulator that checks every access (Oclgrind). */
        SIMULATOR
    }

    /** @return the device's kind, from its type and platform (one place decides it) */
    public Kind kind() {
        if (isSimulator()) return Kind.SIMULATOR;
        return type.contains("CPU") ? Kind.CPU : Kind.GPU;
    }

    /**
     * Whether clmlp leaves caching compiled programs to the driver: on every PoCL device, which
     * keeps each kernel it compiles in its own disk cache, and to hand out a program's binary
     * first compiles every kernel to machine code (11-16 s for clmlp's program on an Ice Lake
     * core, where the source builds in about a second and a training run launches a dozen of its
     * kernels), and on other CPU devices (rusticl's llvmpipe).
     *
     * @return whether programs for this device are built from source each time
     */
    public boolean cachesItsOwnKernels() {
        return kind() == Kind.CPU || platformName.contains("Portable Computing Language");
    }

    /** @return whether the device says it is a GPU */
    public boolean isGpu() { return type.contains("GPU"); }

    /**
     * A device simulator rather than hardware: Oclgrind, which checks every memory access and
     * runs thousands of times slower. It reports itself as GPU, CPU and accelerator at once,
     * which no real device does. {@code --backend auto} never picks one.
     *
     * @return whether this is a simulator
     */
    public boolean isSimulator() {
        return platformName.contains("Oclgrind") || (type.contains("GPU") && type.contains("CPU") && type.contains("ACCELERATOR"));
    }

    /** @return "opencl:N" through JOCL, "lwjgl:N" through LWJGL */
    public String backendName() { return binding.prefix() + ":" + index; }

    /** @return every device of every platform through JOCL, numbered across platforms in enumeration order */
    public static List<ClDevice> list() { return ClBinding.jocl().devices(); }

    /** @return every device through JOCL and the platforms that failed to list theirs */
    public static ClDiscovery discover() { return ClBinding.jocl().discover(); }

    /**
     * @param bits CL_DEVICE_TYPE
     * @return "GPU", "CPU", "GPU+CPU+ACCELERATOR", ...
     */
    public static String typeName(long bits) {
        StringBuilder sb = new StringBuilder();
        if ((bits & 4) != 0) sb.append("GPU"); // CL_DEVICE_TYPE_GPU
        if ((bits & 2) != 0) sb.append(sb.length() > 0 ? "+" : "").append("CPU"); // CL_DEVICE_TYPE_CPU
        if ((bits & 8) != 0) sb.append(sb.length() > 0 ? "+" : "").append("ACCELERATOR"); // CL_DEVICE_TYPE_ACCELERATOR
        return sb.length() > 0 ? sb.toString() : "OTHER";
    }

    /**
     * @param singleFpConfig CL_DEVICE_SINGLE_FP_CONFIG
     * @return whether it has CL_FP_FMA and not CL_FP_SOFT_FLOAT
     */
    public static boolean fastFma(long singleFpConfig) {
        return (singleFpConfig & (1 << 5)) != 0 && (singleFpConfig & (1 << 6)) == 0; // CL_FP_FMA, CL_FP_SOFT_FLOAT
    }

    /**
     * @param buf the bytes of an info query
     * @return the text before the first NUL, trimmed
     */
    public static String cString(byte[] buf) {
        int len = 0;
        while (len < buf.length && buf[len] != 0) len++;
        return new String(buf, 0, len, StandardCharsets.UTF_8).trim();
    }
}
