package dev.clmlp.bench;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.Preset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.tensor.Backend;
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

/**
 * One epoch over 6,400 random 28x28 images (100 steps of batch 64, or 200 of batch 32) of the
 * two presets' models on each backend: the time per step is the score / 100 (or / 200).
 * Full-MNIST epoch times come from ./clmlp bench.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkArgs.ADD_MODULES, ForkArgs.VECTOR_API, ForkArgs.ALIGN})
public class TrainingBenchmark {
    @Param({"cpu", "opencl:0"})
    public String backend;

    @Param({"scratch", "keras"})
    public String preset;

    Backend b;
    Sequential model;
    Dataset data;
    int batch;

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(1);
        int n = 6400;
        byte[] px = new byte[n * 784];
        r.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = r.nextInt(10);
        data = Dataset.ofPixels("random", px, n, 784, labels, 10);
        b = Backends.open(backend);
        Preset p = Preset.named(preset);
        model = p.model();
        model.compile(b, p.newOptimizer(), 1);
        batch = p.batch();
    }

    @Benchmark
    public double epochOf6400() {
        return model.fit(data, null, new FitOptions(1, batch, 1), null).last().loss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        b.close();
    }
}
