package dev.clmlp.nn;

import dev.clmlp.tensor.RegressionLoss;

/** A regression's (or multi-label model's) loss and errors over predictions and targets, in float64: what evaluate reports. */
final class RegressionMetrics {
    private RegressionMetrics() {}

    /**
     * @param pred    n x k predictions, row-major
     * @param targets n x k targets
     * @param k       outputs per row
     * @param loss    the model's loss
     * @return {loss (mean over rows of each row's mean), MAE, RMSE, R^2 (scikit-learn's r2_score:
     *         per output 1 - SSres / SStot, 1 where both are 0 and 0 where only SStot is, then averaged)}
     */
    static double[] of(float[] pred, float[] targets, int k, RegressionLoss loss) {
        int n = pred.length / k;
        double lossSum = 0, abs = 0, sq = 0, r2 = 0, delta = RegressionLoss.HUBER_DELTA;
        for (int i = 0; i < pred.length; i++) {
            double e = (double) pred[i] - targets[i], a = Math.abs(e);
            lossSum += switch (loss) {
                case MSE -> e * e;
                case MAE -> a;
                case HUBER -> a <= delta ? e * e / 2 : delta * (a - delta / 2);
            };
            abs += a;
            sq += e * e;
        }
        for (int j = 0; j < k; j++) {
            double mean = 0, res = 0, tot = 0;
            for (int r = 0; r < n; r++) mean += targets[r * k + j];
            mean /= n;
            for (int r = 0; r < n; r++) {
                double t = targets[r * k + j], e = pred[r * k + j] - t;
                res += e * e;
                tot += (t - mean) * (t - mean);
            }
            r2 += tot > 0 ? 1 - res / tot : res == 0 ? 1 : 0;
        }
        double count = pred.length;
        return new double[] {lossSum / count, abs / count, Math.sqrt(sq / count), r2 / k};
    }

    /**
     * @param probs   n x k sigmoid outputs
     * @param targets n x k, 0 or 1
     * @return {binary cross-entropy (probabilities clipped as Keras does, mean over every output), the
     *         share of outputs on the right side of 0.5}
     */
    static double[] binary(float[] probs, float[] targets) {
        double loss = 0, hits = 0, eps = dev.clmlp.tensor.Backend.BCE_EPS;
        for (int i = 0; i < probs.length; i++) {
            double c = Math.max(eps, Math.min(1f - dev.clmlp.tensor.Backend.BCE_EPS, probs[i])); // the upper clip in float, as the kernels have it
            loss -= targets[i] * Math.log(c) + (1 - targets[i]) * Math.log(1 - c);
            if ((probs[i] > 0.5f) == (targets[i] > 0.5f)) hits++;
        }
        return new double[] {loss / probs.length, hits / probs.length};
    }
}
