package dev.clmlp.opencl.jocl;

import dev.clmlp.opencl.ClBinding;
import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.ClDiscovery;
import dev.clmlp.opencl.ClRuntime;
import dev.clmlp.opencl.OpenClUnavailableException;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.List;

import static org.jocl.CL.*;

/** OpenCL through JOCL (org.jocl:jocl), clmlp's default binding: backends "opencl:N". */
public final class JoclBinding implements ClBinding {
    /** The binding (it has no state). */
    public static final JoclBinding INSTANCE = new JoclBinding();

    /** A device's JOCL handles (ClDevice.handle() of this binding's devices). */
    public record Handle(cl_platform_id platform, cl_device_id id) {}

    private JoclBinding() {}

    @Override public String prefix() { return "opencl"; }

    @Override public ClRuntime open(ClDevice device, boolean profiling) { return new JoclRuntime(device, profiling); }

    @Override public ClDiscovery discover() {
        List<ClDevice> out = new ArrayList<>();
        List<ClDiscovery.Problem> problems = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        cl_platform_id[] platforms = platforms();
        for (int pi = 0; pi < platforms.length; pi++) {
            cl_platform_id p = platforms[pi];
            String platformName = "platform #" + pi, call = "clGetPlatformInfo";
            try {
                platformName = platformString(p, CL_PLATFORM_NAME);
                call = "clGetDeviceIDs";
                int[] n = new int[1];
                try {
                    clGetDeviceIDs(p, ClDiscovery.ALL_DEVICE_TYPES, 0, null, n);
                } catch (CLException e) {
                    if (e.getStatus() != ClDiscovery.DEVICE_NOT_FOUND) throw e;
                    empty.add(platformName); // a platform with no devices
                    continue;
                }
                cl_device_id[] ids = new cl_device_id[n[0]];
                clGetDeviceIDs(p, ClDiscovery.ALL_DEVICE_TYPES, n[0], ids, null);
                call = "clGetDeviceInfo";
                List<ClDevice> found = new ArrayList<>();
                for (cl_device_id d : ids) found.add(device(out.size() + found.size(), p, d, platformName));
                out.addAll(found);
            } catch (CLException e) {
                problems.add(new ClDiscovery.Problem(platformName, call + ": " + ClDiscovery.errorName(e.getStatus())));
            }
        }
        return new ClDiscovery(out, problems, empty);
    }

    private ClDevice device(int index, cl_platform_id p, cl_device_id d, String platformName) {
        return new ClDevice(this, index, new Handle(p, d), platformName, string(d, CL_DEVICE_NAME),
                ClDevice.typeName(number(d, CL_DEVICE_TYPE, Sizeof.cl_ulong)), string(d, CL_DEVICE_VENDOR),
                string(d, CL_DRIVER_VERSION), string(d, CL_DEVICE_VERSION),
                (int) number(d, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint), number(d, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong),
                number(d, CL_DEVICE_LOCAL_MEM_SIZE, Sizeof.cl_ulong), number(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t),
                (int) number(d, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT, Sizeof.cl_uint),
                ClDevice.fastFma(number(d, CL_DEVICE_SINGLE_FP_CONFIG, Sizeof.cl_ulong)));
    }

    /** The platforms, or OpenClUnavailableException saying how to install one. */
    private static cl_platform_id[] platforms() {
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
        } catch (CLException e) {
            throw new OpenClUnavailableException("No OpenCL platform found (" + e.getMessage() + ")", e);
        }
    }

    private static String string(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return ClDevice.cString(buf);
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return ClDevice.cString(buf);
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
}
