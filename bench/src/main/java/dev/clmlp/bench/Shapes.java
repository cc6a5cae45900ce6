package dev.clmlp.bench;

import java.util.Random;

/** GEMM shapes "MxKxN:layout": C (m x n) = op(A) (m x k) * op(B) (k x n), layout nn, tn or nt. */
final class Shapes {
    final int m, k, n;
    final boolean transA, transB;

    Shapes(String spec) {
        String[] p = spec.split(":"), d = p[0].split("x");
        m = Integer.parseInt(d[0]);
        k = Integer.parseInt(d[1]);
        n = Integer.parseInt(d[2]);
        String layout = p.length > 1 ? p[1] : "nn";
        transA = layout.charAt(0) == 't';
        transB = layout.charAt(1) == 't';
    }

    double flops() { return 2.0 * m * n * k; }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() - 0.5f;
        return x;
    }
}
