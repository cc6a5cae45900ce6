package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.Tensor;

/** Evaluation and prediction of a {@link Sequential}: forward passes without dropout, in batches of EVAL_BATCH rows. */
final class Inference {
    private Inference() {}

    /** Rows per forward pass in evaluation and prediction. */
    static final int EVAL_BATCH = 1000;

    /**
     * Over the first n rows of a resident dataset (no dropout): a classifier's {loss, accuracy},
     * a regression's {loss, MAE, RMSE, R^2}, a multi-label or binary model's {loss, binary accuracy} (the
     * last two from its outputs, in float64 on the host).
     */
    static double[] evaluate(Sequential m, Resident data, int n) {
        if (m.regression()) {
            float[] out = outputs(m, data, n), targets = data.y().rows(0, n).download();
            double[] r = RegressionMetrics.of(out, targets, m.outputs(), m.regressionLoss);
            if (m.targetScaling() == null) return r;
            double[] own = RegressionMetrics.of(m.targetScaling().undo(out), m.targetScaling().undo(targets), m.outputs(), m.regressionLoss);
            own[0] = r[0]; // the loss as training sees it, on the scaled targets; the errors in the targets' units
            return own;
        }
        if (m.sigmoidOutput()) return RegressionMetrics.binary(outputs(m, data, n), data.y().rows(0, n).download());
        int steps = (n + EVAL_BATCH - 1) / EVAL_BATCH;
        Network net = m.workspaces.borrow(m, Math.min(EVAL_BATCH, n));
        Backend backend = m.backend;
        try (Tensor lossSums = backend.zeros(1, steps); Tensor correct = backend.allocate(DType.INT32, 1, steps)) {
            for (int s = 0; s < steps; s++) {
                int start = s * net.batch, rows = Math.min(net.batch, n - start);
                backend.gatherRows(data.x(), data.order(), start, net.input.rows(0, rows));
                net.forward(m.params, rows, false, m.seed, 0);
                net.loss(m, data.y().rows(start, rows), rows, lossSums, correct, s); // in order: no gather; the gradient it writes is not used
            }
            return new double[] {sum(lossSums.download()) / n, sum(correct.downloadInts()) / (double) n};
        } finally {
            m.workspaces.giveBack(net);
        }
    }

    /** A classifier's class probabilities, or a regression's outputs: rows x outputs, row-major. */
    static float[] predict(Sequential m, Dataset data) {
        if (data.hasPixels()) {
            try (Resident r = Resident.of(m.backend, data)) { // bytes: gathered into float inputs
                return outputs(m, r, data.rows());
            }
        }
        try (Tensor x = data.uploadFeatures(m.backend)) { // floats: read where they are (on the Java backend, the caller's array)
            return outputs(m, x, null, data.rows());
        }
    }

    /** The model's outputs for the first n rows of a resident dataset: probabilities (softmax or sigmoid) or linear outputs. */
    private static float[] outputs(Sequential m, Resident data, int n) { return outputs(m, data.x(), data.order(), n); }

    /** The outputs for rows order[0 .. n) of x, or its first n rows in place when order is null (x FLOAT32). */
    private static float[] outputs(Sequential m, Tensor x, Tensor order, int n) {
        int k = m.outputs();
        float[] out = null;
        Network net = m.workspaces.borrow(m, Math.min(EVAL_BATCH, n));
        try {
            for (int start = 0; start < n; start += net.batch) {
                int rows = Math.min(net.batch, n - start);
                Tensor in = x.rows(start, rows);
                if (order != null) {
                    m.backend.gatherRows(x, order, start, net.input.rows(0, rows));
                    in = net.input.rows(0, rows);
                }
                Tensor y = net.forward(in, m.params, rows, false, m.seed, 0);
                if (m.softmaxOutput()) { // a classifier's logits; linear and sigmoid outputs are final
                    net.softmax(rows);
                    y = net.probs.rows(0, rows);
                }
                float[] part = y.download();
                if (rows == n) return part; // one batch (the usual call): its copy is the answer, no second array
                if (out == null) out = new float[n * k];
                System.arraycopy(part, 0, out, start * k, rows * k);
            }
            return out != null ? out : new float[0];
        } finally {
            m.workspaces.giveBack(net);
        }
    }

    static double sum(float[] x) { double s = 0; for (float v : x) s += v; return s; }

    static double sum(int[] x) { long s = 0; for (int v : x) s += v; return s; }
}
