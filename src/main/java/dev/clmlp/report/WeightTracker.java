package dev.clmlp.report;

import dev.clmlp.nn.Dense;
import dev.clmlp.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * Records, after every epoch, a few individual weights and biases of each Dense layer plus the
 * mean and standard deviation of all of them: what the notebook's "evolution of weights and
 * biases" plots show, without drawing 100k lines.
 */
public final class WeightTracker {
    static final int SAMPLES = 6;

    /** Per-layer series over epochs. */
    static final class Series {
        final String layer;
        final int[] weightIdx, biasIdx;
        final List<float[]> weightSamples = new ArrayList<>(), biasSamples = new ArrayList<>();
        final List<double[]> weightStats = new ArrayList<>(), biasStats = new ArrayList<>(); // {mean, std}

        Series(String layer, int weights, int biases) {
            this.layer = layer;
            weightIdx = spread(weights);
            biasIdx = spread(biases);
        }
    }

    final List<Integer> epochs = new ArrayList<>();
    final List<Series> layers = new ArrayList<>();

    /** Evenly spread indices (deterministic, so reruns sample the same weights). */
    static int[] spread(int n) {
        int k = Math.min(SAMPLES, n);
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) idx[i] = (int) ((i + 0.5) * n / k);
        return idx;
    }

    /** Records the state of the model; call with epoch 0 before training for the initial values. */
    public void record(int epoch, Sequential model) {
        List<String> names = model.layerNames();
        int li = 0;
        for (int i = 0; i < model.layers().size(); i++) {
            if (!(model.layers().get(i) instanceof Dense)) continue;
            float[] w = model.weights(i), b = model.bias(i);
            if (layers.size() <= li) layers.add(new Series(names.get(i), w.length, b.length));
            Series s = layers.get(li++);
            s.weightSamples.add(pick(w, s.weightIdx));
            s.biasSamples.add(pick(b, s.biasIdx));
            s.weightStats.add(stats(w));
            s.biasStats.add(stats(b));
        }
        epochs.add(epoch);
    }

    private static float[] pick(float[] x, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = x[idx[i]];
        return out;
    }

    static double[] stats(float[] x) {
        double mean = 0, sq = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        for (float v : x) sq += (v - mean) * (v - mean);
        return new double[] {mean, Math.sqrt(sq / x.length)};
    }
}
