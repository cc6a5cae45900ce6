package dev.clmlp.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.nn.Preset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.onnx.OnnxExport;
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

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One predict call of the keras preset's model (784-128-24-10) on the first MNIST test images,
 * 1 or 256 rows: clmlp's Java backend beside ONNX Runtime's Java
 * API running the same model as clmlp exports it, with its default threads and with one. Each
 * call takes float[] rows and gives the probabilities as a float[] (ONNX Runtime's rows copied
 * into a direct buffer kept for the purpose: wrapping the array makes it allocate direct memory on
 * every call, and slows down as that waits for the collector). Run with -prof gc for the
 * allocation per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkArgs.ADD_MODULES, ForkArgs.VECTOR_API, ForkArgs.ALIGN})
public class InferenceBenchmark {
    @Param({"1", "256"})
    public int rows;

    Backend backend;
    Sequential model;
    OrtEnvironment env;
    OrtSession session, session1; // ONNX Runtime's defaults (a thread per core), and one thread
    float[] x;
    long[] shape;
    FloatBuffer direct; // ONNX Runtime's input, reused: from a heap buffer it would allocate direct memory on every call

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        backend = new CpuBackend();
        model = Preset.named("keras").model();
        model.compile(backend, Preset.named("keras").newOptimizer(), 1);
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(OnnxExport.toBytes(model), new OrtSession.SessionOptions());
        OrtSession.SessionOptions one = new OrtSession.SessionOptions();
        one.setIntraOpNumThreads(1);
        session1 = env.createSession(OnnxExport.toBytes(model), one);
        x = images(rows);
        shape = new long[] {rows, 784};
        direct = java.nio.ByteBuffer.allocateDirect(x.length * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The first n MNIST test images (MNIST_DIR, or the cache), else random ones with a fifth of the pixels lit. */
    static float[] images(int n) {
        float[] x = new float[n * 784];
        try {
            dev.clmlp.data.Dataset test = dev.clmlp.data.Mnist.load(dev.clmlp.data.Mnist.Variant.MNIST, null, s -> {}).test();
            for (int i = 0; i < n; i++) System.arraycopy(test.example(i), 0, x, i * 784, 784);
            return x;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("InferenceBenchmark: no MNIST (" + e.getMessage() + "): random images instead");
        }
        Random r = new Random(7);
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(5) == 0 ? r.nextInt(256) / 255f : 0f;
        return x;
    }

    @Benchmark
    public float[] clmlp() { return model.predict(x, rows); }

    @Benchmark
    public float[] onnxRuntime() throws OrtException { return run(session); }

    @Benchmark
    public float[] onnxRuntimeOneThread() throws OrtException { return run(session1); }

    private float[] run(OrtSession s) throws OrtException {
        direct.clear();
        direct.put(x).flip();
        try (OnnxTensor in = OnnxTensor.createTensor(env, direct, shape);
             OrtSession.Result out = s.run(Map.of(OnnxExport.INPUT, in))) {
            FloatBuffer p = ((OnnxTensor) out.get(0)).getFloatBuffer();
            float[] probs = new float[p.remaining()];
            p.get(probs);
            return probs;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        session.close();
        session1.close();
        model.close();
        backend.close();
    }
}
