package dev.clmlp.opencl;

import dev.clmlp.io.AtomicFiles;
import dev.clmlp.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Searches a small grid of GEMM parameters on one device for the products of a training step
 * and caches the fastest in cache dir/gemm/DEVICE-KEY.txt, which {@link GemmParams#candidates}
 * then tries first. The sum of the step's GEMM times is what is minimised.
 */
public final class GemmTuner {
    /** One product: m x k times k x n, op(A) and op(B) transposed or not. */
    public record Shape(int m, int k, int n, boolean transA, boolean transB) {
        @Override public String toString() { return m + "x" + k + "x" + n + ":" + (transA ? "t" : "n") + (transB ? "t" : "n"); }
    }

    /** A candidate and its summed time per step (NaN if it did not build within the device's limits). */
    public record Result(GemmParams params, double micros) {}

    private GemmTuner() {}

    /**
     * @param batch  the batch size
     * @param widths the layer widths, input first
     * @return the GEMM products of one training step
     */
    public static List<Shape> trainingStep(int batch, int[] widths) {
        List<Shape> out = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            int in = widths[i], units = widths[i + 1];
            out.add(new Shape(batch, in, units, false, false));                 // forward: x W
            out.add(new Shape(in, batch, units, true, false));                  // weight gradient: x^T dz
            if (i > 0) out.add(new Shape(batch, units, in, false, true));       // input gradient: dz W^T
        }
        return out;
    }

    /** The grid searched on a device: vector kernels on CPU devices, tilings on others. */
    static List<GemmParams> grid(ClDevice d) {
        List<GemmParams> g = new ArrayList<>();
        if (d.type().contains("CPU")) {
            for (int vw : new int[] {16, 8})
                for (int[] mn : new int[][] {{4, 2}, {6, 2}, {8, 2}, {4, 3}})
                    for (int kc : new int[] {64, 128, 256})
                        g.add(GemmParams.vector(vw, mn[0], mn[1], kc));
        } else {
            for (int[] t : new int[][] {{64, 64, 16, 4, 4}, {64, 64, 8, 4, 4}, {128, 64, 16, 8, 4}, {64, 128, 16, 4, 8},
                    {32, 32, 16, 4, 4}, {32, 32, 8, 2, 2}, {64, 64, 16, 8, 8}, {16, 16, 8, 2, 2}})
                g.add(GemmParams.tiled(t[0], t[1], t[2], t[3], t[4]));
        }
        return g;
    }

    /**
     * Times every candidate of the grid on the shapes and caches the fastest for the device.
     *
     * @param d      the device
     * @param shapes the products to time
     * @param log    receives a line per candidate
     * @return the results, fastest first
     */
    public static List<Result> tune(ClDevice d, List<Shape> shapes, Consumer<String> log) {
        List<Result> results = new ArrayList<>();
        for (GemmParams p : grid(d)) {
            double micros = Double.NaN;
            try (OpenClBackend b = new OpenClBackend(d, false, p)) {
                if (b.gemmParams().equals(p)) micros = stepMicros(b, shapes);
            } catch (RuntimeException e) {
                log.accept("  " + p + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
            results.add(new Result(p, micros));
            log.accept(String.format(Locale.ROOT, "  %-40s %s", p, Double.isNaN(micros) ? "does not fit" : String.format(Locale.ROOT, "%.1f us", micros)));
        }
        results.sort((x, y) -> Double.compare(Double.isNaN(x.micros()) ? Double.MAX_VALUE : x.micros(), Double.isNaN(y.micros()) ? Double.MAX_VALUE : y.micros()));
        Result best = results.get(0);
        if (!Double.isNaN(best.micros())) save(d, best);
        return results;
    }

    /** Median over 5 rounds of the summed time of all shapes, each run back to back without waiting. */
    static double stepMicros(OpenClBackend b, List<Shape> shapes) {
        Random r = new Random(1);
        List<Tensor[]> operands = new ArrayList<>();
        for (Shape s : shapes) {
            Tensor a = upload(b, r, s.transA() ? s.k() : s.m(), s.transA() ? s.m() : s.k());
            Tensor w = upload(b, r, s.transB() ? s.n() : s.k(), s.transB() ? s.k() : s.n());
            operands.add(new Tensor[] {a, w, b.zeros(s.m(), s.n())});
        }
        double[] rounds = new double[6];
        int reps = 20;
        for (int round = 0; round < rounds.length; round++) {
            long t0 = System.nanoTime();
            for (int rep = 0; rep < reps; rep++)
                for (int i = 0; i < shapes.size(); i++) {
                    Shape s = shapes.get(i);
                    Tensor[] o = operands.get(i);
                    b.gemm(s.transA(), s.transB(), 1f, o[0], o[1], 0f, o[2]);
                }
            b.finish();
            rounds[round] = (System.nanoTime() - t0) / 1e3 / reps;
        }
        for (Tensor[] o : operands) for (Tensor t : o) t.close();
        double[] measured = java.util.Arrays.copyOfRange(rounds, 1, rounds.length); // round 0 warms up
        java.util.Arrays.sort(measured);
        return measured[measured.length / 2];
    }

    private static Tensor upload(OpenClBackend b, Random r, int rows, int cols) {
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        return b.upload(x, rows, cols);
    }

    static Path cacheFile(ClDevice d) {
        return AtomicFiles.cacheDir().resolve("gemm").resolve(ClProgram.cacheKey(d, "gemm-tuning", "").substring(0, 24) + ".txt");
    }

    private static void save(ClDevice d, Result best) {
        String text = "# clmlp ./clmlp tune result for " + d.name() + " (" + d.driver() + "): " + best.micros() + " us per step\n"
                + best.params().spec() + "\n";
        AtomicFiles.write(cacheFile(d), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cached winner for the device, if tuned and readable. */
    static GemmParams cached(ClDevice d) {
        Path f = cacheFile(d);
        if (!Files.isRegularFile(f)) return null;
        try {
            for (String line : Files.readAllLines(f))
                if (!line.isBlank() && !line.startsWith("#")) return GemmParams.parse(line);
        } catch (IOException | IllegalArgumentException e) {
            return null; // an unreadable cache entry is ignored; ./clmlp tune rewrites it
        }
        return null;
    }
}
