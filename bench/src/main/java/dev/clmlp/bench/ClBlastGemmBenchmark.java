package dev.clmlp.bench;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.blast.CLBlast;
import org.jocl.blast.CLBlastLayout;
import org.jocl.blast.CLBlastTranspose;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

import static org.jocl.CL.*;

/** CLBlast's SGEMM on the first OpenCL device, same shapes as GemmBenchmark: the reference to beat. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClBlastGemmBenchmark {
    @Param({"64x784x128:nn", "784x64x128:tn", "64x128x64:nn", "128x64x64:tn", "64x64x128:nt", "64x64x10:nn", "64x64x10:tn",
            "64x10x64:nt", "1024x1024x1024:nn"})
    public String shape;

    Shapes s;
    cl_context context;
    cl_command_queue queue;
    cl_mem a, b, c;

    @Setup(Level.Trial)
    public void setup() {
        s = new Shapes(shape);
        CL.setExceptionsEnabled(true);
        CLBlast.setExceptionsEnabled(true);
        cl_platform_id[] platforms = new cl_platform_id[1];
        clGetPlatformIDs(1, platforms, null);
        cl_device_id[] devices = new cl_device_id[1];
        clGetDeviceIDs(platforms[0], CL_DEVICE_TYPE_ALL, 1, devices, null);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platforms[0]);
        context = clCreateContext(props, 1, devices, null, null, null);
        queue = clCreateCommandQueue(context, devices[0], 0, null);
        a = buffer(Shapes.random(s.m * s.k, 1));
        b = buffer(Shapes.random(s.k * s.n, 2));
        c = buffer(new float[s.m * s.n]);
        gemm(); // CLBlast compiles its kernels on first use
    }

    private cl_mem buffer(float[] data) {
        return clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_float * data.length, Pointer.to(data), null);
    }

    @Benchmark
    public void gemm() {
        sgemm();
        clFinish(queue);
    }

    @Benchmark
    @OperationsPerInvocation(GemmBenchmark.PIPELINED)
    public void gemmPipelined() {
        for (int i = 0; i < GemmBenchmark.PIPELINED; i++) sgemm();
        clFinish(queue);
    }

    private void sgemm() {
        // row-major; the leading dimension is the stored row length of each operand
        long lda = s.transA ? s.m : s.k, ldb = s.transB ? s.k : s.n;
        CLBlast.CLBlastSgemm(CLBlastLayout.CLBlastLayoutRowMajor,
                s.transA ? CLBlastTranspose.CLBlastTransposeYes : CLBlastTranspose.CLBlastTransposeNo,
                s.transB ? CLBlastTranspose.CLBlastTransposeYes : CLBlastTranspose.CLBlastTransposeNo,
                s.m, s.n, s.k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, s.n, queue, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        clReleaseMemObject(a);
        clReleaseMemObject(b);
        clReleaseMemObject(c);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
