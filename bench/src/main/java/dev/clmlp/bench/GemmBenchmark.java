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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/** C = A * B on each backend; shape "MxKxN". GemmReport turns the times into GFLOP/s. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    @Param({"cpu", "opencl:0"})
    public String backend;

    /** m x k times k x n: the first layer of a batch-64 MNIST step, and a square. */
    @Param({"64x784x128", "1024x1024x1024"})
    public String shape;

    Backend b;
    Tensor a, w, c;

    @Setup(Level.Trial)
    public void setup() {
        int[] s = parse(shape);
        b = Backends.open(backend);
        Random r = new Random(1);
        a = b.upload(random(r, s[0] * s[1]), s[0], s[1]);
        w = b.upload(random(r, s[1] * s[2]), s[1], s[2]);
        c = b.zeros(s[0], s[2]);
    }

    static int[] parse(String shape) {
        String[] p = shape.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() - 0.5f;
        return x;
    }

    @Benchmark
    public void gemm() {
        b.gemm(false, false, 1f, a, w, 0f, c);
        b.finish();
    }

    @TearDown(Level.Trial)
    public void tearDown() { b.close(); }
}
