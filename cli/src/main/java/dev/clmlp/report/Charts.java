package dev.clmlp.report;

import dev.clmlp.data.Dataset;
import dev.clmlp.nn.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The PNG plots of a training run (XChart), and the grid of predicted test images. */
public final class Charts {
    private Charts() {}

    /** history.png: loss and accuracy per epoch, train and validation side by side. */
    public static void history(History h, Path file) { Png.write(file, history(h)); }

    /** @return loss and accuracy (a regression's mean absolute error) per epoch, train and validation side by side */
    public static BufferedImage history(History h) {
        XYChart loss = chart("Loss", "epoch", "loss");
        addSeries(loss, h, "loss", History.Epoch::loss);
        addSeries(loss, h, "val_loss", History.Epoch::valLoss);
        XYChart metric;
        if (h.regression()) {
            metric = chart("Mean absolute error", "epoch", "MAE");
            addSeries(metric, h, "mae", e -> e.errors().mae());
            addSeries(metric, h, "val_mae", e -> e.errors().valMae());
        } else {
            metric = chart("Accuracy", "epoch", "accuracy");
            metric.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
            addSeries(metric, h, "accuracy", History.Epoch::accuracy);
            addSeries(metric, h, "val_accuracy", History.Epoch::valAccuracy);
        }
        return Png.grid(List.of(BitmapEncoder.getBufferedImage(loss), BitmapEncoder.getBufferedImage(metric)), 2);
    }

