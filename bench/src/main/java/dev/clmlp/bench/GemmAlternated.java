package dev.clmlp.bench;

import dev.clmlp.Backends;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

import java.util.Arrays;

/**
 * The Java backend's GEMM and OpenBLAS's in alternating turns, for a ratio from one window.
 * JMH runs each benchmark's forks back to back, and on a shared VM the machine's speed drifts by a
 * third within minutes, so two JMH lines can come from different machines in effect. Here each
 * round times half a second of one, then half a second of the other, with a pause before each turn
 * (OpenBLAS's idle threads spin for a while after a call and would take the cores from the next
 * turn), and prints the median time of each and the median and range of the per-round ratio.
 * <p>
 * Usage: {@code GemmAlternated [ROUNDS] [SHAPE,SHAPE...]}, shapes as in {@link GemmBenchmark}.
 * OpenBLAS takes its kernel from OPENBLAS_CORETYPE where that is set: some machines set it (and
 * OPENBLAS_L2_SIZE) for old builds that fail on new CPUs, so unset both in the command to measure
 * OpenBLAS as it runs on this CPU (on a Zen 5 VM with OPENBLAS_CORETYPE=Haswell it ran 512^3 in
 * 1,656 us against 1,008 us with its own choice).
 */
public final class GemmAlternated {
    private static final long TURN_NANOS = 500_000_000L, PAUSE_MILLIS = 300;

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        String shapes = args.length > 1 ? args[1] : "512x512x512:nn,64x1024x1024:nn,64x1024x1024:nt,1024x64x1024:tn";
        System.out.printf("%-18s %12s %12s %24s%n", "shape (MxKxN)", "java us", "openblas us", "java/openblas rate");
        try (Backend cpu = Backends.open("cpu")) {
            for (String spec : shapes.split(",")) compare(cpu, new Shapes(spec), spec, rounds);
        }
    }

    private static void compare(Backend cpu, Shapes s, String spec, int rounds) throws InterruptedException {
        float[] a = Shapes.random(s.m * s.k, 1), b = Shapes.random(s.k * s.n, 2);
        double[] java = new double[rounds], blas = new double[rounds], ratio = new double[rounds];
        try (Tensor ta = s.transA ? cpu.upload(a, s.k, s.m) : cpu.upload(a, s.m, s.k);
             Tensor tb = s.transB ? cpu.upload(b, s.n, s.k) : cpu.upload(b, s.k, s.n);
             Tensor tc = cpu.zeros(s.m, s.n);
             FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b); FloatPointer pc = new FloatPointer((long) s.m * s.n)) {
            Runnable javaGemm = () -> {
                cpu.gemm(s.transA, s.transB, 1f, ta, tb, 0f, tc);
                cpu.finish();
            };
            Runnable blasGemm = () -> openblas.cblas_sgemm(openblas.CblasRowMajor, s.transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                    s.transB ? openblas.CblasTrans : openblas.CblasNoTrans, s.m, s.n, s.k, 1f, pa, s.transA ? s.m : s.k,
                    pb, s.transB ? s.k : s.n, 0f, pc, s.n);
            for (int r = -3; r < rounds; r++) { // three rounds of warm-up: the JIT compiles the Java kernels
                double j = turn(javaGemm), o = turn(blasGemm);
                if (r < 0) continue;
                java[r] = j;
                blas[r] = o;
                ratio[r] = o / j;
            }
        }
        Arrays.sort(java);
        Arrays.sort(blas);
        Arrays.sort(ratio);
        System.out.printf("%-18s %12.1f %12.1f %10.2fx (%.2f-%.2f)%n", spec, java[rounds / 2], blas[rounds / 2], ratio[rounds / 2],
                ratio[0], ratio[rounds - 1]);
    }

    /** Microseconds per call over one turn, after a pause. */
    private static double turn(Runnable gemm) throws InterruptedException {
        Thread.sleep(PAUSE_MILLIS);
        long t0 = System.nanoTime(), t;
        int calls = 0;
        do {
            gemm.run();
            calls++;
        } while ((t = System.nanoTime() - t0) < TURN_NANOS);
        return t / 1e3 / calls;
    }
}
