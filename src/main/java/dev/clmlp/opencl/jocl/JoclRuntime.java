package dev.clmlp.opencl.jocl;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.ClRuntime;
import dev.clmlp.opencl.KernelBuildException;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.util.List;

import static org.jocl.CL.*;

/** {@link ClRuntime} on JOCL, whose calls throw CLException on any error (exceptions enabled). */
final class JoclRuntime implements ClRuntime {
    private final ClDevice device;
    private final cl_device_id id;
    private final cl_context context;
    private final cl_command_queue queue;
    private final boolean profiling;

    JoclRuntime(ClDevice device, boolean profiling) {
        setExceptionsEnabled(true);
        this.device = device;
        this.profiling = profiling;
        JoclBinding.Handle h = (JoclBinding.Handle) device.handle();
        id = h.id();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, h.platform());
        context = clCreateContext(props, 1, new cl_device_id[] {id}, null, null, null);
        try {
            queue = createQueue(context, id, profiling);
        } catch (RuntimeException e) {
            clReleaseContext(context);
            throw e;
        }
    }

    /** clCreateCommandQueue is deprecated since OpenCL 2.0 but is the call that 1.2 devices (Apple) have. */
    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, cl_device_id id, boolean profiling) {
        return clCreateCommandQueue(context, id, profiling ? CL_QUEUE_PROFILING_ENABLE : 0, null);
    }

    @Override public ClDevice device() { return device; }

    @Override public Object createBuffer(long bytes) {
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        byte[] zero = new byte[4];
        clEnqueueFillBuffer(queue, mem, Pointer.to(zero), zero.length, 0, bytes, 0, null, null);
        return mem;
    }

    @Override public void releaseBuffer(Object buffer) { clReleaseMemObject((cl_mem) buffer); }

    private static Pointer host(Object array) {
        return array instanceof float[] f ? Pointer.to(f) : array instanceof int[] i ? Pointer.to(i) : Pointer.to((byte[]) array);
    }

    private static long bytes(Object array) {
        return array instanceof float[] f ? 4L * f.length : array instanceof int[] i ? 4L * i.length : ((byte[]) array).length;
    }

    @Override public void write(Object buffer, long byteOffset, Object host) {
        clEnqueueWriteBuffer(queue, (cl_mem) buffer, CL_TRUE, byteOffset, bytes(host), host(host), 0, null, null);
    }

    @Override public void read(Object buffer, long byteOffset, Object host) {
        clEnqueueReadBuffer(queue, (cl_mem) buffer, CL_TRUE, byteOffset, bytes(host), host(host), 0, null, null);
    }

    @Override public void copy(Object src, long srcOffset, Object dst, long dstOffset, long bytes) {
        clEnqueueCopyBuffer(queue, (cl_mem) src, (cl_mem) dst, srcOffset, dstOffset, bytes, 0, null, null);
    }

    @Override public Object compile(String source, String options) {
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 0, null, options, null, null);
            return p;
        } catch (CLException e) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new KernelBuildException(device.name(), options, log, e);
        }
    }

    @Override public Object loadBinary(byte[] binary, String options) {
        try {
            cl_program p = clCreateProgramWithBinary(context, 1, new cl_device_id[] {id}, new long[] {binary.length},
                    new byte[][] {binary}, null, null);
            try {
                clBuildProgram(p, 0, null, options, null, null);
                return p;
            } catch (CLException e) {
                clReleaseProgram(p);
                return null;
            }
        } catch (CLException e) {
            return null;
        }
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return ClDevice.cString(buf);
    }

    @Override public byte[] binary(Object program) {
        long[] size = new long[1];
        clGetProgramInfo((cl_program) program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
        byte[] binary = new byte[(int) size[0]];
        clGetProgramInfo((cl_program) program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
        return binary;
    }

    @Override public void releaseProgram(Object program) { clReleaseProgram((cl_program) program); }

    @Override public Object createKernel(Object program, String name) { return clCreateKernel((cl_program) program, name, null); }

    @Override public long kernelWorkGroupSize(Object kernel) {
        long[] v = new long[1];
        clGetKernelWorkGroupInfo((cl_kernel) kernel, id, CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    @Override public void setBuffer(Object kernel, int index, Object buffer) {
        clSetKernelArg((cl_kernel) kernel, index, Sizeof.cl_mem, Pointer.to((cl_mem) buffer));
    }

    @Override public void setInt(Object kernel, int index, int value) {
        clSetKernelArg((cl_kernel) kernel, index, Sizeof.cl_int, Pointer.to(new int[] {value}));
    }

    @Override public void setFloat(Object kernel, int index, float value) {
        clSetKernelArg((cl_kernel) kernel, index, Sizeof.cl_float, Pointer.to(new float[] {value}));
    }

    @Override public void setLocal(Object kernel, int index, long bytes) { clSetKernelArg((cl_kernel) kernel, index, bytes, null); }

    @Override public void releaseKernel(Object kernel) { clReleaseKernel((cl_kernel) kernel); }

    @Override public Object launch(Object kernel, long[] global, long[] local) {
        cl_event event = profiling ? new cl_event() : null;
        clEnqueueNDRangeKernel(queue, (cl_kernel) kernel, global.length, null, global, local, 0, null, event);
        return event;
    }

    @Override public long[] eventNanos(List<Object> events) {
        cl_event[] es = events.toArray(new cl_event[0]);
        clWaitForEvents(es.length, es);
        long[] out = new long[es.length], start = new long[1], end = new long[1];
        for (int i = 0; i < es.length; i++) {
            clGetEventProfilingInfo(es[i], CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
            clGetEventProfilingInfo(es[i], CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
            out[i] = end[0] - start[0];
            clReleaseEvent(es[i]);
        }
        return out;
    }

    @Override public void finish() { clFinish(queue); }

    @Override public void close() {
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
