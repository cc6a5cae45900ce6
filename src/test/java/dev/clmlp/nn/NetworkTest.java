package dev.clmlp.nn;

import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.Tensor;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backward pass against central differences of the loss, on both backends. The network has
 * a dropout between two dense layers (whose mask the upper layer's input gradient applies) and
 * two dropouts in a row (each with a pass of its own). Dropout masks depend only on the seed and
 * step, so every forward pass below drops the same units.
 */
class NetworkTest {
    static final int IN = 9, ROWS = 5, CLASSES = 4;
    static final long SEED = 11, STEP = 3;

    @Test
    void backwardMatchesFiniteDifferences() {
        List<Layer> layers = List.of(new Dense(7, "tanh"), new Dropout(0.3f), new Dense(6, "sigmoid"),
                new Dropout(0.25f), new Dropout(0.2f), new Dense(CLASSES, "softmax"));
        for (Backend b : TestBackends.all()) {
            Random r = new Random(5);
            float[] x = new float[ROWS * IN], theta;
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            int[] y = new int[ROWS];
            for (int i = 0; i < ROWS; i++) y[i] = r.nextInt(CLASSES);
            Plan plan = Plan.of(IN, layers);
            try (Network net = new Network(b, plan, ROWS); Parameters p = Parameters.allocate(b, plan);
                 Parameters g = Parameters.allocate(b, plan); Tensor labels = b.upload(y, ROWS, 1);
                 Tensor lossSum = b.zeros(1, 1); Tensor correct = b.allocate(DType.INT32, 1, 1)) {
                theta = new float[(int) p.flat.size()];
                for (int i = 0; i < theta.length; i++) theta[i] = (float) (0.5 * r.nextGaussian());
                p.flat.upload(theta);
                net.input.upload(x);
                meanLoss(net, p, labels, lossSum, correct);
                net.backward(p, g, ROWS);
                float[] analytic = g.flat.download();
                for (int j = 0; j < theta.length; j++) {
                    double eps = 1e-2, numeric = (loss(net, p, theta, j, eps, labels, lossSum, correct)
                            - loss(net, p, theta, j, -eps, labels, lossSum, correct)) / (2 * eps);
                    assertTrue(Math.abs(numeric - analytic[j]) <= 2e-3 + 0.02 * Math.abs(numeric),
                            b.name() + ": parameter " + j + ": backward gives " + analytic[j] + ", central difference " + numeric);
                }
            }
        }
    }

    /** The mean loss with parameter j moved by delta (restored afterwards). */
    private static double loss(Network net, Parameters p, float[] theta, int j, double delta, Tensor labels, Tensor lossSum, Tensor correct) {
        float saved = theta[j];
        theta[j] = (float) (saved + delta);
        p.flat.upload(theta);
        double l = meanLoss(net, p, labels, lossSum, correct);
        theta[j] = saved;
        p.flat.upload(theta);
        return l;
    }

    private static double meanLoss(Network net, Parameters p, Tensor labels, Tensor lossSum, Tensor correct) {
        net.forward(p, ROWS, true, SEED, STEP);
        net.loss(null, labels, ROWS, lossSum, correct, 0);
        return lossSum.download()[0] / ROWS;
    }
}
