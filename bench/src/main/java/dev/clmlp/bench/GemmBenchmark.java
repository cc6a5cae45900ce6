package dev.clmlp.bench;

import dev.clmlp.Backends;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * clmlp's GEMM on each backend, for every product of a batch-64 training step of the scratch
 * preset (forward nn, weight gradient tn, input gradient nt) and a 1024 cube, waited for one by
 * one (gemm) and back to back (gemmPipelined). GemmReport turns the times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkArgs.ADD_MODULES, ForkArgs.VECTOR_API, ForkArgs.ALIGN})
public class GemmBenchmark {
    @Param({"cpu", "opencl:0"})
    public String backend;

    @Param({"64x784x128:nn", "784x64x128:tn", "64x128x64:nn", "128x64x64:tn", "64x64x128:nt", "64x64x10:nn", "64x64x10:tn",
            "64x10x64:nt", "1024x1024x1024:nn"})
    public String shape;

    Backend b;
    Tensor a, w, c;
    Shapes s;

    @Setup(Level.Trial)
    public void setup() {
        s = new Shapes(shape);
        b = Backends.open(backend);
        a = s.transA ? b.upload(Shapes.random(s.m * s.k, 1), s.k, s.m) : b.upload(Shapes.random(s.m * s.k, 1), s.m, s.k);
        w = s.transB ? b.upload(Shapes.random(s.k * s.n, 2), s.n, s.k) : b.upload(Shapes.random(s.k * s.n, 2), s.k, s.n);
        c = b.zeros(s.m, s.n);
    }

    /** One product and a wait for it: the latency of a lone GEMM. */
    @Benchmark
    public void gemm() {
        b.gemm(s.transA, s.transB, 1f, a, w, 0f, c);
        b.finish();
    }

    /** PIPELINED products and one wait, as in a training step: the throughput. */
    @Benchmark
    @OperationsPerInvocation(PIPELINED)
    public void gemmPipelined() {
        for (int i = 0; i < PIPELINED; i++) b.gemm(s.transA, s.transB, 1f, a, w, 0f, c);
        b.finish();
    }

    static final int PIPELINED = 32;

    @TearDown(Level.Trial)
    public void tearDown() { b.close(); }
}