    /**
     * A regression's fit on held-out data: predicted against true values (every target, the
     * diagonal drawn), and a histogram of the residuals (predicted - true).
     *
     * @param pred    n x k predictions
     * @param targets n x k true values
     * @return the two charts side by side
     */
    public static BufferedImage regression(float[] pred, float[] targets) {
        XYChart scatter = chart("Predicted against true", "true", "predicted");
        scatter.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        scatter.getStyler().setMarkerSize(4);
        double[] x = new double[pred.length], y = new double[pred.length], residual = new double[pred.length];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pred.length; i++) {
            x[i] = targets[i];
            y[i] = pred[i];
            residual[i] = (double) pred[i] - targets[i];
            lo = Math.min(lo, Math.min(x[i], y[i]));
            hi = Math.max(hi, Math.max(x[i], y[i]));
        }
        scatter.addSeries("examples", x, y);
        XYSeries diagonal = scatter.addSeries("predicted = true", new double[] {lo, hi}, new double[] {lo, hi});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        int bins = 40;
        double rlo = java.util.Arrays.stream(residual).min().orElse(0), rhi = java.util.Arrays.stream(residual).max().orElse(0), width = Math.max(1e-12, (rhi - rlo) / bins);
        double[] centers = new double[bins], counts = new double[bins];
        for (int b = 0; b < bins; b++) centers[b] = rlo + (b + 0.5) * width;
        for (double r : residual) counts[Math.min(bins - 1, (int) ((r - rlo) / width))]++;
        XYChart hist = chart("Residuals (predicted - true)", "residual", "examples");
        hist.getStyler().setXAxisDecimalPattern("#,##0.###");
        XYSeries bars = hist.addSeries("residuals", centers, counts);
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        bars.setMarker(SeriesMarkers.NONE);
        return Png.grid(List.of(BitmapEncoder.getBufferedImage(scatter), BitmapEncoder.getBufferedImage(hist)), 2);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return c;
    }

    private static void addSeries(XYChart c, History h, String name, ToDoubleFunction<History.Epoch> f) {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (History.Epoch e : h.epochs()) {
            double v = f.applyAsDouble(e);
            if (!Double.isNaN(v)) { x.add((double) e.epoch()); y.add(v); }
        }
        if (!x.isEmpty()) c.addSeries(name, x, y);
    }

    /** weights.png and biases.png: per Dense layer, sampled values and mean +- std over epochs. */
    public static void weights(WeightTracker t, Path weightsFile, Path biasesFile) {
        Png.write(weightsFile, weights(t));
        Png.write(biasesFile, biases(t));
    }

    /** @return per Dense layer, sampled weights and their mean +- std over epochs */
    public static BufferedImage weights(WeightTracker t) { return evolution(t, "weights", s -> s.weightSamples, s -> s.weightStats); }

    /** @return per Dense layer, sampled biases and their mean +- std over epochs */
    public static BufferedImage biases(WeightTracker t) { return evolution(t, "biases", s -> s.biasSamples, s -> s.biasStats); }

    private static BufferedImage evolution(WeightTracker t, String what, Function<WeightTracker.Series, List<float[]>> samples,
                                           Function<WeightTracker.Series, List<double[]>> stats) {
        List<BufferedImage> tiles = new ArrayList<>();
        double[] x = t.epochs.stream().mapToDouble(Integer::doubleValue).toArray();
        for (WeightTracker.Series s : t.layers) {
            XYChart c = chart(s.layer + " " + what + ": " + sm(samples, s) + " sampled, mean and mean +- std", "epoch", "value");
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
            List<float[]> sm = samples.apply(s);
            for (int j = 0; j < sm.get(0).length; j++) {
                double[] y = new double[x.length];
                for (int e = 0; e < x.length; e++) y[e] = sm.get(e)[j];
                XYSeries series = c.addSeries("#" + (what.equals("weights") ? s.weightIdx[j] : s.biasIdx[j]), x, y);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineStyle(new BasicStroke(1f));
                series.setShowInLegend(false);
            }
            List<double[]> st = stats.apply(s);
            double[] mean = new double[x.length], lo = new double[x.length], hi = new double[x.length];
            for (int e = 0; e < x.length; e++) {
                mean[e] = st.get(e)[0];
                lo[e] = mean[e] - st.get(e)[1];
                hi[e] = mean[e] + st.get(e)[1];
            }
            styled(c.addSeries("mean", x, mean), Color.BLACK, 3f);
            styled(c.addSeries("mean - std", x, lo), Color.GRAY, 2f);
            styled(c.addSeries("mean + std", x, hi), Color.GRAY, 2f);
            tiles.add(BitmapEncoder.getBufferedImage(c));
        }
        return Png.grid(tiles, Math.min(3, tiles.size()));
    }

    private static int sm(Function<WeightTracker.Series, List<float[]>> samples, WeightTracker.Series s) {
        return samples.apply(s).get(0).length;
    }

    private static void styled(XYSeries s, Color color, float width) {
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, width == 2f ? new float[] {6f, 4f} : null, 0f));
    }

    /** bench.png: one bar per backend; returns the chart for the bench page. */
    public static BufferedImage bench(List<String> backends, List<Double> seconds, String title, Path file) {
        BufferedImage chart = bench(backends, seconds, title);
        Png.write(file, chart);
        return chart;
    }

    /** @return one bar per backend: its median seconds per epoch */
    public static BufferedImage bench(List<String> backends, List<Double> seconds, String title) {
        org.knowm.xchart.CategoryChart c = new org.knowm.xchart.CategoryChartBuilder().width(640).height(420).title(title)
                .xAxisTitle("backend").yAxisTitle("seconds per epoch").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.addSeries("epoch seconds", backends, seconds);
        return BitmapEncoder.getBufferedImage(c);
    }

    /**
     * bench-sweep.png: epoch seconds and training GFLOP/s against the hidden width, a line per backend.
     *
     * @param series per backend, its points (width, seconds per epoch, GFLOP/s) in the order run
     * @param title  the run's settings
     * @param file   where the PNG goes
     */
    public static void sweep(java.util.Map<String, List<double[]>> series, String title, Path file) {
        XYChart time = chart("Epoch time, " + title, "hidden width", "seconds per epoch");
        XYChart rate = chart("Training GFLOP/s, " + title, "hidden width", "GFLOP/s");
        for (XYChart c : List.of(time, rate)) c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        series.forEach((backend, points) -> {
            double[] x = points.stream().mapToDouble(q -> q[0]).toArray();
            time.addSeries(backend, x, points.stream().mapToDouble(q -> q[1]).toArray());
            rate.addSeries(backend, x, points.stream().mapToDouble(q -> q[2]).toArray());
        });
        Png.write(file, Png.grid(List.of(BitmapEncoder.getBufferedImage(time), BitmapEncoder.getBufferedImage(rate)), 2));
    }

    /** predictions.png: the first images of a 28x28 dataset with predicted and true labels (wrong ones in red). */
    public static void predictions(Dataset data, int[] predicted, int count, Path file) {
        int n = Math.min(count, Math.min(data.rows(), predicted.length));
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        Png.write(file, digits(data, rows, predicted, null));
    }

    /**
     * @param data        square images, one per example (28 x 28 for MNIST), values in [0, 1]
     * @param rows        which examples to draw, in order
     * @param predicted   the predicted class of every example of data
     * @param probability the probability of that class for every example, or null to leave it out
     * @return the images in rows of 8, each captioned with predicted and true class (green when right, red when wrong)
     */
    public static BufferedImage digits(Dataset data, int[] rows, int[] predicted, float[] probability) {
        int n = rows.length, side = (int) Math.round(Math.sqrt(data.features()));
        int cols = Math.max(1, Math.min(8, n)), lines = Math.max(1, (n + cols - 1) / cols), scale = 4, cell = Math.max(side * scale, 132),
                caption = probability != null ? 36 : 22;
        BufferedImage img = new BufferedImage(cols * (cell + 8), lines * (cell + caption + 8), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (int i = 0; i < n; i++) {
            int r = rows[i], x0 = (i % cols) * (cell + 8) + 4, y0 = (i / cols) * (cell + caption + 8) + 4, pad = (cell - side * scale) / 2;
            float[] px = data.example(r);
            for (int p = 0; p < side * side && p < px.length; p++) {
                int v = 255 - Math.round(Math.max(0, Math.min(1, px[p])) * 255);
                g.setColor(new Color(v, v, v));
                g.fillRect(x0 + pad + (p % side) * scale, y0 + (p / side) * scale, scale, scale);
            }
            boolean right = predicted[r] == data.label(r);
            g.setColor(right ? new Color(0, 110, 0) : Color.RED);
            g.drawString("pred " + predicted[r] + " / true " + data.label(r), x0, y0 + cell + 16);
            if (probability != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.drawString(String.format(java.util.Locale.ROOT, "p %.3f, example %d", probability[r], r), x0, y0 + cell + 32);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            }
        }
        g.dispose();
        return img;
    }
}
