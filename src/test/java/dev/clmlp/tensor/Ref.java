package dev.clmlp.tensor;

/** Float64 reference implementations the backends are held against. */
final class Ref {
    private Ref() {}

    /** op(A)[i,p] for a row-major A holding op(A) (rows m) or its transpose. */
    static double opA(float[] a, boolean trans, int m, int k, int i, int p) {
        return trans ? a[p * m + i] : a[i * k + p];
    }

    /** Returns {C, bound}: the float64 result and a worst-case float32 rounding bound per element. */
    static double[][] gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        double[] out = new double[m * n], bound = new double[m * n];
        double u = Math.ulp(1.0f) / 2; // unit round-off of float32
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double acc = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = opA(a, ta, m, k, i, p), y = tb ? b[j * k + p] : b[p * n + j];
                    acc += x * y;
                    abs += Math.abs(x * y);
                }
                double c0 = beta == 0 ? 0 : beta * (double) c[i * n + j];
                out[i * n + j] = alpha * acc + c0;
                bound[i * n + j] = 2 * (k + 3) * u * (Math.abs(alpha) * abs + Math.abs(c0)) + 1e-37;
            }
        return new double[][] {out, bound};
    }

    static double activation(Activation f, double x) {
        return switch (f) {
            case LINEAR -> x;
            case RELU -> Math.max(x, 0);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
        };
    }

    static double activationGrad(Activation f, double y, double dy) {
        return switch (f) {
            case LINEAR -> dy;
            case RELU -> y > 0 ? dy : 0;
            case SIGMOID -> dy * y * (1 - y);
            case TANH -> dy * (1 - y * y);
        };
    }

    static double[] softmaxRow(float[] x, int off, int k) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < k; j++) max = Math.max(max, x[off + j]);
        double[] p = new double[k];
        for (int j = 0; j < k; j++) sum += p[j] = Math.exp(x[off + j] - max);
        for (int j = 0; j < k; j++) p[j] /= sum;
        return p;
    }
}
