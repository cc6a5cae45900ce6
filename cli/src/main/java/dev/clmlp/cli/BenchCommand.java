package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.data.Dataset;
import dev.clmlp.io.AtomicFiles;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Preset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.GemmTuner;
import dev.clmlp.opencl.OpenClBackend;
import dev.clmlp.opencl.OpenClUnavailableException;
import dev.clmlp.report.Charts;
import dev.clmlp.report.Report;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * ./clmlp bench: the same training (preset, layers, batch, seed, data) for a few epochs on every
 * backend, side by side: median epoch seconds (epochs 2..N), samples/s, the first layer's GEMM
 * GFLOP/s, and the speed-up over the Java CPU backend. Writes bench.csv and bench.png. With
 * --sweep, the same for each width in turn: epoch seconds and training GFLOP/s against the width,
 * in bench-sweep.csv and bench-sweep.png.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compare epoch times of the Java CPU backend and every OpenCL device on the same training run.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "scratch", description = "scratch or keras (default: ${DEFAULT-VALUE})") String preset;
    @Option(names = "--epochs", defaultValue = "3", description = "epochs per backend; the median skips the first (default: ${DEFAULT-VALUE})") int epochs;
    @Option(names = "--backends", split = ",", description = "backends to run (default: cpu and every OpenCL device)") List<String> backends;
    @Option(names = "--layers", split = ",", paramLabel = "N", description = "hidden layer sizes, e.g. 1024,1024 (default: the preset's)") List<Integer> layers;
    @Option(names = "--batch", paramLabel = "N", description = "batch size (default: the preset's)") Integer batch;
    @Option(names = "--sweep", split = ",", paramLabel = "W",
            description = "widths to run in turn, every hidden layer W units wide (as many layers as --layers or the preset has); writes bench-sweep.csv and bench-sweep.png") List<Integer> sweep;
    @Option(names = "--limit", paramLabel = "N", description = "train on the first N training examples only") Integer limit;
    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "where bench.csv and bench.png go (default: ${DEFAULT-VALUE})") Path out;
    @Mixin DataOptions data;

    /**
     * One backend's figures: the epoch time, the first layer's GEMM rate, the achieved rate over the
     * epoch and the GEMM peak of the device (a 512^3 product); on OpenCL the kernel launches per
     * step, the cost of one launch, and the epoch time the launch model predicts from them.
     */
    record Row(String backend, String device, double medianSeconds, double samplesPerSecond, double gemmGflops, double speedup,
               double achievedGflops, double peakGflops, double launchesPerStep, double launchMicros, double predictedSeconds) {
        Row withSpeedup(double s) {
            return new Row(backend, device, medianSeconds, samplesPerSecond, gemmGflops, s, achievedGflops, peakGflops, launchesPerStep,
                    launchMicros, predictedSeconds);
        }
    }

    /** Side of the square product whose rate is the device's GEMM peak in the roofline line. */
    static final int PEAK_SIDE = 512;

    @Override public Integer call() throws Exception {
        if (epochs < 1) throw new UsageError("--epochs must be at least 1, got " + epochs);
        if (limit != null && limit < 1) throw new UsageError("--limit must be at least 1, got " + limit);
        if (batch != null && batch < 1) throw new UsageError("--batch must be at least 1, got " + batch);
        for (List<Integer> widths : Arrays.asList(layers, sweep))
            if (widths != null) for (int w : widths) if (w < 1) throw new UsageError("--layers and --sweep take widths of 1 or more, got " + w);
        Preset p = UsageError.value(() -> Preset.named(preset));
        if (backends != null) for (String name : backends) UsageError.check(() -> Backends.checkSpec(name));
        data.check();
        Dataset train = data.load(seed, null).split().train();
        if (limit != null) train = train.head(limit);
        List<String> names = backends != null ? backends : allBackends();
        List<Integer> hidden = layers != null ? layers : p.layers();
        int batchSize = batch != null ? batch : p.batch();
        String run = String.format("%d epochs of %d examples, batch %d, seed %d", epochs, train.rows(), batchSize, seed);
        if (sweep != null) return sweep(p, names, hidden.size(), batchSize, train, "preset " + preset + ", " + run);
        String settings = "preset " + preset + ", layers " + widths(hidden) + ", " + run;
        System.out.println("bench: " + settings);
        List<Row> rows = measure(p, names, hidden, batchSize, train, true);
        String note = String.format("epoch s: median of epochs %s; GEMM: %dx%dx%d, the first layer's forward product",
                epochs > 1 ? "2.." + epochs : "1", batchSize, train.features(), hidden.get(0));
        print(rows, note);
        int steps = (train.rows() + batchSize - 1) / batchSize;
        String model = roofline(rows, flops(p, hidden, train) * train.rows(), train.rows(), steps);
        System.out.print(model);
        write(rows, settings, note + "\n\n" + model);
        return 0;
    }

    /**
     * Every backend on the model with these hidden widths; with detail, also the first layer's GEMM
     * rate, the device's GEMM peak and (OpenCL) the launch cost. Speed-ups are over cpu's row.
     */
    private List<Row> measure(Preset p, List<String> names, List<Integer> hidden, int batchSize, Dataset train, boolean detail) {
        long flops;
        String workload;
        try (Sequential m = model(p, hidden, train)) {
            flops = m.trainingFlopsPerExample() * train.rows();
            workload = GemmTuner.workload(batchSize, m.denseWidths());
        }
        int steps = (train.rows() + batchSize - 1) / batchSize;
        List<Row> rows = new ArrayList<>();
        double cpuSeconds = Double.NaN;
        for (String name : names) {
            try (Backend b = Backends.open(name, false, workload)) {
                System.out.printf("  %s: %s ...%n", b.name(), b.description());
                if (b instanceof OpenClBackend cl && detail) System.out.printf("    GEMM %s (%s)%n", cl.gemmParams(), cl.gemmReason());
                long launched = b instanceof OpenClBackend cl ? cl.launches() : 0;
                double[] seconds = epochSeconds(b, p, hidden, batchSize, train);
                double perStep = b instanceof OpenClBackend cl ? (cl.launches() - launched) / (double) (steps * epochs) : Double.NaN;
                double median = median(epochs > 1 ? Arrays.copyOfRange(seconds, 1, seconds.length) : seconds);
                if (b instanceof CpuBackend) cpuSeconds = median;
                double peak = detail ? gemmGflops(b, PEAK_SIDE, PEAK_SIDE, PEAK_SIDE) : Double.NaN;
                double launch = detail && b instanceof OpenClBackend ? launchMicros(b) : Double.NaN;
                double first = detail ? gemmGflops(b, batchSize, train.features(), hidden.get(0)) : Double.NaN;
                rows.add(new Row(b.name(), b.description(), median, train.rows() / median, first, Double.NaN,
                        flops / median / 1e9, peak, perStep, launch, steps * perStep * launch / 1e6 + flops / (peak * 1e9)));
            }
        }
        final double base = cpuSeconds;
        rows.replaceAll(r -> r.withSpeedup(base / r.medianSeconds()));
        return rows;
    }

    /** --sweep: every backend at each width, a line per (width, backend), then the CSV and the two plots. */
    private int sweep(Preset p, List<String> names, int depth, int batchSize, Dataset train, String settings) {
        System.out.println("bench: " + settings + ", " + depth + " hidden layers of each width in " + widths(sweep));
        StringBuilder csv = new StringBuilder("width,backend,device,median_epoch_seconds,training_gflops,speedup_vs_cpu\n");
        java.util.Map<String, List<double[]>> series = new java.util.LinkedHashMap<>(); // backend: (width, seconds, GFLOP/s)
        for (int w : sweep) {
            for (Row r : measure(p, names, java.util.Collections.nCopies(depth, w), batchSize, train, false)) {
                System.out.printf(Locale.ROOT, "width %5d  %-10s %8.3f s/epoch %8.1f GFLOP/s %7.2fx%n", w, r.backend(), r.medianSeconds(),
                        r.achievedGflops(), r.speedup());
                csv.append(String.format(Locale.ROOT, "%d,%s,\"%s\",%.6f,%.3f,%.3f%n", w, r.backend(), r.device().replace("\"", "'"),
                        r.medianSeconds(), r.achievedGflops(), r.speedup()));
                series.computeIfAbsent(r.backend(), k -> new ArrayList<>()).add(new double[] {w, r.medianSeconds(), r.achievedGflops()});
            }
        }
        AtomicFiles.write(out.resolve("bench-sweep.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        Charts.sweep(series, "preset " + preset + ", batch " + batchSize + ", " + depth + " hidden layers", out.resolve("bench-sweep.png"));
        System.out.println("(training GFLOP/s: the epoch's products counted dense, over the median epoch time)");
        System.out.println("wrote " + out.resolve("bench-sweep.csv") + " and " + out.resolve("bench-sweep.png"));
        return 0;
    }

    /** The preset's model with these hidden widths, sized for the data. */
    private static Sequential model(Preset p, List<Integer> hidden, Dataset train) {
        return p.model(hidden, train.features(), train.classes());
    }

    private static long flops(Preset p, List<Integer> hidden, Dataset train) {
        try (Sequential m = model(p, hidden, train)) {
            return m.trainingFlopsPerExample();
        }
    }

    private static String widths(List<Integer> w) { return w.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")); }

    static List<String> allBackends() {
        List<String> names = new ArrayList<>(List.of("cpu"));
        try {
            for (ClDevice d : ClDevice.list()) names.add(d.backendName());
        } catch (OpenClUnavailableException e) {
            System.out.println("OpenCL: " + e.getMessage());
        }
        return names;
    }

    private double[] epochSeconds(Backend b, Preset p, List<Integer> hidden, int batchSize, Dataset train) {
        try (Sequential model = model(p, hidden, train)) {
            model.compile(b, p.newOptimizer(), seed);
            History h = model.fit(train, null, new FitOptions(epochs, batchSize, seed), null);
            return h.epochs().stream().mapToDouble(History.Epoch::seconds).toArray();
        }
    }

    /** Median GFLOP/s of batch x in x out products (the first layer's forward GEMM) over 5 timed rounds. */
    static double gemmGflops(Backend b, int m, int k, int n) {
        Random r = new Random(1);
        float[] x = new float[m * k], w = new float[k * n];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < w.length; i++) w[i] = r.nextFloat() - 0.5f;
        try (Tensor tx = b.upload(x, m, k); Tensor tw = b.upload(w, k, n); Tensor ty = b.zeros(m, n)) {
            int reps = 200;
            double[] rounds = new double[6];
            for (int round = 0; round < rounds.length; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) b.gemm(false, false, 1f, tx, tw, 0f, ty);
                b.finish();
                rounds[round] = 2.0 * m * n * k * reps / (System.nanoTime() - t0);
            }
            return median(Arrays.copyOfRange(rounds, 1, rounds.length)); // round 0 warms up
        }
    }

    /** Microseconds per kernel launch when launches queue back to back: the median of rounds of 500 tiny kernels. */
    static double launchMicros(Backend b) {
        try (Tensor t = b.zeros(1, 1)) {
            double[] rounds = new double[6];
            for (int round = 0; round < rounds.length; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 500; i++) b.activation(dev.clmlp.tensor.Activation.RELU, t, t);
                b.finish();
                rounds[round] = (System.nanoTime() - t0) / 500e3;
            }
            return median(Arrays.copyOfRange(rounds, 1, rounds.length));
        }
    }

    /**
     * The roofline line (FLOPs per epoch as if every product were dense, though a mostly-zero input's
     * zeros are skipped; the rate each backend reaches, its share of the device's
     * GEMM peak) and, for OpenCL, the launch model: epoch = steps x launches per step x launch cost
     * + FLOPs / GEMM peak, next to the measurement, so that a GPU's first run shows whether it holds.
     */
    static String roofline(List<Row> rows, long flops, int examples, int steps) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "roofline: %.1f GFLOP per epoch (%,d FLOP per example: the training GEMMs, dense-equivalent); GEMM peak: a %d^3 product on the same device%n",
                flops / 1e9, flops / examples, PEAK_SIDE));
        for (Row r : rows)
            sb.append(String.format(Locale.ROOT, "  %-10s %.3f s/epoch = %6.1f GFLOP/s, %3.0f%% of its GEMM peak (%.1f GFLOP/s)%n", r.backend(),
                    r.medianSeconds(), r.achievedGflops(), 100 * r.achievedGflops() / r.peakGflops(), r.peakGflops()));
        if (rows.stream().anyMatch(r -> !Double.isNaN(r.launchesPerStep()))) {
            sb.append("launch model (README, Speed): epoch = steps x launches/step x launch cost + FLOPs / GEMM peak\n");
            for (Row r : rows)
                if (!Double.isNaN(r.launchesPerStep()))
                    sb.append(String.format(Locale.ROOT, "  %-10s %d x %.1f x %.1f us + %.1f GFLOP / %.1f GFLOP/s = %.3f + %.3f = %.3f s predicted, %.3f s measured%n",
                            r.backend(), steps, r.launchesPerStep(), r.launchMicros(), flops / 1e9, r.peakGflops(),
                            steps * r.launchesPerStep() * r.launchMicros() / 1e6, flops / (r.peakGflops() * 1e9), r.predictedSeconds(), r.medianSeconds()));
        }
        return sb.toString();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private void print(List<Row> rows, String note) {
        System.out.printf("%n%-10s %-44s %12s %12s %12s %9s%n", "backend", "device", "epoch s", "samples/s",
                "GEMM GF/s", "speed-up");
        for (Row r : rows)
            System.out.printf(Locale.ROOT, "%-10s %-44s %12.3f %12.0f %12.1f %8.2fx%n", r.backend(), shorten(r.device(), 44),
                    r.medianSeconds(), r.samplesPerSecond(), r.gemmGflops(), r.speedup());
        System.out.println("(" + note + ")");
    }

    private static String shorten(String s, int n) { return s.length() <= n ? s : s.substring(0, n - 3) + "..."; }

    private void write(List<Row> rows, String settings, String note) {
        StringBuilder csv = new StringBuilder("backend,device,median_epoch_seconds,samples_per_second,gemm_gflops,speedup_vs_cpu,"
                + "achieved_gflops,gemm_peak_gflops,launches_per_step,launch_us,predicted_epoch_seconds\n");
        for (Row r : rows)
            csv.append(String.format(Locale.ROOT, "%s,\"%s\",%.6f,%.1f,%.2f,%.3f,%.2f,%.2f,%.2f,%.2f,%.6f%n", r.backend(), r.device().replace("\"", "'"),
                    r.medianSeconds(), r.samplesPerSecond(), r.gemmGflops(), r.speedup(), r.achievedGflops(), r.peakGflops(),
                    r.launchesPerStep(), r.launchMicros(), r.predictedSeconds()));
        AtomicFiles.write(out.resolve("bench.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        var chart = Charts.bench(rows.stream().map(Row::backend).toList(), rows.stream().map(Row::medianSeconds).toList(),
                "median epoch seconds, preset " + preset, out.resolve("bench.png"));
        List<List<String>> table = rows.stream().map(r -> List.of(r.backend(), r.device(), String.format(Locale.ROOT, "%.3f", r.medianSeconds()),
                String.format(Locale.ROOT, "%.0f", r.samplesPerSecond()), String.format(Locale.ROOT, "%.1f", r.gemmGflops()),
                String.format(Locale.ROOT, "%.2fx", r.speedup()))).toList();
        String html = Report.bench(settings, Report.machine(),
                List.of("backend", "device", "epoch s", "samples/s", "GEMM GFLOP/s", "speed-up vs cpu"), table, note, chart);
        AtomicFiles.write(out.resolve("bench.html"), html.getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + out.resolve("bench.csv") + ", " + out.resolve("bench.png") + " and " + out.resolve("bench.html"));
    }
}
