package dev.clmlp.opencl;

import java.util.List;

/**
 * The OpenCL calls clmlp makes, on one device with one context and one in-order queue: what an
 * OpenCL binding (JOCL, LWJGL) implements, and all that {@link OpenClBackend} uses. Handles are
 * the binding's own objects, opaque here: a buffer handle is compared by identity (so a new
 * buffer is never mistaken for a released one whose driver handle it reuses). Calls that fail
 * throw an unchecked exception naming the call and the OpenCL error. Not thread-safe: one
 * backend, one thread at a time.
 */
public interface ClRuntime extends AutoCloseable {
    ClDevice device();

    /** A new buffer of bytes, zero-filled (enqueued: in order before anything that uses it). */
    Object createBuffer(long bytes);

    void releaseBuffer(Object buffer);

    /** Copies the whole host array (float[], int[] or byte[]) into the buffer at byteOffset; returns when done. */
    void write(Object buffer, long byteOffset, Object host);

    /** Fills the whole host array (float[], int[] or byte[]) from the buffer at byteOffset; returns when done. */
    void read(Object buffer, long byteOffset, Object host);

    /** Enqueues a device-side copy of bytes. */
    void copy(Object src, long srcOffset, Object dst, long dstOffset, long bytes);

    /** Compiles source for the device; a failure throws {@link KernelBuildException} with the build log. */
    Object compile(String source, String options);

    /** The program from a binary that {@link #binary} returned for this device, or null if the driver refuses it. */
    Object loadBinary(byte[] binary, String options);

    /** The device binary of a built program, for the disk cache. */
    byte[] binary(Object program);

    void releaseProgram(Object program);

    Object createKernel(Object program, String name);

    /** CL_KERNEL_WORK_GROUP_SIZE: the largest work-group this kernel can run with on the device. */
    long kernelWorkGroupSize(Object kernel);

    void setBuffer(Object kernel, int index, Object buffer);

    void setInt(Object kernel, int index, int value);

    void setFloat(Object kernel, int index, float value);

    /** A __local argument of bytes. */
    void setLocal(Object kernel, int index, long bytes);

    void releaseKernel(Object kernel);

    /** Enqueues the kernel over global (local may be null); with profiling on, returns its event, else null. */
    Object launch(Object kernel, long[] global, long[] local);

    /** Waits for events from {@link #launch}, returns each one's device time (end - start, ns), releases them. */
    long[] eventNanos(List<Object> events);

    /** Waits until the queue is empty. */
    void finish();

    /** Releases the queue and the context (buffers, programs and kernels first, by their owners). */
    @Override void close();
}
