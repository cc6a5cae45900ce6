package dev.clmlp.report;

import dev.clmlp.nn.Dense;
import dev.clmlp.nn.Sequential;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.clmlp.io.JsonFields;

import java.util.ArrayList;
import java.util.Arrays;
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

        Series(String layer, int weights, int biases) { this(layer, spread(weights), spread(biases)); }

        Series(String layer, int[] weightIdx, int[] biasIdx) {
            this.layer = layer;
            this.weightIdx = weightIdx;
            this.biasIdx = biasIdx;
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

    /** The recorded series as JSON, so that a resumed run's plots cover the epochs before the interruption. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.add("epochs", GSON.toJsonTree(epochs));
        JsonArray ls = new JsonArray();
        for (Series s : layers) {
            JsonObject l = new JsonObject();
            l.addProperty("layer", s.layer);
            l.add("weight_idx", GSON.toJsonTree(s.weightIdx));
            l.add("bias_idx", GSON.toJsonTree(s.biasIdx));
            l.add("weight_samples", GSON.toJsonTree(s.weightSamples));
            l.add("bias_samples", GSON.toJsonTree(s.biasSamples));
            l.add("weight_stats", GSON.toJsonTree(s.weightStats));
            l.add("bias_stats", GSON.toJsonTree(s.biasStats));
            ls.add(l);
        }
        o.add("layers", ls);
        return o;
    }

    /** Reads {@link #toJson}; a malformed value is an IllegalArgumentException naming the field. */
    public static WeightTracker fromJson(JsonFields o) {
        WeightTracker t = new WeightTracker();
        try {
            t.epochs.addAll(Arrays.asList(GSON.fromJson(o.array("epochs"), Integer[].class)));
            for (int i = 0; i < o.array("layers").size(); i++) {
                JsonFields l = o.element("layers", i);
                Series s = new Series(l.string("layer"), GSON.fromJson(l.array("weight_idx"), int[].class), GSON.fromJson(l.array("bias_idx"), int[].class));
                s.weightSamples.addAll(Arrays.asList(GSON.fromJson(l.array("weight_samples"), float[][].class)));
                s.biasSamples.addAll(Arrays.asList(GSON.fromJson(l.array("bias_samples"), float[][].class)));
                s.weightStats.addAll(Arrays.asList(GSON.fromJson(l.array("weight_stats"), double[][].class)));
                s.biasStats.addAll(Arrays.asList(GSON.fromJson(l.array("bias_stats"), double[][].class)));
                t.layers.add(s);
            }
        } catch (JsonParseException | NumberFormatException | IllegalStateException e) {
            throw new IllegalArgumentException("field '" + o.path() + "': malformed weight history (" + e.getMessage() + ")");
        }
        return t;
    }

    private static final Gson GSON = new Gson();
}
