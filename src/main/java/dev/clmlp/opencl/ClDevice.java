package dev.clmlp.opencl;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.jocl.CL.*;

/**
 * One OpenCL device and the facts clmlp needs about it; {@link #list()} enumerates them all.
 * floatVectorWidth is the device's preferred float vector width (16 for AVX-512, 8 for AVX2).
 */
public record ClDevice(int index, cl_platform_id platform, cl_device_id id, String platformName,
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

    /** "opencl:N" */
    public String backendName() { return "opencl:" + index; }

    /** Every device of every platform, numbered across platforms in enumeration order. */
    public static List<ClDevice> list() {
        List<ClDevice> out = new ArrayList<>();
        for (cl_platform_id p : platforms()) {
            int[] n = new int[1];
            try {
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (org.jocl.CLException e) {
                continue; // a platform with no devices (CL_DEVICE_NOT_FOUND)
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, n[0], ids, null);
            String platformName = platformString(p, CL_PLATFORM_NAME);
            for (cl_device_id d : ids) {
                out.add(new ClDevice(out.size(), p, d, platformName, string(d, CL_DEVICE_NAME), type(d),
                        string(d, CL_DEVICE_VENDOR), string(d, CL_DRIVER_VERSION), string(d, CL_DEVICE_VERSION),
                        (int) number(d, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint), number(d, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong),
                        number(d, CL_DEVICE_LOCAL_MEM_SIZE, Sizeof.cl_ulong), number(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t),
                        (int) number(d, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT, Sizeof.cl_uint)));
            }
        }
        return out;
    }

    /** The platforms, or OpenClUnavailableException saying how to install one. */
    static cl_platform_id[] platforms() {
        try {
            setExceptionsEnabled(true);
            int[] n = new int[1];
            clGetPlatformIDs(0, null, n);
            if (n[0] == 0) throw new OpenClUnavailableException("No OpenCL platform found", null);
            cl_platform_id[] ps = new cl_platform_id[n[0]];
            clGetPlatformIDs(n[0], ps, null);
            return ps;
        } catch (UnsatisfiedLinkError e) {
            throw new OpenClUnavailableException("The OpenCL library (libOpenCL.so / OpenCL.dll) could not be loaded: "
                    + e.getMessage(), e);
        } catch (org.jocl.CLException e) {
            throw new OpenClUnavailableException("No OpenCL platform found (" + e.getMessage() + ")", e);
        }
    }

    private static String type(cl_device_id d) {
        long t = number(d, CL_DEVICE_TYPE, Sizeof.cl_ulong);
        List<String> names = new ArrayList<>();
        if ((t & CL_DEVICE_TYPE_GPU) != 0) names.add("GPU");
        if ((t & CL_DEVICE_TYPE_CPU) != 0) names.add("CPU");
        if ((t & CL_DEVICE_TYPE_ACCELERATOR) != 0) names.add("ACCELERATOR");
        if (names.isEmpty()) names.add("OTHER");
        return String.join("+", names);
    }

    private static String string(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static long number(cl_device_id d, int param, int bytes) {
        if (bytes == Sizeof.cl_uint) {
            int[] v = new int[1];
            clGetDeviceInfo(d, param, bytes, Pointer.to(v), null);
            return v[0] & 0xFFFFFFFFL;
        }
        long[] v = new long[1];
        clGetDeviceInfo(d, param, bytes, Pointer.to(v), null);
        return v[0];
    }

    static String cString(byte[] buf) {
        int len = 0;
        while (len < buf.length && buf[len] != 0) len++;
        return new String(buf, 0, len, StandardCharsets.UTF_8).trim();
    }
}
