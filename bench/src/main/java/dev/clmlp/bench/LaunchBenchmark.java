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
 * The floor under every operation: an SGD update of one element, 64 back to back and one wait.
 * On an OpenCL device this is the cost of a kernel launch; a training step pays it a dozen times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkArgs.ADD_MODULES, ForkArgs.VECTOR_API, ForkArgs.ALIGN})
public class LaunchBenchmark {
    static final int LAUNCHES = 64;

    @Param({"cpu", "opencl:0"})
    public String backend;

    Backend b;
    Tensor p, g;

    @Setup(Level.Trial)
    public void setup() {
        b = Backends.open(backend);
        p = b.zeros(1, 1);
        g = b.zeros(1, 1);
    }

    @Benchmark
    @OperationsPerInvocation(LAUNCHES)
    public void oneElementUpdate() {
        for (int i = 0; i < LAUNCHES; i++) b.sgd(p, g, null, 0.01f, 0f);
        b.finish();
    }

    @TearDown(Level.Trial)
    public void tearDown() { b.close(); }
}
