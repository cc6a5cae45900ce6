package dev.clmlp.nn;

import dev.clmlp.tensor.Tensor;

/**
 * All parameters of a model in one flat 1 x N tensor, with a (weights, bias) view per Dense
 * layer, so an optimizer updates everything in one call. Gradients use the same layout.
 */
final class Parameters implements AutoCloseable {
    final Tensor flat;
    private final Tensor[] weights, bias;

    Parameters(Tensor flat, Tensor[] weights, Tensor[] bias) {
        this.flat = flat;
        this.weights = weights;
        this.bias = bias;
    }

    /** The plan's layout: (in x out) weights then (1 x out) bias for every Dense layer, in order. */
    static Parameters allocate(dev.clmlp.tensor.Backend b, Plan plan) {
        Tensor flat = b.zeros(1, Math.toIntExact(Math.max(plan.parameterCount(), 1)));
        Tensor[] w = new Tensor[plan.steps().size()], bias = new Tensor[plan.steps().size()];
        for (int i = 0; i < w.length; i++) {
            Plan.Step st = plan.step(i);
            if (!st.dense()) continue;
            w[i] = flat.view(st.weightOffset(), st.in(), st.out());
            bias[i] = flat.view(st.biasOffset(), 1, st.out());
        }
        return new Parameters(flat, w, bias);
    }

    Tensor weights(int layer) { return weights[layer]; }

    Tensor bias(int layer) { return bias[layer]; }

    @Override public void close() { flat.close(); }
}
