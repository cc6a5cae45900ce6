package dev.clmlp.nn;

import dev.clmlp.optim.Optimizer;
import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.RegressionLoss;
import dev.clmlp.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The device buffers for running a model on batches of up to {@code batch} rows, and the
 * forward and backward passes over them. A partial batch uses the first rows of each buffer.
 * Gradient convention: for a Dense layer grad[i] is dLoss/d(its pre-activation), for a Dropout
 * layer dLoss/d(its output); whoever writes grad[i] applies the activation's slope.
 */
final class Network implements AutoCloseable {
    final Backend b;
    final List<Layer> layers;
    final int batch;
    final Tensor input;     // batch x inputSize
    final Tensor probs;     // batch x classes: softmax of the last layer's logits
    private final Tensor[] out, grad, mask; // per layer: batch x width (mask: dropout layers only)
    private final List<Tensor> owned = new ArrayList<>();

    Network(Backend b, Plan plan, int batch) {
        this.b = b;
        this.layers = plan.steps().stream().map(Plan.Step::layer).toList();
        this.batch = batch;
        input = own(b.zeros(batch, plan.inputSize()));
        out = new Tensor[layers.size()];
        grad = new Tensor[layers.size()];
        mask = new Tensor[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            int width = plan.step(i).out();
            out[i] = own(b.zeros(batch, width));
            grad[i] = own(b.zeros(batch, width));
            if (layers.get(i) instanceof Dropout) mask[i] = own(b.zeros(batch, width));
        }
        probs = own(b.zeros(batch, plan.outputSize()));
    }

    private Tensor own(Tensor t) {
        owned.add(t);
        return t;
    }

    /**
     * Forward pass over the first {@code rows} rows of input. Returns the last layer's output
     * (logits for softmax). In training, a dense layer and the dropout after it are one operation.
     */
    Tensor forward(Parameters p, int rows, boolean training, long seed, long step) { return forward(input.rows(0, rows), p, rows, training, seed, step); }

    /** {@link #forward} from rows x inputSize FLOAT32 features elsewhere (inference's rows in place: no gather into input). */
    Tensor forward(Tensor x, Parameters p, int rows, boolean training, long seed, long step) {
        for (int i = 0; i < layers.size(); i++) {
            Tensor y = out[i].rows(0, rows);
            if (layers.get(i) instanceof Dense d && training && i + 1 < layers.size()
                    && layers.get(i + 1) instanceof Dropout drop && drop.rate() > 0) {
                Tensor dropped = out[i + 1].rows(0, rows);
                b.denseDropout(x, p.weights(i), p.bias(i), d.elementwise(), y, mask[i + 1].rows(0, rows), dropped,
                        drop.rate(), dropoutSeed(seed, i + 1), step);
                y = dropped;
                i++; // the dropout is done
            } else if (layers.get(i) instanceof Dense d) {
                b.dense(x, p.weights(i), p.bias(i), d.elementwise(), y);
            } else if (layers.get(i) instanceof Dropout drop) {
                if (training && drop.rate() > 0) b.dropout(x, y, mask[i].rows(0, rows), drop.rate(), dropoutSeed(seed, i), step);
                else b.copy(x, y);
            }
            x = y;
        }
        return x;
    }

    /**
     * The loss of the last forward pass into slot s of the accumulators, and its gradient. A
     * classifier (m null or softmax): softmax cross-entropy on the logits against labels (rows x 1,
     * int32), probs, the batch's loss sum and correct count. A regression: its loss on the linear
     * outputs against targets (rows x outputs, float32), the loss sum and |error| sum. Multi-label or binary:
     * binary cross-entropy on the sigmoid outputs against 0/1 targets, the loss sum and the
     * outputs on the right side of 0.5.
     */
    void loss(Sequential m, Tensor labels, int rows, Tensor lossSums, Tensor metricSums, int s) { loss(m, labels, rows, lossSums, metricSums, s, null); }

