package dev.clmlp.nn;

import dev.clmlp.tensor.Tensor;

import java.util.List;

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

    /** Lays out (in x units) weights then (1 x units) bias for every Dense layer, in order. */
    static Parameters allocate(dev.clmlp.tensor.Backend b, int inputSize, List<Layer> layers) {
        long total = 0;
        int width = inputSize;
        for (Layer l : layers) {
            total += l.parameters(width);
            width = l.outputSize(width);
        }
        Tensor flat = b.zeros(1, Math.toIntExact(Math.max(total, 1)));
        Tensor[] w = new Tensor[layers.size()], bias = new Tensor[layers.size()];
        long offset = 0;
        width = inputSize;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Dense d) {
                w[i] = flat.view(offset, width, d.units());
                offset += (long) width * d.units();
                bias[i] = flat.view(offset, 1, d.units());
                offset += d.units();
            }
            width = layers.get(i).outputSize(width);
        }
        return new Parameters(flat, w, bias);
    }

    Tensor weights(int layer) { return weights[layer]; }

    Tensor bias(int layer) { return bias[layer]; }

    @Override public void close() { flat.close(); }
}
