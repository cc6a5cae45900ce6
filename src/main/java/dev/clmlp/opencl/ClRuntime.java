package dev.clmlp.opencl;

import java.util.List;

/**
 * The OpenCL calls clmlp makes, on one device with one context and one in-order queue: what an
 * OpenCL binding (JOCL, LWJGL) implements, and all that {@link OpenClBackend} uses. Handles are
 * the binding's own objects, opaque here: a buffer handle is compared by identity (so a new
 * buffer is never mistaken for a released one whose driver handle it reuses). Calls that fail
 * throw an unchecked exception naming the call and the OpenCL error. Not thread-safe: one
 * backend, one thread at a time. The owner of each handle releases it; {@link #close} releases
 * the queue and context last.
 */
public interface ClRuntime extends AutoCloseable {
    /** @return the device this runtime's context and queue are on */
    ClDevice device();

    /**
     * A new read-write buffer, zero-filled (the fill is enqueued, so it precedes every later use).
     *
     * @param bytes its size, a multiple of 4
     * @return the buffer's handle
     */
    Object createBuffer(long bytes);

    /** @param buffer a handle from {@link #createBuffer}, released here */
    void releaseBuffer(Object buffer);

    /**
     * Copies the whole host array into the buffer; returns when the copy is done.
     *
     * @param buffer     the destination
     * @param byteOffset where in the buffer the copy starts
     * @param host       a float[], int[] or byte[]
     */
    void write(Object buffer, long byteOffset, Object host);

    /**
     * Fills the whole host array from the buffer; returns when the copy is done.
     *
     * @param buffer     the source
     * @param byteOffset where in the buffer the copy starts
     * @param host       a float[], int[] or byte[]
     */
    void read(Object buffer, long byteOffset, Object host);

    /**
     * Enqueues a device-side copy.
     *
     * @param src       the source buffer
     * @param srcOffset the first byte copied
     * @param dst       the destination buffer
     * @param dstOffset the first byte written
     * @param bytes     how many bytes
     */
    void copy(Object src, long srcOffset, Object dst, long dstOffset, long bytes);

    /**
     * Compiles a program for the device.
     *
     * @param source  OpenCL C source
     * @param options build options (-D definitions, -cl-std)
     * @return the program's handle
     * @throws KernelBuildException with the compiler's build log when it does not compile
     */
    Object compile(String source, String options);

    /**
     * A program from a binary that {@link #binary} returned on this device.
     *
     * @param binary  the device binary
     * @param options the build options it was compiled with
     * @return the program's handle, or null when the driver refuses the binary (stale or corrupt)
     */
    Object loadBinary(byte[] binary, String options);

    /**
     * @param program a built program
     * @return its device binary, for the on-disk cache
     */
    byte[] binary(Object program);

    /** @param program a program's handle, released here */
    void releaseProgram(Object program);

    /**
     * @param program a built program
     * @param name    a __kernel function of it
     * @return a new kernel object with no arguments set
     */
    Object createKernel(Object program, String name);

    /**
     * @param kernel a kernel
     * @return CL_KERNEL_WORK_GROUP_SIZE: the largest work-group it can run with on the device
     */
    long kernelWorkGroupSize(Object kernel);

    /**
     * @param kernel a kernel
     * @param index  the argument's position
     * @param buffer a buffer handle
     */
    void setBuffer(Object kernel, int index, Object buffer);

    /**
     * @param kernel a kernel
     * @param index  the argument's position
     * @param value  an int argument
     */
    void setInt(Object kernel, int index, int value);

    /**
     * @param kernel a kernel
     * @param index  the argument's position
     * @param value  a float argument
     */
    void setFloat(Object kernel, int index, float value);

    /**
     * @param kernel a kernel
     * @param index  the position of a __local argument
     * @param bytes  its size
     */
    void setLocal(Object kernel, int index, long bytes);

    /** @param kernel a kernel's handle, released here */
    void releaseKernel(Object kernel);

    /**
     * Enqueues the kernel with the arguments set on it.
     *
     * @param kernel a kernel
     * @param global the global work size per dimension
     * @param local  the work-group size per dimension, or null for the driver's choice
     * @return with profiling on, the launch's event (for {@link #eventNanos}); else null
     */
    Object launch(Object kernel, long[] global, long[] local);

    /**
     * Waits for launch events and releases them.
     *
     * @param events events from {@link #launch}
     * @return each one's device time, end minus start, in nanoseconds
     */
    long[] eventNanos(List<Object> events);

    /** Waits until the queue is empty. */
    void finish();

    /** Releases the queue and the context (buffers, programs and kernels first, by their owners). */
    @Override void close();
}
