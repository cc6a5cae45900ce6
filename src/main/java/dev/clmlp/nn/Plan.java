package dev.clmlp.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's layout, computed once from its layers and input width (llm.c's way): each layer's
 * Keras-style name, input and output widths, and where its weights and bias sit in the one flat
 * parameter buffer. Parameters, the network's buffers, the summary, weights files and
 * checkpoints all read it, so a new layer type touches the layer and this plan only.
 */
record Plan(int inputSize, List<Step> steps, long parameterCount) {
    /**
     * Layer i: name ("dense", "dense_1", "dropout"), widths in and out, and for a Dense layer the
     * offsets of its in x out weights and its out biases in the flat buffer (else -1).
     */
    record Step(Layer layer, String name, int in, int out, long weightOffset, long biasOffset) {
        boolean dense() { return layer instanceof Dense; }

        long parameters() { return layer.parameters(in); }
    }

    static Plan of(int inputSize, List<Layer> layers) {
        List<String> names = names(layers);
        List<Step> steps = new ArrayList<>();
        int width = inputSize;
        long offset = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int out = l.outputSize(width);
            if (l instanceof Dense) {
                steps.add(new Step(l, names.get(i), width, out, offset, offset + (long) width * out));
                offset += l.parameters(width);
            } else {
                steps.add(new Step(l, names.get(i), width, out, -1, -1));
            }
            width = out;
        }
        return new Plan(inputSize, List.copyOf(steps), offset);
    }

    /** Keras-style layer names: dense, dense_1, dropout, ... */
    static List<String> names(List<Layer> layers) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Layer l : layers) {
            String base = l.typeName().toLowerCase(Locale.ROOT);
            int k = seen.merge(base, 1, Integer::sum) - 1;
            names.add(k == 0 ? base : base + "_" + k);
        }
        return names;
    }

    Step step(int layer) { return steps.get(layer); }

    /** The width of the model's output (its last layer's). */
    int outputSize() { return steps.get(steps.size() - 1).out(); }

    /** "dense_1.kernel" or "dense_1.bias": the tensor that holds flat parameter i. */
    String parameterName(long i) {
        for (Step s : steps)
            if (s.dense() && i >= s.weightOffset() && i < s.biasOffset() + s.out())
                return s.name() + (i < s.biasOffset() ? ".kernel" : ".bias");
        return "parameter " + i;
    }
}
