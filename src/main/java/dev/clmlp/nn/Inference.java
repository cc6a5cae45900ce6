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

    /** {loss, accuracy} over the first n rows of a resident dataset (no dropout). */
    static double[] evaluate(Sequential m, Resident data, int n) {
        int steps = (n + EVAL_BATCH - 1) / EVAL_BATCH;
        Network net = m.evalNetwork(Math.min(EVAL_BATCH, n));
        Backend backend = m.backend;
        try (Tensor lossSums = backend.zeros(1, steps); Tensor correct = backend.allocate(DType.INT32, 1, steps)) {
            for (int s = 0; s < steps; s++) {
                int start = s * net.batch, rows = Math.min(net.batch, n - start);
                backend.gatherRows(data.x(), data.order(), start, net.input.rows(0, rows));
                net.forward(m.params, rows, false, m.seed, 0);
                net.loss(data.y().rows(start, rows), rows, lossSums, correct, s); // in order: no gather; the gradient it writes is not used
            }
            return new double[] {sum(lossSums.download()) / n, sum(correct.downloadInts()) / (double) n};
        }
    }

    /** Class probabilities, rows x classes, row-major. */
    static float[] predict(Sequential m, Dataset data) {
        int n = data.rows(), k = m.classes();
        float[] out = new float[n * k];
        Network net = m.evalNetwork(Math.min(EVAL_BATCH, n));
        Backend backend = m.backend;
        try (Resident r = Resident.of(backend, data)) {
            for (int start = 0; start < n; start += net.batch) {
                int rows = Math.min(net.batch, n - start);
                backend.gatherRows(r.x(), r.order(), start, net.input.rows(0, rows));
                net.forward(m.params, rows, false, m.seed, 0);
                net.softmax(rows);
                System.arraycopy(net.probs.rows(0, rows).download(), 0, out, start * k, rows * k);
            }
        }
        return out;
    }

    static double sum(float[] x) { double s = 0; for (float v : x) s += v; return s; }

    static double sum(int[] x) { long s = 0; for (int v : x) s += v; return s; }
}
