package dev.clmlp.opencl;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One OpenCL device, as one binding sees it, and the facts clmlp needs about it;
 * {@link #list()} enumerates them through JOCL. handle is the binding's own device handle.
 * floatVectorWidth is the device's preferred float vector width (16 for AVX-512, 8 for AVX2).
 */
public record ClDevice(ClBinding binding, int index, Object handle, String platformName,
                       String name, String type, String vendor, String driver, String version,
                       int computeUnits, long globalMemBytes, long localMemBytes, long maxWorkGroupSize,
                       int floatVectorWidth) {

    public boolean isGpu() { return type.contains("GPU"); }

    /**
     * A device simulator rather than hardware: Oclgrind, which checks every memory access and
     * runs thousands of times slower. It reports itself as GPU, CPU and accelerator at once,
     * which no real device does. {@code --backend auto} never picks one.
     */
    public boolean isSimulator() {
        return platformName.contains("Oclgrind") || (type.contains("GPU") && type.contains("CPU") && type.contains("ACCELERATOR"));
    }

    /** "opencl:N" through JOCL, "lwjgl:N" through LWJGL. */
    public String backendName() { return binding.prefix() + ":" + index; }

    /** Every device of every platform through JOCL, numbered across platforms in enumeration order. */
    public static List<ClDevice> list() { return ClBinding.jocl().devices(); }

    /** "GPU", "CPU", "GPU+CPU+ACCELERATOR", ... from CL_DEVICE_TYPE bits. */
    public static String typeName(long bits) {
        StringBuilder sb = new StringBuilder();
        if ((bits & 4) != 0) sb.append("GPU"); // CL_DEVICE_TYPE_GPU
        if ((bits & 2) != 0) sb.append(sb.length() > 0 ? "+" : "").append("CPU"); // CL_DEVICE_TYPE_CPU
        if ((bits & 8) != 0) sb.append(sb.length() > 0 ? "+" : "").append("ACCELERATOR"); // CL_DEVICE_TYPE_ACCELERATOR
        return sb.length() > 0 ? sb.toString() : "OTHER";
    }

    /** A NUL-terminated string from an info query. */
    public static String cString(byte[] buf) {
        int len = 0;
        while (len < buf.length && buf[len] != 0) len++;
        return new String(buf, 0, len, StandardCharsets.UTF_8).trim();
    }
}
