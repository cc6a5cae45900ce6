package dev.clmlp.examples;

import dev.clmlp.Backends;
import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

import java.util.Random;

/**
 * Example 1: clmlp as a compute backend for another app's own float arrays. One dense layer and
 * a softmax, probs = softmax(relu(x W + b)), on the GPU if there is one, checked against plain Java.
 * Run: java -cp ... dev.clmlp.examples.ComputeApi [auto|cpu|opencl:N|lwjgl:N]
 */
public final class ComputeApi {
    public static void main(String[] args) {
        int n = 5, in = 7, out = 3; // 5 rows of 7 features -> 3 classes
        Random r = new Random(1);
        float[] x = new float[n * in], w = new float[in * out], bias = new float[out];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.5f;
        for (int i = 0; i < out; i++) bias[i] = 0.1f * i;

        float[] probs = probabilities(args.length > 0 ? args[0] : "auto", x, w, bias, n, in, out);
        float[] expected = plainJava(x, w, bias, n, in, out);
        for (int i = 0; i < probs.length; i++)
            if (Math.abs(probs[i] - expected[i]) > 1e-5f)
                throw new AssertionError("element " + i + ": clmlp " + probs[i] + ", plain Java " + expected[i]);
        for (int row = 0; row < n; row++)
            System.out.printf("row %d: %.4f %.4f %.4f%n", row, probs[row * out], probs[row * out + 1], probs[row * out + 2]);
        System.out.println("matches plain Java to 1e-5");
    }

    /** The computation on a clmlp backend: every tensor is closed when the block ends. */
    static float[] probabilities(String backendName, float[] x, float[] w, float[] bias, int n, int in, int out) {
        try (Backend b = Backends.open(backendName);
             Tensor tx = b.upload(x, n, in); Tensor tw = b.upload(w, in, out); Tensor tb = b.upload(bias, 1, out);
             Tensor h = b.zeros(n, out); Tensor p = b.zeros(n, out)) {
            System.out.println("backend " + b.name() + ": " + b.description());
            b.gemm(false, false, 1f, tx, tw, 0f, h); // h = x W
            b.addBias(h, tb, h);                     // h += b, row by row
            b.activation(Activation.RELU, h, h);     // h = max(h, 0)
            b.softmax(h, p);                         // p = softmax of each row
            return p.download();
        }
    }

    static float[] plainJava(float[] x, float[] w, float[] bias, int n, int in, int out) {
        float[] p = new float[n * out];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            double[] h = new double[out];
            for (int j = 0; j < out; j++) {
                double s = bias[j];
                for (int k = 0; k < in; k++) s += x[i * in + k] * w[k * out + j];
                h[j] = Math.max(s, 0);
                max = Math.max(max, h[j]);
            }
            for (int j = 0; j < out; j++) sum += Math.exp(h[j] - max);
            for (int j = 0; j < out; j++) p[i * out + j] = (float) (Math.exp(h[j] - max) / sum);
        }
        return p;
    }
}
