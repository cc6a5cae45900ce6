package dev.clmlp.opencl;

import dev.clmlp.io.AtomicFiles;
import dev.clmlp.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Searches GEMM parameters on one device for the products of a training step, and caches the
 * fastest per workload (batch and layer widths) in cache dir/gemm/DEVICE-KEY.txt, where
 * {@link GemmChoices#candidates} finds it. The sum of the step's GEMM times is what is minimised.
 * <p>
 * The search goes one constant at a time (vector width, then register block, then panel depth on
 * CPU devices), since on PoCL almost all of the time is the driver compiling each candidate
 * (about 4 s): seven candidates instead of a grid of 24. Within a stage the candidates are timed
 * in turns, round after round, and each keeps its median, so that the machine's drift falls on
 * all of them alike.
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
     * @return the workload's name in the cache, e.g. "b32:784-128-24-10"
     */
    public static String workload(int batch, int[] widths) {
        return "b" + batch + ":" + Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

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

    /**
     * The stages of the search on a device: each candidate of a stage is derived from the winner
     * so far (null before the first). CPU devices: vector width (the device's own and half),
     * then rows x vectors of C in registers, then panel depth; others: the tilings at once.
     */
    static List<Function<GemmParams, List<GemmParams>>> stages(ClDevice d) {
        if (d.kind() == ClDevice.Kind.GPU)
            return List.of(w -> Arrays.stream(new int[][] {{64, 64, 16, 4, 4}, {64, 64, 8, 4, 4}, {128, 64, 16, 8, 4}, {64, 128, 16, 4, 8},
                    {32, 32, 16, 4, 4}, {32, 32, 8, 2, 2}, {64, 64, 16, 8, 8}, {16, 16, 8, 2, 2}})
                    .map(t -> (GemmParams) GemmParams.tiled(t[0], t[1], t[2], t[3], t[4])).toList());
        GemmParams.Vector start = (GemmParams.Vector) GemmChoices.defaults(d).get(0);
        return List.of(
                w -> List.<GemmParams>of(start, GemmParams.vector(Math.max(4, start.vw() / 2), start.mr(), start.nr(), start.kc())),
                w -> Arrays.stream(new int[][] {{4, 2}, {6, 2}, {8, 2}, {4, 3}}).map(b -> (GemmParams) GemmParams.vector(vector(w).vw(), b[0], b[1], vector(w).kc())).toList(),
                w -> Arrays.stream(new int[] {64, 128, 256}).mapToObj(kc -> (GemmParams) GemmParams.vector(vector(w).vw(), vector(w).mr(), vector(w).nr(), kc)).toList());
    }

    /** The winner of a CPU device's earlier stage: a vector kernel, since its stages list only those. */
    private static GemmParams.Vector vector(GemmParams w) { return (GemmParams.Vector) w; }

    /**
     * Times the candidates stage by stage and caches the fastest for the device and workload.
     *
     * @param d        the device
     * @param workload the cache's name for the step ({@link #workload})
     * @param shapes   the products to time
     * @param log      receives a line per candidate and stage
     * @return the winner (cached), then every other candidate timed, fastest first (for one timed
     *         in several stages, its last time); NaN for those that did not fit
     */
    public static List<Result> tune(ClDevice d, String workload, List<Shape> shapes, Consumer<String> log) {
        Map<GemmParams, Double> all = new LinkedHashMap<>();
        GemmParams best = null;
        for (var stage : stages(d)) {
            List<GemmParams> candidates = stage.apply(best).stream().distinct().toList();
            Map<GemmParams, Double> timed = timeInTurns(d, candidates, shapes, log);
            all.putAll(timed);
            for (Map.Entry<GemmParams, Double> e : timed.entrySet())
                if (!e.getValue().isNaN() && (best == null || e.getValue() < timed.getOrDefault(best, Double.MAX_VALUE))) best = e.getKey();
            if (best == null) break; // nothing fits this device
            log.accept(String.format(Locale.ROOT, "  stage winner: %s", best));
        }
        List<Result> results = new ArrayList<>();
        all.forEach((p, us) -> results.add(new Result(p, us)));
        results.sort((x, y) -> Double.compare(Double.isNaN(x.micros()) ? Double.MAX_VALUE : x.micros(), Double.isNaN(y.micros()) ? Double.MAX_VALUE : y.micros()));
        if (best != null) {
            GemmParams winner = best;
            results.removeIf(r -> r.params().equals(winner));
            results.add(0, new Result(winner, all.get(winner)));
            save(d, workload, winner, all.get(winner));
        }
        return results;
    }

    /** Opens a backend per candidate, then times them in turns: the median of 7 rounds each (NaN: did not build). */
    private static Map<GemmParams, Double> timeInTurns(ClDevice d, List<GemmParams> candidates, List<Shape> shapes, Consumer<String> log) {
        Map<GemmParams, Double> out = new LinkedHashMap<>();
        List<OpenClBackend> open = new ArrayList<>();
        List<List<Tensor[]>> operands = new ArrayList<>();
        try {
            for (GemmParams p : candidates) {
                try {
                    OpenClBackend b = new OpenClBackend(d, false, p);
                    if (!b.gemmParams().equals(p)) { b.close(); out.put(p, Double.NaN); continue; }
                    open.add(b);
                    operands.add(operands(b, shapes));
                    step(b, shapes, operands.get(operands.size() - 1)); // the driver compiles the kernel at its first launch
                    b.finish();
                } catch (RuntimeException e) {
                    log.accept("  " + p + ": " + e.getMessage().lines().findFirst().orElse(""));
                    out.put(p, Double.NaN);
                }
            }
            double[][] rounds = new double[open.size()][7];
            for (int round = 0; round < 7; round++)
                for (int i = 0; i < open.size(); i++) rounds[i][round] = stepMicros(open.get(i), shapes, operands.get(i));
            for (int i = 0; i < open.size(); i++) {
                Arrays.sort(rounds[i]);
                out.put(open.get(i).gemmParams(), rounds[i][rounds[i].length / 2]);
            }
        } finally {
            for (List<Tensor[]> ops : operands) for (Tensor[] o : ops) for (Tensor t : o) t.close();
            for (OpenClBackend b : open) b.close();
        }
        for (Map.Entry<GemmParams, Double> e : out.entrySet())
            log.accept(String.format(Locale.ROOT, "  %-40s %s", e.getKey(), e.getValue().isNaN() ? "does not fit" : String.format(Locale.ROOT, "%.1f us", e.getValue())));
        return out;
    }

    /** The summed time of all shapes per step, each run back to back without waiting, over 20 steps. */
    static double stepMicros(OpenClBackend b, List<Shape> shapes) {
        List<Tensor[]> ops = operands(b, shapes);
        try {
            step(b, shapes, ops);
            b.finish();
            return stepMicros(b, shapes, ops);
        } finally {
            for (Tensor[] o : ops) for (Tensor t : o) t.close();
        }
    }

    private static double stepMicros(OpenClBackend b, List<Shape> shapes, List<Tensor[]> ops) {
        int reps = 20;
        long t0 = System.nanoTime();
        for (int rep = 0; rep < reps; rep++) step(b, shapes, ops);
        b.finish();
        return (System.nanoTime() - t0) / 1e3 / reps;
    }

    private static void step(OpenClBackend b, List<Shape> shapes, List<Tensor[]> ops) {
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            Tensor[] o = ops.get(i);
            b.gemm(s.transA(), s.transB(), 1f, o[0], o[1], 0f, o[2]);
        }
    }

    private static List<Tensor[]> operands(OpenClBackend b, List<Shape> shapes) {
        Random r = new Random(1);
        List<Tensor[]> out = new ArrayList<>();
        for (Shape s : shapes)
            out.add(new Tensor[] {upload(b, r, s.transA() ? s.k() : s.m(), s.transA() ? s.m() : s.k()),
                    upload(b, r, s.transB() ? s.n() : s.k(), s.transB() ? s.k() : s.n()), b.zeros(s.m(), s.n())});
        return out;
    }

    private static Tensor upload(OpenClBackend b, Random r, int rows, int cols) {
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        return b.upload(x, rows, cols);
    }

    /** The device's tuning file: a line "WORKLOAD SPEC MICROS" per workload tuned, the latest last. */
    static Path cacheFile(ClDevice d) {
        return AtomicFiles.cacheDir().resolve("gemm").resolve(ClProgram.cacheKey(d, "gemm-tuning", "").substring(0, 24) + ".txt");
    }

    private static void save(ClDevice d, String workload, GemmParams best, double micros) {
        StringBuilder text = new StringBuilder("# ./clmlp tune results for " + d.name() + " (" + d.driver() + "): workload, GEMM parameters, us of GEMM per step\n");
        for (String line : lines(d)) if (!line.split("\\s+")[0].equals(workload)) text.append(line).append('\n');
        text.append(workload).append(' ').append(best.spec()).append(' ').append(String.format(Locale.ROOT, "%.1f", micros)).append('\n');
        AtomicFiles.write(cacheFile(d), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> lines(ClDevice d) {
        Path f = cacheFile(d);
        try {
            return Files.isRegularFile(f) ? Files.readAllLines(f).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList() : List.of();
        } catch (IOException e) {
            return List.of(); // an unreadable cache is ignored; ./clmlp tune rewrites it
        }
    }

    /**
     * The cached winner for the device: the one tuned for this workload, else the latest tuned for
     * any (a tuned kernel for another model of the device beats the defaults), else null. An
     * unreadable entry counts as absent.
     */
    static GemmParams cached(ClDevice d, String workload) {
        GemmParams exact = null, latest = null;
        for (String line : lines(d)) {
            String[] f = line.trim().split("\\s+");
            GemmParams p;
            try {
                p = GemmParams.parse(f.length > 1 ? f[1] : f[0]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            latest = p;
            if (f[0].equals(workload)) exact = p;
        }
        return exact != null ? exact : latest;
    }
}
