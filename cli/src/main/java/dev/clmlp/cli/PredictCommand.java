package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.io.AtomicFiles;
import dev.clmlp.nn.Sequential;
import dev.clmlp.report.Charts;
import dev.clmlp.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * ./clmlp predict --model DIR: the classes a saved model gives the first MNIST test images, or
 * the examples of your own file (labeled or not), as a table or as CSV.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the first N MNIST test images, or every example of --data FILE (.csv, .npy, .npz), with a saved model.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a directory written by train") Path model;
    @Option(names = "--images", paramLabel = "N", description = "how many examples, from the first (default: 10 MNIST test images; all of your own data)") Integer images;
    @Option(names = "--out", paramLabel = "FILE", description = "write the predictions as CSV: row, predicted, probability, label (when known), then one probability per class")
    Path out;
    @Option(names = "--png", paramLabel = "FILE", description = "also draw MNIST images with their labels into this PNG") Path png;
    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu, opencl[:N] (JOCL) or lwjgl[:N] (LWJGL) (default: ${DEFAULT-VALUE})") String backend;
    @Mixin DataOptions data;

    @Override public Integer call() throws Exception {
        if (images != null && images <= 0) throw new UsageError("--images must be at least 1, got " + images);
        RunDirectory.checkHolds(model, false, "--model ");
        UsageError.check(() -> Backends.checkSpec(backend));
        data.check();
        if (png != null && data.format() != null) throw new UsageError("--png draws MNIST images; --data " + data.path + " is your own data");
        try (Backend b = Backends.open(backend); Sequential m = Sequential.load(model, b)) {
            Dataset all = data.loadFor(m.inputSize(), m.classes(), false);
            int n = images != null ? images : data.format() == null ? 10 : all.rows();
            if (n > all.rows()) throw new UsageError("--images must be at most the " + all.rows() + " examples of " + all.name() + ", got " + n);
            Dataset test = n < all.rows() ? all.head(n) : all;
            float[] p = m.predict(test);
            int k = m.classes();
            int[] predicted = m.classesOf(p);
            if (out != null) {
                AtomicFiles.write(out, csv(test, p, predicted, k).getBytes(StandardCharsets.UTF_8));
                System.out.println("wrote " + n + " predictions to " + out);
            } else {
                table(test, p, predicted, k);
            }
            if (test.labeled()) {
                int right = 0;
                for (int i = 0; i < n; i++) if (predicted[i] == test.label(i)) right++;
                System.out.printf(Locale.ROOT, "%d of %d correct (accuracy %.4f)%n", right, n, right / (double) n);
            }
            if (png != null) Charts.predictions(test, predicted, n, png);
        }
        return 0;
    }

    private static void table(Dataset d, float[] p, int[] predicted, int k) {
        System.out.println("example  predicted" + (d.labeled() ? "  true" : "") + "  probability");
        for (int i = 0; i < d.rows(); i++) {
            boolean wrong = d.labeled() && predicted[i] != d.label(i);
            System.out.printf(Locale.ROOT, "%7d  %9d%s  %11.4f%s%n", i, predicted[i], d.labeled() ? String.format("  %4d", d.label(i)) : "",
                    p[i * k + predicted[i]], wrong ? "  <- wrong" : "");
        }
    }

    static String csv(Dataset d, float[] p, int[] predicted, int k) {
        StringBuilder sb = new StringBuilder("row,predicted,probability").append(d.labeled() ? ",label" : "");
        for (int j = 0; j < k; j++) sb.append(",p").append(j);
        sb.append('\n');
        for (int i = 0; i < d.rows(); i++) {
            sb.append(i).append(',').append(predicted[i]).append(',').append(p[i * k + predicted[i]]);
            if (d.labeled()) sb.append(',').append(d.label(i));
            for (int j = 0; j < k; j++) sb.append(',').append(p[i * k + j]);
            sb.append('\n');
        }
        return sb.toString();
    }
}
