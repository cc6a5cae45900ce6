package dev.clmlp.check;

import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.data.Dataset;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Preset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.RegressionLoss;
import dev.clmlp.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * A self-test of a device: every operation, and so every kernel (each GEMM layout and epilogue,
 * the sparse-input product, element-wise, reductions, optimizers, dropout), on the device
 * against the Java backend on random and awkward shapes (1 x 1, sizes that are multiples of no
 * tile, the sizes of the MNIST presets), then both presets trained for two short epochs on each
 * and compared epoch by epoch. Users with a new GPU or driver run it first ({@code ./clmlp check});
 * apps call {@link #run(Backend)}. It takes seconds on a GPU.
 */
public final class SelfCheck {
    private SelfCheck() {}

    /**
     * One comparison: the largest error over an operation's outputs, |device - java| / (1 + |java|).
     *
     * @param operation the operation (and variant)
     * @param shape     its shape, e.g. "67x45x131"
     * @param maxError  the largest error (infinite for a NaN where the Java backend has a number)
     * @param tolerance the largest error allowed
     */
    public record Line(String operation, String shape, double maxError, double tolerance) {
        /** @return whether the error is within the tolerance */
        public boolean passed() { return maxError <= tolerance; }
    }

    /**
     * @param device the device checked, as its backend describes it
     * @param lines  every comparison, in order
     */
    public record Report(String device, List<Line> lines) {
        /** @return whether every comparison passed */
        public boolean passed() { return lines.stream().allMatch(Line::passed); }

        /** @return the comparisons that failed */
        public List<Line> failures() { return lines.stream().filter(l -> !l.passed()).toList(); }

        /** @return the table: operation, shape, max error, tolerance, pass or FAIL, and a closing count */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-34s %-14s %12s %12s  %s%n", "operation", "shape", "max error", "tolerance", "result"));
            for (Line l : lines)
                sb.append(String.format(Locale.ROOT, "%-34s %-14s %12.3g %12.3g  %s%n", l.operation(), l.shape(), l.maxError(), l.tolerance(),
                        l.passed() ? "pass" : "FAIL"));
            long failed = failures().size();
            return sb.append(lines.size() - failed).append(" passed, ").append(failed).append(" failed").append(System.lineSeparator()).toString();
        }
    }

    /**
     * @param device the backend to check (an OpenCL device; the Java backend checks itself trivially)
     * @return the report, against a new Java backend
     */
    public static Report run(Backend device) {
        try (CpuBackend java = new CpuBackend()) {
            return run(device, java);
        }
    }

    /**
     * @param device    the backend to check
     * @param reference the backend taken as right
     * @return the report
     */
    public static Report run(Backend device, Backend reference) {
        List<Line> lines = new ArrayList<>();
        Random r = new Random(20261202);
        for (int[] s : new int[][] {{1, 1, 1}, {67, 45, 131}, {130, 7, 300}, {64, 128, 784}, {33, 257, 65}}) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                float[] a = floats(r, m * k), b = floats(r, k * n), c = floats(r, m * n);
                float beta = t == 3 ? 0.5f : 0f;
                lines.add(compare("gemm " + (ta ? "t" : "n") + (tb ? "t" : "n") + (beta != 0 ? " beta" : ""), m + "x" + n + "x" + k, 1e-4, device, reference, be -> {
                    try (Tensor ta_ = be.upload(a, ta ? k : m, ta ? m : k); Tensor tb_ = be.upload(b, tb ? n : k, tb ? k : n); Tensor tc = be.upload(c, m, n)) {
                        be.gemm(ta, tb, 1.5f, ta_, tb_, beta, tc);
                        return tc.download();
                    }
                }));
            }
        }
        int rows = 33, in = 70, out = 19;
        float[] x = floats(r, rows * in), w = floats(r, in * out), bias = floats(r, out), dz = floats(r, rows * out);
        float[] yPrev = new float[rows * in];
        for (int i = 0; i < yPrev.length; i++) yPrev[i] = r.nextFloat();
        String dense = rows + "x" + in + "x" + out;
        for (Activation f : Activation.values()) {
            lines.add(compare("dense " + f.name().toLowerCase(Locale.ROOT), dense, 1e-4, device, reference, be -> {
                try (Tensor tx = be.upload(x, rows, in); Tensor tw = be.upload(w, in, out); Tensor tb = be.upload(bias, 1, out); Tensor ty = be.zeros(rows, out)) {
                    be.dense(tx, tw, tb, f, ty);
                    return ty.download();
                }
            }));
            lines.add(compare("denseInputGrad " + f.name().toLowerCase(Locale.ROOT), dense, 1e-4, device, reference, be -> {
                try (Tensor tdz = be.upload(dz, rows, out); Tensor tw = be.upload(w, in, out); Tensor tp = be.upload(yPrev, rows, in); Tensor tdx = be.zeros(rows, in)) {
                    be.denseInputGrad(tdz, tw, f, tp, tdx);
                    return tdx.download();
                }
            }));
        }
        lines.add(compare("denseDropout relu", dense, 1e-4, device, reference, be -> {
            try (Tensor tx = be.upload(x, rows, in); Tensor tw = be.upload(w, in, out); Tensor tb = be.upload(bias, 1, out); Tensor ty = be.zeros(rows, out);
                 Tensor mask = be.zeros(rows, out); Tensor dropped = be.zeros(rows, out)) {
                be.denseDropout(tx, tw, tb, Activation.RELU, ty, mask, dropped, 0.25f, 42, 7);
                return concat(ty.download(), mask.download(), dropped.download());
            }
        }));
        lines.add(compare("denseInputGrad mask sigmoid", dense, 1e-4, device, reference, be -> {
            float[] maskValues = new float[rows * in];
            for (int i = 0; i < maskValues.length; i++) maskValues[i] = (i * 7919) % 5 == 0 ? 0f : 1.25f;
            try (Tensor tdz = be.upload(dz, rows, out); Tensor tw = be.upload(w, in, out); Tensor tp = be.upload(yPrev, rows, in);
                 Tensor tm = be.upload(maskValues, rows, in); Tensor tdx = be.zeros(rows, in)) {
                be.denseInputGrad(tdz, tw, Activation.SIGMOID, tp, tm, tdx);
                return tdx.download();
            }
        }));
        lines.add(compare("denseWeightGrad + bias grad", dense, 1e-4, device, reference, be -> {
            try (Tensor tx = be.upload(x, rows, in); Tensor tdz = be.upload(dz, rows, out); Tensor tdw = be.zeros(in, out); Tensor tdb = be.zeros(1, out)) {
                be.denseWeightGrad(tx, tdz, tdw, tdb);
                return concat(tdw.download(), tdb.download());
            }
        }));
        lines.add(compare("denseSgd", dense, 1e-4, device, reference, be -> {
            try (Tensor tx = be.upload(x, rows, in); Tensor tdz = be.upload(dz, rows, out); Tensor tw = be.upload(w, in, out); Tensor tb = be.upload(bias, 1, out);
                 Tensor tdb = be.zeros(1, out)) {
                be.denseSgd(tx, tdz, tw, tb, tdb, 0.1f);
                return concat(tw.download(), tb.download(), tdb.download());
            }
        }));
        lines.add(compare("denseBackwardSgd relu", dense, 1e-4, device, reference, be -> {
            try (Tensor tx = be.upload(x, rows, in); Tensor tdz = be.upload(dz, rows, out); Tensor tw = be.upload(w, in, out); Tensor tb = be.upload(bias, 1, out);
                 Tensor tdb = be.zeros(1, out); Tensor tp = be.upload(yPrev, rows, in); Tensor tdx = be.zeros(rows, in)) {
                be.denseBackwardSgd(tx, tdz, tw, tb, tdb, 0.1f, Activation.RELU, tp, null, tdx);
                return concat(tdx.download(), tw.download(), tb.download(), tdb.download());
            }
        }));
        checkPixels(lines, r, device, reference);
        checkElementwise(lines, r, device, reference);
        checkRows(lines, r, device, reference);
        checkOptimizers(lines, r, device, reference);
        checkTraining(lines, device, reference);
        return new Report(device.description(), lines);
    }

    /** A batch gathered from uint8 pixels that are mostly zeros (the sparse-input products), then the first layer's two products. */
    private static void checkPixels(List<Line> lines, Random r, Backend device, Backend reference) {
        int images = 200, features = 784, batch = 64, out = 128;
        byte[] pixels = new byte[images * features];
        for (int i = 0; i < pixels.length; i++) if (r.nextInt(100) < 19) pixels[i] = (byte) (1 + r.nextInt(255));
        int[] order = new int[images];
        for (int i = 0; i < images; i++) order[i] = (i * 37) % images;
        float[] w = floats(r, features * out), bias = floats(r, out), dz = floats(r, batch * out);
        lines.add(compare("gatherRows uint8 + dense + weightGrad", batch + "x" + features + "x" + out, 1e-4, device, reference, be -> {
            try (Tensor src = be.upload(pixels, images, features); Tensor idx = be.upload(order, images, 1); Tensor xb = be.zeros(batch, features);
                 Tensor tw = be.upload(w, features, out); Tensor tb = be.upload(bias, 1, out); Tensor y = be.zeros(batch, out);
                 Tensor tdz = be.upload(dz, batch, out); Tensor dw = be.zeros(features, out); Tensor db = be.zeros(1, out)) {
                be.gatherRows(src, idx, 5, xb);
                be.dense(xb, tw, tb, Activation.RELU, y);
                be.denseWeightGrad(xb, tdz, dw, db);
                return concat(xb.download(), y.download(), dw.download(), db.download());
            }
        }));
    }

    private static void checkElementwise(List<Line> lines, Random r, Backend device, Backend reference) {
        int rows = 37, cols = 29;
        String shape = rows + "x" + cols;
        float[] x = floats(r, rows * cols), y2 = floats(r, rows * cols), bias = floats(r, cols);
        lines.add(compare("addBias", shape, 1e-6, device, reference, be -> {
            try (Tensor tx = be.upload(x, rows, cols); Tensor tb = be.upload(bias, 1, cols); Tensor ty = be.zeros(rows, cols)) {
                be.addBias(tx, tb, ty);
                return ty.download();
            }
        }));
        lines.add(compare("biasGrad", shape, 1e-5, device, reference, be -> {
            try (Tensor tx = be.upload(x, rows, cols); Tensor tb = be.zeros(1, cols)) {
                be.biasGrad(tx, tb);
                return tb.download();
            }
        }));
        for (Activation f : Activation.values())
            lines.add(compare("activation + grad " + f.name().toLowerCase(Locale.ROOT), shape, 1e-5, device, reference, be -> {
                try (Tensor tx = be.upload(x, rows, cols); Tensor ty = be.zeros(rows, cols); Tensor td = be.upload(y2, rows, cols); Tensor tdx = be.zeros(rows, cols)) {
                    be.activation(f, tx, ty);
                    be.activationGrad(f, ty, td, tdx);
                    return concat(ty.download(), tdx.download());
                }
            }));
        lines.add(compare("multiply", shape, 1e-6, device, reference, be -> {
            try (Tensor a = be.upload(x, rows, cols); Tensor b = be.upload(y2, rows, cols); Tensor c = be.zeros(rows, cols)) {
                be.multiply(a, b, c);
                return c.download();
            }
        }));
        lines.add(compare("dropout", shape, 1e-6, device, reference, be -> {
            try (Tensor tx = be.upload(x, rows, cols); Tensor ty = be.zeros(rows, cols); Tensor mask = be.zeros(rows, cols)) {
                be.dropout(tx, ty, mask, 0.3f, 99, 3);
                return concat(ty.download(), mask.download());
            }
        }));
        int[] rowsOf = {5, 0, 36, 2, 2};
        lines.add(compare("gatherRows float", "5x" + cols, 0, device, reference, be -> {
            try (Tensor src = be.upload(x, rows, cols); Tensor idx = be.upload(rowsOf, 5, 1); Tensor dst = be.zeros(3, cols)) {
                be.gatherRows(src, idx, 1, dst);
                return dst.download();
            }
        }));
        int n = 100_003;
        float[] big = floats(r, n);
        lines.add(compare("sum", "1x" + n, 1e-4, device, reference, be -> {
            try (Tensor t = be.upload(big, 1, n); Tensor s = be.zeros(1, 2)) {
                be.sum(t, s, 1);
                return new float[] {s.download()[1] / 100};
            }
        }));
    }

    /** Row-wise kernels and the loss kernel's reductions, on the notebook's shape and on 424 x 30 (where a driver's loop limit showed). */
    private static void checkRows(List<Line> lines, Random r, Backend device, Backend reference) {
        for (int[] s : new int[][] {{64, 10}, {424, 30}, {1, 3}}) {
            int rows = s[0], k = s[1];
            String shape = rows + "x" + k;
            float[] logits = new float[rows * k];
            for (int i = 0; i < logits.length; i++) logits[i] = (float) (r.nextGaussian() * 6);
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) labels[i] = r.nextInt(k);
            lines.add(compare("softmax", shape, 1e-5, device, reference, be -> {
                try (Tensor x = be.upload(logits, rows, k); Tensor y = be.zeros(rows, k)) {
                    be.softmax(x, y);
                    return y.download();
                }
            }));
            lines.add(compare("softmaxCrossEntropy", shape, 1e-5, device, reference, be -> {
                try (Tensor x = be.upload(logits, rows, k); Tensor l = be.upload(labels, rows, 1); Tensor p = be.zeros(rows, k); Tensor d = be.zeros(rows, k);
                     Tensor loss = be.zeros(rows, 1)) {
                    be.softmaxCrossEntropy(x, l, p, d, loss);
                    return concat(p.download(), d.download(), loss.download());
                }
            }));
            lines.add(compare("softmaxCrossEntropyStats", shape, 1e-5, device, reference, be -> {
                try (Tensor x = be.upload(logits, rows, k); Tensor l = be.upload(labels, rows, 1); Tensor p = be.zeros(rows, k); Tensor d = be.zeros(rows, k);
                     Tensor sums = be.zeros(1, 1); Tensor hits = be.upload(new int[1], 1, 1)) {
                    be.softmaxCrossEntropyStats(x, l, p, d, sums, hits, 0);
                    return concat(p.download(), d.download(), new float[] {sums.download()[0] / rows, hits.downloadInts()[0]});
                }
            }));
            for (RegressionLoss loss : RegressionLoss.values()) // the logits as predictions, the probabilities' log as targets
                lines.add(compare("regressionLossStats " + loss.key(), shape, 1e-5, device, reference, be -> {
                    try (Tensor y = be.upload(logits, rows, k); Tensor t = be.upload(shifted(logits), rows, k); Tensor d = be.zeros(rows, k);
                         Tensor lossSum = be.zeros(1, 1); Tensor absSum = be.zeros(1, 1)) {
                        be.regressionLossStats(y, t, d, loss, RegressionLoss.HUBER_DELTA, lossSum, absSum, 0);
                        return concat(d.download(), new float[] {lossSum.download()[0] / rows, absSum.download()[0] / (rows * k)});
                    }
                }));
            lines.add(compare("regressionLossStats, errors scaled per output", shape, 1e-5, device, reference, be -> {
                float[] factors = new float[k];
                for (int j = 0; j < k; j++) factors[j] = 0.5f + j;
                try (Tensor y = be.upload(logits, rows, k); Tensor t = be.upload(shifted(logits), rows, k); Tensor d = be.zeros(rows, k);
                     Tensor lossSum = be.zeros(1, 1); Tensor absSum = be.zeros(1, 1); Tensor sc = be.upload(factors, 1, k)) {
                    be.regressionLossStats(y, t, d, RegressionLoss.MSE, RegressionLoss.HUBER_DELTA, lossSum, absSum, 0, sc);
                    return new float[] {absSum.download()[0] / (rows * k)};
                }
            }));
            lines.add(compare("binaryCrossEntropyStats", shape, 1e-5, device, reference, be -> { // the probabilities as sigmoid outputs, label 0 as a 0/1 target
                float[] targets = new float[rows * k];
                for (int i = 0; i < rows; i++) targets[i * k] = 1;
                try (Tensor x = be.upload(logits, rows, k); Tensor p = be.zeros(rows, k); Tensor t = be.upload(targets, rows, k); Tensor d = be.zeros(rows, k);
                     Tensor lossSum = be.zeros(1, 1); Tensor hits = be.zeros(1, 1)) {
                    be.softmax(x, p);
                    be.binaryCrossEntropyStats(p, t, d, lossSum, hits, 0);
                    return concat(d.download(), new float[] {lossSum.download()[0] / rows, hits.download()[0] / (rows * k)});
                }
            }));
            lines.add(compare("softmaxCrossEntropyStats, class weights", shape, 1e-5, device, reference, be -> {
                float[] w = new float[k];
                for (int j = 0; j < k; j++) w[j] = 0.5f + j;
                try (Tensor x = be.upload(logits, rows, k); Tensor l = be.upload(labels, rows, 1); Tensor p = be.zeros(rows, k); Tensor d = be.zeros(rows, k);
                     Tensor sums = be.zeros(1, 1); Tensor hits = be.upload(new int[1], 1, 1); Tensor tw = be.upload(w, 1, k)) {
                    be.softmaxCrossEntropyStats(x, l, p, d, sums, hits, 0, tw);
                    return concat(d.download(), new float[] {sums.download()[0] / rows});
                }
            }));
            lines.add(compare("argmaxRows + countCorrect", shape, 0, device, reference, be -> {
                try (Tensor x = be.upload(logits, rows, k); Tensor l = be.upload(labels, rows, 1); Tensor am = be.upload(new int[rows], rows, 1);
                     Tensor hits = be.upload(new int[2], 1, 2)) {
                    be.argmaxRows(x, am);
                    be.countCorrect(x, l, hits, 1);
                    int[] a = am.downloadInts();
                    float[] outv = new float[rows + 1];
                    for (int i = 0; i < rows; i++) outv[i] = a[i];
                    outv[rows] = hits.downloadInts()[1];
                    return outv;
                }
            }));
        }
    }

    private static void checkOptimizers(List<Line> lines, Random r, Backend device, Backend reference) {
        int n = 10_007;
        float[] p = floats(r, n), g = floats(r, n), m = floats(r, n), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 0.01f;
        String shape = "1x" + n;
        lines.add(compare("sgd", shape, 1e-6, device, reference, be -> {
            try (Tensor tp = be.upload(p, 1, n); Tensor tg = be.upload(g, 1, n)) {
                be.sgd(tp, tg, null, 0.01f, 0f);
                return tp.download();
            }
        }));
        lines.add(compare("sgd momentum", shape, 1e-6, device, reference, be -> {
            try (Tensor tp = be.upload(p, 1, n); Tensor tg = be.upload(g, 1, n); Tensor vel = be.upload(m, 1, n)) {
                be.sgd(tp, tg, vel, 0.01f, 0.9f);
                return concat(tp.download(), vel.download());
            }
        }));
        lines.add(compare("adam", shape, 1e-5, device, reference, be -> {
            try (Tensor tp = be.upload(p, 1, n); Tensor tg = be.upload(g, 1, n); Tensor tm = be.upload(m, 1, n); Tensor tv = be.upload(v, 1, n)) {
                be.adam(tp, tg, tm, tv, 0.001f, 0.9f, 0.999f, 1e-7f, 3);
                return concat(tp.download(), tm.download(), tv.download());
            }
        }));
        lines.add(compare("weightDecay + rmsprop", shape, 1e-5, device, reference, be -> {
            try (Tensor tp = be.upload(p, 1, n); Tensor tg = be.upload(g, 1, n); Tensor tv = be.upload(v, 1, n)) {
                be.weightDecay(tp, 0.004f * 0.001f);
                be.rmsprop(tp, tg, tv, 0.001f, 0.9f, 1e-7f);
                return concat(tp.download(), tv.download());
            }
        }));
    }

    /** Both presets for two short epochs on each backend: loss and accuracy, training and validation, epoch by epoch. */
    private static void checkTraining(List<Line> lines, Backend device, Backend reference) {
        Dataset train = blobs(384, 1), validation = blobs(128, 2);
        for (Preset p : new Preset[] {Preset.SCRATCH, Preset.KERAS}) {
            History[] h = new History[2];
            Backend[] both = {reference, device};
            for (int i = 0; i < 2; i++)
                try (Sequential model = p.model()) {
                    model.compile(both[i], p.newOptimizer(), 1);
                    h[i] = model.fit(train, validation, new FitOptions(2, p.batch(), 1), null);
                }
            for (int e = 0; e < 2; e++) {
                History.Epoch a = h[0].epochs().get(e), b = h[1].epochs().get(e);
                double err = 0;
                double[][] v = {{a.loss(), b.loss()}, {a.accuracy(), b.accuracy()}, {a.valLoss(), b.valLoss()}, {a.valAccuracy(), b.valAccuracy()}};
                for (double[] pair : v) err = Math.max(err, error(pair[0], pair[1]));
                lines.add(new Line("train " + p.name() + " epoch " + (e + 1), train.rows() + "x784", err, 1e-4));
            }
        }
    }

    /** MNIST-shaped data the presets can learn: ten noisy prototypes of 784 features in [0, 1], a quarter of them zero. */
    private static Dataset blobs(int rows, long seed) {
        Random r = new Random(seed), proto = new Random(5);
        float[][] centers = new float[10][784];
        for (float[] c : centers) for (int j = 0; j < 784; j++) c[j] = proto.nextInt(4) == 0 ? 0f : proto.nextFloat();
        float[] values = new float[rows * 784];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = r.nextInt(10);
            for (int j = 0; j < 784; j++) values[i * 784 + j] = Math.max(0f, Math.min(1f, centers[labels[i]][j] + 0.3f * (float) r.nextGaussian()));
        }
        return Dataset.ofFloats("self-check blobs", values, rows, 784, labels, 10);
    }

    private static Line compare(String operation, String shape, double tolerance, Backend device, Backend reference, Function<Backend, float[]> op) {
        float[] want = op.apply(reference), got;
        try {
            got = op.apply(device);
        } catch (RuntimeException e) {
            return new Line(operation + " (" + e.getClass().getSimpleName() + ")", shape, Double.POSITIVE_INFINITY, tolerance);
        }
        double max = got.length == want.length ? 0 : Double.POSITIVE_INFINITY;
        for (int i = 0; i < Math.min(got.length, want.length); i++) max = Math.max(max, error(want[i], got[i]));
        return new Line(operation, shape, max, tolerance);
    }

    /** |got - want| / (1 + |want|); infinite when exactly one is NaN or they differ in infinity. */
    private static double error(double want, double got) {
        if (Double.isNaN(want) || Double.isNaN(got)) return Double.isNaN(want) && Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (Double.isInfinite(want) || Double.isInfinite(got)) return want == got ? 0 : Double.POSITIVE_INFINITY;
        return Math.abs(got - want) / (1 + Math.abs(want));
    }

    private static float[] floats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    /** Targets near the predictions and far from them: x / 2 + 1.5 puts errors on both sides of Huber's delta. */
    private static float[] shifted(float[] x) {
        float[] t = new float[x.length];
        for (int i = 0; i < x.length; i++) t[i] = x[i] * 0.5f + 1.5f;
        return t;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) { System.arraycopy(p, 0, out, at, p.length); at += p.length; }
        return out;
    }
}