    /**
     * {@link #loss} with weights (FLOAT32, or null): a classifier's rows weighted by their class
     * (1 x classes), or a regression's |error| sums counted in its targets' units (1 x outputs: their
     * deviations, when it trains on standardised targets).
     */
    void loss(Sequential m, Tensor labels, int rows, Tensor lossSums, Tensor metricSums, int s, Tensor weights) {
        int last = layers.size() - 1;
        Tensor y = out[last].rows(0, rows), dy = grad[last].rows(0, rows);
        if (m != null && m.regression()) b.regressionLossStats(y, labels, dy, m.regressionLoss, RegressionLoss.HUBER_DELTA, lossSums, metricSums, s, weights);
        else if (m != null && m.sigmoidOutput()) b.binaryCrossEntropyStats(y, labels, dy, lossSums, metricSums, s);
        else b.softmaxCrossEntropyStats(y, labels, probs.rows(0, rows), dy, lossSums, metricSums, s, weights);
    }

    /** probs = softmax(logits) without a loss (inference). */
    void softmax(int rows) {
        b.softmax(out[layers.size() - 1].rows(0, rows), probs.rows(0, rows));
    }

    /**
     * Backward pass after {@link #loss}: fills the gradient of every parameter in g. A dropout
     * between two dense layers costs no pass of its own: the upper layer's input gradient
     * applies its mask on the way down.
     */
    void backward(Parameters p, Parameters g, int rows) { backward(p, g, rows, null); }

    /**
     * {@link #backward}, or with an optimizer whose update has started, the update done on the
     * way down: each dense layer is updated inside its weight-gradient product
     * ({@link Optimizer#updateDense}) once the gradient it sends down has used its weights.
     */
    void backward(Parameters p, Parameters g, int rows, Optimizer updating) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Tensor dy = grad[i].rows(0, rows);
            Tensor x = i == 0 ? input.rows(0, rows) : out[i - 1].rows(0, rows);
            if (layers.get(i) instanceof Dense) {
                int layer = i;
                // the gradient sent down, dx = (dz W^T) * mask * f'(yPrev): through a dropout to the dense layer below it, or straight down
                Activation f = null;
                Tensor yPrev = null, dropMask = null, dx = null;
                if (i >= 2 && layers.get(i - 1) instanceof Dropout drop && layers.get(i - 2) instanceof Dense below) {
                    f = below.elementwise();
                    yPrev = out[i - 2].rows(0, rows);
                    dropMask = drop.rate() > 0 ? mask[i - 1].rows(0, rows) : null;
                    dx = grad[i - 2].rows(0, rows);
                    i--; // the dropout is done
                } else if (i > 0) {
                    f = slopeBelow(i);
                    yPrev = x;
                    dx = grad[i - 1].rows(0, rows);
                }
                Tensor w = p.weights(layer), bias = p.bias(layer), dw = g.weights(layer), db = g.bias(layer);
                if (updating == null) { // dW = x^T dz, db = column sums of dz
                    b.denseWeightGrad(x, dy, dw, db);
                    if (dx != null) b.denseInputGrad(dy, w, f, yPrev, dropMask, dx);
                } else if (dx != null) {
                    updating.updateDense(x, dy, w, bias, dw, db, f, yPrev, dropMask, dx); // dx from the weights before the update
                } else {
                    updating.updateDense(x, dy, w, bias, dw, db);
                }
            } else if (layers.get(i) instanceof Dropout drop && i > 0) {
                Tensor dx = grad[i - 1].rows(0, rows);
                Activation below = slopeBelow(i);
                if (drop.rate() > 0) b.multiply(dy, mask[i].rows(0, rows), dx);
                else b.copy(dy, dx);
                if (below != Activation.LINEAR) b.activationGrad(below, x, dx, dx);
            }
        }
    }

    /** The activation of layer i - 1 if it is dense (its slope belongs in the gradient layer i sends down). */
    private Activation slopeBelow(int i) {
        return i > 0 && layers.get(i - 1) instanceof Dense d ? d.elementwise() : Activation.LINEAR;
    }

    /** Distinct dropout streams per layer under one model seed. */
    private static long dropoutSeed(long seed, int layer) { return seed + 0x9E3779B97F4A7C15L * (layer + 1); }

    @Override public void close() { owned.forEach(Tensor::close); }
}
