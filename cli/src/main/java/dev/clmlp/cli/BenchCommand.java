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
 * ./clmlp bench: the same training (preset, seed, data) for a few epochs on every backend, side
 * by side: median epoch seconds (epochs 2..N), samples/s, the first layer's GEMM GFLOP/s, and
 * the speed-up over the Java CPU backend. Writes bench.csv and bench.png.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compare epoch times of the Java CPU backend and every OpenCL device on the same training run.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "scratch", description = "scratch or keras (default: ${DEFAULT-VALUE})") String preset;
    @Option(names = "--epochs", defaultValue = "3", description = "epochs per backend; the median skips the first (default: ${DEFAULT-VALUE})") int epochs;
    @Option(names = "--backends", split = ",", description = "backends to run (default: cpu and every OpenCL device)") List<String> backends;
    @Option(names = "--limit", paramLabel = "N", description = "train on the first N training examples only") Integer limit;
    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "where bench.csv and bench.png go (default: ${DEFAULT-VALUE})") Path out;
    @Mixin DataOptions data;

    record Row(String backend, String device, double medianSeconds, double samplesPerSecond, double gemmGflops, double speedup) {}

    @Override public Integer call() throws Exception {
        if (epochs < 1) throw new UsageError("--epochs must be at least 1, got " + epochs);
        if (limit != null && limit < 1) throw new UsageError("--limit must be at least 1, got " + limit);
        Preset p = UsageError.value(() -> Preset.named(preset));
        if (backends != null) for (String name : backends) UsageError.check(() -> Backends.checkSpec(name));
        data.check();
        if (data.format() != null) throw new UsageError("bench measures the MNIST presets; --data " + data.path + " is your own data");
        Dataset train = data.load(seed).train();
        if (limit != null) train = train.head(limit);
        List<String> names = backends != null ? backends : allBackends();
        String settings = String.format("preset %s, %d epochs of %d examples, batch %d, seed %d", preset, epochs, train.rows(), p.batch(), seed);
        System.out.println("bench: " + settings);
        List<Row> rows = new ArrayList<>();
        double cpuSeconds = Double.NaN;
        for (String name : names) {
            try (Backend b = Backends.open(name)) {
                System.out.printf("  %s: %s ...%n", b.name(), b.description());
                double[] seconds = epochSeconds(b, p, train);
                double median = median(epochs > 1 ? Arrays.copyOfRange(seconds, 1, seconds.length) : seconds);
                if (b instanceof CpuBackend) cpuSeconds = median;
                int hidden = p.layers().get(0);
                rows.add(new Row(b.name(), b.description(), median, train.rows() / median, gemmGflops(b, p.batch(), 784, hidden), Double.NaN));
            }
        }
        final double base = cpuSeconds;
        rows.replaceAll(r -> new Row(r.backend(), r.device(), r.medianSeconds(), r.samplesPerSecond(), r.gemmGflops(), base / r.medianSeconds()));
        String note = String.format("epoch s: median of epochs %s; GEMM: %dx784x%d, the first layer's forward product",
                epochs > 1 ? "2.." + epochs : "1", p.batch(), p.layers().get(0));
        print(rows, note);
        write(rows, settings, note);
        return 0;
    }

    static List<String> allBackends() {
        List<String> names = new ArrayList<>(List.of("cpu"));
        try {
            for (ClDevice d : ClDevice.list()) names.add(d.backendName());
        } catch (OpenClUnavailableException e) {
            System.out.println("OpenCL: " + e.getMessage());
        }
        return names;
    }

    private double[] epochSeconds(Backend b, Preset p, Dataset train) {
        try (Sequential model = p.model()) {
            model.compile(b, p.newOptimizer(), seed);
            History h = model.fit(train, null, new FitOptions(epochs, p.batch(), seed), null);
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
        StringBuilder csv = new StringBuilder("backend,device,median_epoch_seconds,samples_per_second,gemm_gflops,speedup_vs_cpu\n");
        for (Row r : rows)
            csv.append(String.format(Locale.ROOT, "%s,\"%s\",%.4f,%.1f,%.2f,%.3f%n", r.backend(), r.device().replace("\"", "'"),
                    r.medianSeconds(), r.samplesPerSecond(), r.gemmGflops(), r.speedup()));
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
