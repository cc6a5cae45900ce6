package dev.clmlp.report;

import dev.clmlp.data.Dataset;
import dev.clmlp.io.AtomicFiles;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Sequential;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * report.html, what a training run shows at a glance: the command, configuration, model,
 * backend, epoch times, loss and accuracy curves, weight and bias evolution, a confusion matrix,
 * the first test examples and the most confidently wrong ones. One self-contained file ({@link Html}).
 */
public final class Report {
    private Report() {}

    /** How many examples the two galleries show. */
    static final int FIRST = 32, WRONG = 16;

    /**
     * What a training report is made of: the run's files plus the trained model and its test data.
     *
     * @param title   the run, e.g. its directory
     * @param command the command line that started it
     * @param backend the backend's name and device
     * @param model   the trained model, compiled
     * @param history the epochs
     * @param weights the weight and bias samples recorded per epoch
     * @param test    the validation/test data, labeled
     * @param images  whether the examples are square images worth drawing (MNIST)
     */
    public record Training(String title, String command, String backend, Sequential model, History history, WeightTracker weights,
                           Dataset test, boolean images) {}

    /**
     * Writes report.html, atomically.
     *
     * @param t    the run
     * @param file the page
     */
    public static void write(Training t, Path file) {
        AtomicFiles.write(file, html(t).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param t the run
     * @return the page
     */
    public static String html(Training t) {
        if (t.model().regression()) return regressionHtml(t);
        if (t.model().multiLabel()) return multiLabelHtml(t);
        Sequential m = t.model();
        Dataset test = t.test();
        int k = m.classes(), n = test.rows();
        float[] p = m.predict(test);
        int[] predicted = m.classesOf(p);
        float[] confidence = new float[n];
        int right = 0;
        for (int r = 0; r < n; r++) {
            confidence[r] = p[r * k + predicted[r]];
            if (predicted[r] == test.label(r)) right++;
        }
        double[] eval = m.evaluate(test);
        List<History.Epoch> epochs = t.history().epochs();
        double total = epochs.stream().mapToDouble(History.Epoch::seconds).sum();

        Html h = new Html("clmlp training report", t.title());
        h.cards(List.of(
                new String[] {"test accuracy (" + right + " of " + n + ")", fmt("%.4f", right / (double) n)},
                new String[] {"test loss", fmt("%.4f", eval[0])},
                new String[] {"epochs", Integer.toString(epochs.size())},
                new String[] {"training time", fmt("%.1f s", total)},
                new String[] {"parameters", fmt("%,d", m.parameterCount())}));
        training(h, t);

        h.h2("Confusion matrix (" + test.name() + ")");
        h.raw(confusion(test, predicted, m::className, k));

        int[] first = IntStream.range(0, Math.min(FIRST, n)).toArray();
        int[] wrong = IntStream.range(0, n).filter(r -> predicted[r] != test.label(r)).boxed()
                .sorted(Comparator.comparingDouble((Integer r) -> -confidence[r])).limit(WRONG).mapToInt(Integer::intValue).toArray();
        h.h2("The first " + first.length + " test examples");
        gallery(h, t, predicted, confidence, first, "the first test examples with predicted and true class");
        h.h2("The " + wrong.length + " most confidently wrong");
        if (wrong.length == 0) h.p("Every test example is classified correctly.");
        else gallery(h, t, predicted, confidence, wrong, "the wrong predictions with the highest probability");
        return h.page();
    }

    /** The sections every report has: command, backend, model, configuration, epochs, weights and biases. */
    private static void training(Html h, Training t) {
        Sequential m = t.model();
        List<History.Epoch> epochs = t.history().epochs();
        h.h2("Command").pre(t.command());
        h.h2("Backend").p(t.backend());
        h.h2("Model").pre(m.summary());
        h.raw("<details><summary>Configuration (config.json)</summary>\n<pre>" + Html.esc(m.toJson()) + "</pre></details>");

        h.h2("Epochs");
        List<String> header = new ArrayList<>(List.of("epoch"));
        header.addAll(History.metricNames(t.history().regression()));
        header.add("seconds");
        List<List<String>> rows = new ArrayList<>();
        for (History.Epoch e : epochs) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(e.epoch())));
            double[] v = e.values();
            for (int i = 0; i < v.length; i++) row.add(fmt(i == v.length - 1 ? "%.2f" : "%.4f", v[i]));
            rows.add(row);
        }
        h.table(header, rows);
        if (!epochs.isEmpty()) h.img(Charts.history(t.history()), "loss and " + header.get(2) + " per epoch");

