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

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5", description = "multi-label: the probability above which a label is predicted 1 (default: ${DEFAULT-VALUE})")
    double threshold;
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
            Dataset all = data.loadFor(m, false);
            int n = images != null ? images : data.format() == null ? 10 : all.rows();
            if (n > all.rows()) throw new UsageError("--images must be at most the " + all.rows() + " examples of " + all.name() + ", got " + n);
            Dataset test = n < all.rows() ? all.head(n) : all;
            float[] p = m.predict(test);
            if (m.usesTargets()) {
                targets(m, test, p);
                return 0;
            }
            int[] predicted = m.classesOf(p);
            if (out != null) {
                AtomicFiles.write(out, csv(test, p, predicted, m).getBytes(StandardCharsets.UTF_8));
                System.out.println("wrote " + n + " predictions to " + out);
            } else {
                table(test, p, predicted, m);
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

    /**
     * A regression's predictions (or a multi-label model's probabilities and 0/1 decisions at
     * --threshold): a table or CSV per target of predicted and, where known, true values; then the
     * errors (or the accuracy per label).
     */
    private void targets(Sequential m, Dataset test, float[] p) throws UsageError {
        if (!(threshold > 0 && threshold < 1)) throw new UsageError("--threshold must be between 0 and 1, got " + threshold);
        boolean labels = m.multiLabel();
        int k = m.outputs(), n = test.rows();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < k; j++) names.add(m.targetName(j));
        float[] t = test.labeled() ? test.targets() : null;
        List<String> header = new ArrayList<>(List.of("row"));
        for (String name : names) {
            if (labels) header.add("p_" + name);
            header.add("predicted_" + name);
            if (t != null) header.add(name);
        }
        if (out != null) {
            String text = csv(header, n, i -> {
                List<Object> row = new ArrayList<>(List.of(i));
                for (int j = 0; j < k; j++) {
                    row.add(p[i * k + j]);
                    if (labels) row.add(p[i * k + j] > threshold ? 1 : 0);
                    if (t != null) row.add(labels ? (Object) (int) t[i * k + j] : t[i * k + j]);
                }
                return row;
            });
            AtomicFiles.write(out, text.getBytes(StandardCharsets.UTF_8));
            System.out.println("wrote " + n + " predictions to " + out);
        } else {
            System.out.println(String.join("  ", header));
            for (int i = 0; i < n; i++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d", i));
                for (int j = 0; j < k; j++) {
                    line.append(String.format(Locale.ROOT, "  %.6g", p[i * k + j]));
                    if (labels) line.append(p[i * k + j] > threshold ? "  1" : "  0");
                    if (t != null) line.append(String.format(Locale.ROOT, "  %.6g", t[i * k + j]));
                }
                System.out.println(line);
            }
        }
        if (t == null) return;
        if (labels) {
            for (int j = 0; j < k; j++) {
                int right = 0;
                for (int i = 0; i < n; i++) if ((p[i * k + j] > threshold) == (t[i * k + j] > 0.5f)) right++;
                System.out.printf(Locale.ROOT, "%s: %d of %d right at threshold %s (accuracy %.4f)%n", names.get(j), right, n, threshold, right / (double) n);
            }
        }
        System.out.println(EvaluateCommand.results(m, m.evaluate(test)).replace("test ", "") + " over " + n + " examples");
    }

    private static void table(Dataset d, float[] p, int[] predicted, Sequential m) {
        int k = m.classes(), w = 9;
        for (int j = 0; j < k; j++) w = Math.max(w, m.className(j).length());
        String cls = "  %" + w + "s";
        System.out.println("example" + String.format(cls, "predicted") + (d.labeled() ? String.format(cls, "true") : "") + "  probability");
        for (int i = 0; i < d.rows(); i++) {
            boolean wrong = d.labeled() && predicted[i] != d.label(i);
            System.out.printf(Locale.ROOT, "%7d" + cls + "%s  %11.4f%s%n", i, m.className(predicted[i]), d.labeled() ? String.format(cls, m.className(d.label(i))) : "",
                    p[i * k + predicted[i]], wrong ? "  <- wrong" : "");
        }
    }

    /** CSV: row, predicted (the class's name), probability, label when known, then per class its probability (p_NAME, or pJ for numbered classes). */
    static String csv(Dataset d, float[] p, int[] predicted, Sequential m) {
        int k = m.classes();
        List<String> header = new ArrayList<>(List.of("row", "predicted", "probability"));
        if (d.labeled()) header.add("label");
        for (int j = 0; j < k; j++) header.add(m.classNames() != null ? "p_" + m.className(j) : "p" + j);
        return csv(header, d.rows(), i -> {
            List<Object> row = new ArrayList<>(List.of(i, m.className(predicted[i]), p[i * k + predicted[i]]));
            if (d.labeled()) row.add(m.className(d.label(i)));
            for (int j = 0; j < k; j++) row.add(p[i * k + j]);
            return row;
        });
    }

    /** CSV text (Commons CSV's quoting, '\n' line ends): the header, then row(i) for i below rows. */
    private static String csv(List<String> header, int rows, java.util.function.IntFunction<List<Object>> row) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter out = new CSVPrinter(sb, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            out.printRecord(header);
            for (int i = 0; i < rows; i++) out.printRecord(row.apply(i));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not fail
        }
        return sb.toString();
    }
}
