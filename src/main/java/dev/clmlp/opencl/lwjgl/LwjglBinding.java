package dev.clmlp.opencl.lwjgl;

import dev.clmlp.opencl.ClBinding;
import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.ClDiscovery;
import dev.clmlp.opencl.ClRuntime;
import dev.clmlp.opencl.OpenClUnavailableException;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.lwjgl.opencl.CL10.*;

/**
 * OpenCL through LWJGL 3 (org.lwjgl:lwjgl-opencl, an optional dependency): backends "lwjgl:N",
 * for apps that already use LWJGL. The devices and their numbering are JOCL's, since both ask
 * the same ICD loader.
 */
public final class LwjglBinding implements ClBinding {
    /** The binding (it has no state). */
    public static final LwjglBinding INSTANCE = new LwjglBinding();

    /** A device's LWJGL handles (ClDevice.handle() of this binding's devices). */
    public record Handle(long platform, long id) {}

    private LwjglBinding() {}

    @Override public String prefix() { return "lwjgl"; }

    @Override public ClRuntime open(ClDevice device, boolean profiling) { return new LwjglRuntime(device, profiling); }

    @Override public ClDiscovery discover() {
        List<ClDevice> out = new ArrayList<>();
        List<ClDiscovery.Problem> problems = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        long[] platforms = platforms();
        for (int pi = 0; pi < platforms.length; pi++) {
            long p = platforms[pi];
            String platformName = "platform #" + pi;
            try (MemoryStack stack = MemoryStack.stackPush()) {
                platformName = platformString(p, CL_PLATFORM_NAME);
                IntBuffer n = stack.mallocInt(1);
                int err = clGetDeviceIDs(p, ClDiscovery.ALL_DEVICE_TYPES, null, n);
                if (err == ClDiscovery.DEVICE_NOT_FOUND || (err == CL_SUCCESS && n.get(0) == 0)) { // a platform with no devices
                    empty.add(platformName);
                    continue;
                }
                check(err, "clGetDeviceIDs");
                PointerBuffer ids = stack.mallocPointer(n.get(0));
                check(clGetDeviceIDs(p, ClDiscovery.ALL_DEVICE_TYPES, ids, (IntBuffer) null), "clGetDeviceIDs");
                List<ClDevice> found = new ArrayList<>();
                for (int i = 0; i < ids.capacity(); i++) found.add(device(out.size() + found.size(), p, ids.get(i), platformName));
                out.addAll(found);
            } catch (CallFailed e) {
                problems.add(new ClDiscovery.Problem(platformName, e.getMessage()));
            }
        }
        return new ClDiscovery(out, problems, empty);
    }

    private ClDevice device(int index, long p, long d, String platformName) {
        return new ClDevice(this, index, new Handle(p, d), platformName, string(d, CL_DEVICE_NAME),
                ClDevice.typeName(ulong(d, CL_DEVICE_TYPE)), string(d, CL_DEVICE_VENDOR), string(d, CL_DRIVER_VERSION),
                string(d, CL_DEVICE_VERSION), uint(d, CL_DEVICE_MAX_COMPUTE_UNITS), ulong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
                ulong(d, CL_DEVICE_LOCAL_MEM_SIZE), sizeT(d, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                uint(d, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT), ClDevice.fastFma(ulong(d, CL_DEVICE_SINGLE_FP_CONFIG)));
    }

    /** A query of the device listing failed: its message names the call and the error. */
    private static final class CallFailed extends RuntimeException {
        CallFailed(String message) { super(message, null, false, false); }
    }

    /** Throws CallFailed naming the call and the error unless err is CL_SUCCESS. */
    private static void check(int err, String call) {
        if (err != CL_SUCCESS) throw new CallFailed(call + ": " + ClDiscovery.errorName(err));
    }

    /** The platforms, or OpenClUnavailableException saying how to install one. */
    private static long[] platforms() {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer n = stack.mallocInt(1);
            int err = clGetPlatformIDs(null, n);
            if (err != CL_SUCCESS || n.get(0) == 0)
                throw new OpenClUnavailableException("No OpenCL platform found" + (err == CL_SUCCESS ? "" : " (error " + err + ")"), null);
            PointerBuffer ps = stack.mallocPointer(n.get(0));
            LwjglRuntime.check(clGetPlatformIDs(ps, (IntBuffer) null), "clGetPlatformIDs");
            long[] out = new long[ps.capacity()];
            for (int i = 0; i < out.length; i++) out[i] = ps.get(i);
            return out;
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) { // LWJGL loads libOpenCL when the CL class initialises
            throw new OpenClUnavailableException("The OpenCL library could not be loaded through LWJGL: " + e.getMessage(), e);
        }
    }

    private static String string(long d, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            check(clGetDeviceInfo(d, param, (ByteBuffer) null, size), "clGetDeviceInfo");
            ByteBuffer buf = stack.malloc((int) size.get(0));
            check(clGetDeviceInfo(d, param, buf, null), "clGetDeviceInfo");
            return LwjglRuntime.cString(buf);
        }
    }

    private static String platformString(long p, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            check(clGetPlatformInfo(p, param, (ByteBuffer) null, size), "clGetPlatformInfo");
            ByteBuffer buf = stack.malloc((int) size.get(0));
            check(clGetPlatformInfo(p, param, buf, null), "clGetPlatformInfo");
            return LwjglRuntime.cString(buf);
        }
    }

    private static int uint(long d, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer v = stack.mallocInt(1);
            check(clGetDeviceInfo(d, param, v, null), "clGetDeviceInfo");
            return v.get(0);
        }
    }

    private static long ulong(long d, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            LongBuffer v = stack.mallocLong(1);
            check(clGetDeviceInfo(d, param, v, null), "clGetDeviceInfo");
            return v.get(0);
        }
    }

    private static long sizeT(long d, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer v = stack.mallocPointer(1);
            check(clGetDeviceInfo(d, param, v, null), "clGetDeviceInfo");
            return v.get(0);
        }
    }
}
