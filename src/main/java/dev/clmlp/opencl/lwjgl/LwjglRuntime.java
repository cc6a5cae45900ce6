package dev.clmlp.opencl.lwjgl;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.ClRuntime;
import dev.clmlp.opencl.KernelBuildException;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;

import static org.lwjgl.opencl.CL10.*;
import static org.lwjgl.opencl.CL12.clEnqueueFillBuffer;

/**
 * {@link ClRuntime} on LWJGL 3's OpenCL bindings. LWJGL returns error codes, so every call is
 * checked here; handles are raw pointers, and a buffer is wrapped in an object of its own so
 * that kernel-argument caches compare buffers by identity.
 */
final class LwjglRuntime implements ClRuntime {
    /** A cl_mem, as an object with an identity. */
    private static final class Buffer {
        final long mem;

        Buffer(long mem) { this.mem = mem; }
    }

    private final ClDevice device;
    private final long id, context, queue;
    private final boolean profiling;

    LwjglRuntime(ClDevice device, boolean profiling) {
        this.device = device;
        this.profiling = profiling;
        LwjglBinding.Handle h = (LwjglBinding.Handle) device.handle();
        id = h.id();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            PointerBuffer props = stack.mallocPointer(3).put(CL_CONTEXT_PLATFORM).put(h.platform()).put(0).flip();
            context = clCreateContext(props, id, null, 0, err);
            check(err.get(0), "clCreateContext");
            queue = createQueue(context, id, profiling, err);
            if (err.get(0) != CL_SUCCESS) {
                clReleaseContext(context);
                check(err.get(0), "clCreateCommandQueue");
            }
        }
    }

    /** clCreateCommandQueue is deprecated since OpenCL 2.0 but is the call that 1.2 devices (Apple) have. */
    @SuppressWarnings("deprecation")
    private static long createQueue(long context, long id, boolean profiling, IntBuffer err) {
        return clCreateCommandQueue(context, id, profiling ? CL_QUEUE_PROFILING_ENABLE : 0, err);
    }

    static void check(int err, String call) {
        if (err != CL_SUCCESS) throw new IllegalStateException(call + " failed with OpenCL error " + err);
    }

    static String cString(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return ClDevice.cString(b);
    }

    @Override public ClDevice device() { return device; }

    @Override public Object createBuffer(long bytes) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, err);
            check(err.get(0), "clCreateBuffer");
            check(clEnqueueFillBuffer(queue, mem, stack.calloc(4), 0, bytes, null, null), "clEnqueueFillBuffer");
            return new Buffer(mem);
        }
    }

    @Override public void releaseBuffer(Object buffer) { check(clReleaseMemObject(((Buffer) buffer).mem), "clReleaseMemObject"); }

    @Override public void write(Object buffer, long byteOffset, Object host) {
        long mem = ((Buffer) buffer).mem;
        int err;
        if (host instanceof float[] f) err = clEnqueueWriteBuffer(queue, mem, true, byteOffset, f, null, null);
        else if (host instanceof int[] i) err = clEnqueueWriteBuffer(queue, mem, true, byteOffset, i, null, null);
        else {
            byte[] b = (byte[]) host;
            ByteBuffer direct = MemoryUtil.memAlloc(Math.max(1, b.length));
            try {
                direct.put(b).flip();
                err = clEnqueueWriteBuffer(queue, mem, true, byteOffset, direct, null, null);
            } finally {
                MemoryUtil.memFree(direct);
            }
        }
        check(err, "clEnqueueWriteBuffer");
    }

    @Override public void read(Object buffer, long byteOffset, Object host) {
        long mem = ((Buffer) buffer).mem;
        int err;
        if (host instanceof float[] f) err = clEnqueueReadBuffer(queue, mem, true, byteOffset, f, null, null);
        else if (host instanceof int[] i) err = clEnqueueReadBuffer(queue, mem, true, byteOffset, i, null, null);
        else {
            byte[] b = (byte[]) host;
            ByteBuffer direct = MemoryUtil.memAlloc(Math.max(1, b.length));
            try {
                direct.limit(b.length);
                err = clEnqueueReadBuffer(queue, mem, true, byteOffset, direct, null, null);
                direct.get(b);
            } finally {
                MemoryUtil.memFree(direct);
            }
        }
        check(err, "clEnqueueReadBuffer");
    }

    @Override public void copy(Object src, long srcOffset, Object dst, long dstOffset, long bytes) {
        check(clEnqueueCopyBuffer(queue, ((Buffer) src).mem, ((Buffer) dst).mem, srcOffset, dstOffset, bytes, null, null),
                "clEnqueueCopyBuffer");
    }

    @Override public Object compile(String source, String options) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long p = clCreateProgramWithSource(context, source, err);
            check(err.get(0), "clCreateProgramWithSource");
            int built = clBuildProgram(p, id, options, null, 0);
            if (built != CL_SUCCESS) {
                String log = buildLog(p);
                clReleaseProgram(p);
                throw new KernelBuildException(device.name(), options, log,
                        new IllegalStateException("clBuildProgram failed with OpenCL error " + built));
            }
            return p;
        }
    }

    @Override public Object loadBinary(byte[] binary, String options) {
        ByteBuffer direct = MemoryUtil.memAlloc(binary.length);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            direct.put(binary).flip();
            IntBuffer err = stack.mallocInt(1), status = stack.mallocInt(1);
            long p = clCreateProgramWithBinary(context, stack.pointers(id), direct, status, err);
            if (err.get(0) != CL_SUCCESS) return null;
            if (clBuildProgram(p, id, options, null, 0) != CL_SUCCESS) {
                clReleaseProgram(p);
                return null;
            }
            return p;
        } finally {
            MemoryUtil.memFree(direct);
        }
    }

    private String buildLog(long p) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            check(clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, (ByteBuffer) null, size), "clGetProgramBuildInfo");
            ByteBuffer buf = MemoryUtil.memAlloc((int) Math.max(1, size.get(0)));
            try {
                check(clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, buf, null), "clGetProgramBuildInfo");
                return cString(buf);
            } finally {
                MemoryUtil.memFree(buf);
            }
        }
    }

    @Override public byte[] binary(Object program) {
        long p = (Long) program;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            check(clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, size, null), "clGetProgramInfo");
            ByteBuffer buf = MemoryUtil.memAlloc((int) size.get(0));
            try {
                check(clGetProgramInfo(p, CL_PROGRAM_BINARIES, stack.pointers(buf), null), "clGetProgramInfo");
                byte[] out = new byte[(int) size.get(0)];
                buf.get(out);
                return out;
            } finally {
                MemoryUtil.memFree(buf);
            }
        }
    }

    @Override public void releaseProgram(Object program) { check(clReleaseProgram((Long) program), "clReleaseProgram"); }

    @Override public Object createKernel(Object program, String name) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long k = clCreateKernel((Long) program, name, err);
            check(err.get(0), "clCreateKernel(" + name + ")");
            return k;
        }
    }

    @Override public long kernelWorkGroupSize(Object kernel) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer v = stack.mallocPointer(1);
            check(clGetKernelWorkGroupInfo((Long) kernel, id, CL_KERNEL_WORK_GROUP_SIZE, v, null), "clGetKernelWorkGroupInfo");
            return v.get(0);
        }
    }

    @Override public void setBuffer(Object kernel, int index, Object buffer) {
        check(clSetKernelArg1p((Long) kernel, index, ((Buffer) buffer).mem), "clSetKernelArg");
    }

    @Override public void setInt(Object kernel, int index, int value) { check(clSetKernelArg1i((Long) kernel, index, value), "clSetKernelArg"); }

    @Override public void setFloat(Object kernel, int index, float value) { check(clSetKernelArg1f((Long) kernel, index, value), "clSetKernelArg"); }

    @Override public void setLocal(Object kernel, int index, long bytes) { check(clSetKernelArg((Long) kernel, index, bytes), "clSetKernelArg"); }

    @Override public void releaseKernel(Object kernel) { check(clReleaseKernel((Long) kernel), "clReleaseKernel"); }

    @Override public Object launch(Object kernel, long[] global, long[] local) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer g = stack.pointers(global), l = local == null ? null : stack.pointers(local);
            PointerBuffer event = profiling ? stack.mallocPointer(1) : null;
            check(clEnqueueNDRangeKernel(queue, (Long) kernel, global.length, null, g, l, null, event), "clEnqueueNDRangeKernel");
            return profiling ? event.get(0) : null;
        }
    }

    @Override public long[] eventNanos(List<Object> events) {
        long[] out = new long[events.size()];
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer all = stack.mallocPointer(events.size());
            for (Object e : events) all.put((Long) e);
            check(clWaitForEvents(all.flip()), "clWaitForEvents");
            LongBuffer start = stack.mallocLong(1), end = stack.mallocLong(1);
            for (int i = 0; i < out.length; i++) {
                long e = (Long) events.get(i);
                check(clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, start, null), "clGetEventProfilingInfo");
                check(clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, end, null), "clGetEventProfilingInfo");
                out[i] = end.get(0) - start.get(0);
                clReleaseEvent(e);
            }
        }
        return out;
    }

    @Override public void finish() { check(clFinish(queue), "clFinish"); }

    @Override public void close() {
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