        if (!t.weights().epochs.isEmpty()) {
            h.h2("Weights and biases over the epochs");
            h.p("Per Dense layer: a few individual values (thin lines), and the mean and mean +- standard deviation of all of them.");
            h.img(Charts.weights(t.weights()), "weights per layer over epochs").img(Charts.biases(t.weights()), "biases per layer over epochs");
        }
    }

    /** A regression's report: its errors on the held-out data, the common sections, predicted against true values and the residuals. */
    private static String regressionHtml(Training t) {
        Sequential m = t.model();
        Dataset test = t.test();
        double[] eval = m.evaluate(test); // loss, MAE, RMSE, R^2
        double total = t.history().epochs().stream().mapToDouble(History.Epoch::seconds).sum();
        Html h = new Html("clmlp training report", t.title());
        h.cards(List.of(
                new String[] {"test R^2 (" + test.rows() + " examples)", fmt("%.4f", eval[3])},
                new String[] {"test RMSE", fmt("%.4g", eval[2])},
                new String[] {"test MAE", fmt("%.4g", eval[1])},
                new String[] {"test loss (" + m.loss() + ")", fmt("%.4g", eval[0])},
                new String[] {"epochs", Integer.toString(t.history().epochs().size())},
                new String[] {"training time", fmt("%.1f s", total)},
                new String[] {"parameters", fmt("%,d", m.parameterCount())}));
        training(h, t);
        h.h2("Predictions (" + test.name() + ")");
        h.img(Charts.regression(m.predict(test), test.targets()), "predicted against true values, and the residuals");
        return h.page();
    }

    /** A multi-label model's report: its binary accuracy on the held-out data, the common sections, and each label's accuracy and positives. */
    private static String multiLabelHtml(Training t) {
        Sequential m = t.model();
        Dataset test = t.test();
        double[] eval = m.evaluate(test); // loss, binary accuracy
        float[] p = m.predict(test), y = test.targets();
        int k = m.outputs(), n = test.rows();
        Html h = new Html("clmlp training report", t.title());
        h.cards(List.of(
                new String[] {"test accuracy per label (" + n + " examples)", fmt("%.4f", eval[1])},
                new String[] {"test loss (" + m.loss() + ")", fmt("%.4f", eval[0])},
                new String[] {"epochs", Integer.toString(t.history().epochs().size())},
                new String[] {"training time", fmt("%.1f s", t.history().epochs().stream().mapToDouble(History.Epoch::seconds).sum())},
                new String[] {"parameters", fmt("%,d", m.parameterCount())}));
        training(h, t);
        h.h2("Labels (" + test.name() + ", threshold 0.5)");
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            int right = 0, truePos = 0, predPos = 0;
            for (int i = 0; i < n; i++) {
                boolean said = p[i * k + j] > 0.5f, is = y[i * k + j] > 0.5f;
                if (said == is) right++;
                if (is) truePos++;
                if (said) predPos++;
            }
            rows.add(List.of(m.targetName(j), fmt("%.4f", right / (double) n), fmt("%.3f", truePos / (double) n), fmt("%.3f", predPos / (double) n)));
        }
        h.table(List.of("label", "accuracy", "share that are 1", "share predicted 1"), rows);
        return h.page();
    }

    private static void gallery(Html h, Training t, int[] predicted, float[] confidence, int[] rows, String alt) {
        if (t.images()) {
            h.img(Charts.digits(t.test(), rows, predicted, confidence), alt);
            return;
        }
        List<List<String>> out = new ArrayList<>();
        for (int r : rows)
            out.add(List.of(Integer.toString(r), t.model().className(predicted[r]), t.model().className(t.test().label(r)), fmt("%.4f", confidence[r])));
        h.table(List.of("example", "predicted", "true", "probability"), out);
    }

    /** Rows: true class; columns: predicted; cells shaded by their share of the row; recall per row and precision per column. */
    static String confusion(Dataset test, int[] predicted, java.util.function.IntFunction<String> name, int k) {
        long[][] c = new long[k][k];
        for (int r = 0; r < test.rows(); r++) c[test.label(r)][predicted[r]]++;
        StringBuilder sb = new StringBuilder("<table class=\"cm\"><tr><th class=\"l\">true \\ predicted</th>");
        for (int j = 0; j < k; j++) sb.append("<th>").append(Html.esc(name.apply(j))).append("</th>");
        sb.append("<th>recall</th></tr>\n");
        for (int i = 0; i < k; i++) {
            long row = 0;
            for (int j = 0; j < k; j++) row += c[i][j];
            sb.append("<tr><th class=\"l\">").append(Html.esc(name.apply(i))).append("</th>");
            for (int j = 0; j < k; j++) {
                double share = row == 0 ? 0 : c[i][j] / (double) row;
                String color = i == j ? "46,160,67" : "207,34,46";
                sb.append("<td style=\"background: rgba(").append(color).append(',').append(fmt("%.2f", Math.min(1, share * (i == j ? 0.8 : 3))))
                        .append(")\">").append(c[i][j]).append("</td>");
            }
            sb.append("<td>").append(row == 0 ? "-" : fmt("%.3f", c[i][i] / (double) row)).append("</td></tr>\n");
        }
        sb.append("<tr><th class=\"l\">precision</th>");
        for (int j = 0; j < k; j++) {
            long col = 0;
            for (int i = 0; i < k; i++) col += c[i][j];
            sb.append("<td>").append(col == 0 ? "-" : fmt("%.3f", c[j][j] / (double) col)).append("</td>");
        }
        return sb.append("<td></td></tr></table>").toString();
    }

    /**
     * The page ./clmlp bench writes: its settings, one row per backend and the chart.
     *
     * @param settings what was measured (preset, epochs, examples, batch, seed)
     * @param machine  the CPU model, Java version and date
     * @param header   the table's header
     * @param rows     one row per backend
     * @param note     how the figures are taken
     * @param chart    the bar chart
     * @return the page
     */
    public static String bench(String settings, String machine, List<String> header, List<List<String>> rows, String note,
                               java.awt.image.BufferedImage chart) {
        Html h = new Html("clmlp bench", settings);
        h.h2("Machine").p(machine);
        h.h2("Epoch time per backend").table(header, rows).pre(note);
        h.img(chart, "median epoch seconds per backend");
        return h.page();
    }

    /** @return the CPU model (from /proc/cpuinfo where there is one), core count, OS, Java version and today's date */
    public static String machine() {
        String cpu = System.getProperty("os.arch");
        try {
            cpu = java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the architecture says less, but something
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + ", Java "
                + System.getProperty("java.version") + ", " + java.time.LocalDate.now();
    }

    static String fmt(String f, Object... args) { return String.format(Locale.ROOT, f, args); }
}
