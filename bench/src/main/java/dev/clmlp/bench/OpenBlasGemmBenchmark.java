package dev.clmlp.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * OpenBLAS's cblas_sgemm (through JavaCPP, on off-heap arrays so no copy is timed) on the shapes
 * of GemmBenchmark, on OpenBLAS's own threads (one per core, as the Java backend has;
 * OPENBLAS_NUM_THREADS to choose): the CPU BLAS that clmlp's Java GEMM is measured against
 * (GemmReport prints both as GFLOP/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OpenBlasGemmBenchmark {
    @Param({"64x784x128:nn", "784x64x128:tn", "64x128x64:nn", "64x64x128:nt", "512x512x512:nn", "64x1024x1024:nn", "1024x64x1024:tn",
            "64x1024x1024:nt", "1024x1024x1024:nn"})
    public String shape;

    Shapes s;
    FloatPointer a, b, c;

    @Setup(Level.Trial)
    public void setup() {
        s = new Shapes(shape);
        a = new FloatPointer(Shapes.random(s.m * s.k, 1));
        b = new FloatPointer(Shapes.random(s.k * s.n, 2));
        c = new FloatPointer((long) s.m * s.n);
    }

    /** C = op(A) op(B), row-major, as clmlp's gemm(transA, transB, 1, a, b, 0, c). */
    @Benchmark
    public void gemm() {
        openblas.cblas_sgemm(openblas.CblasRowMajor, s.transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                s.transB ? openblas.CblasTrans : openblas.CblasNoTrans, s.m, s.n, s.k, 1f, a, s.transA ? s.m : s.k,
                b, s.transB ? s.k : s.n, 0f, c, s.n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
