package dev.clmlp.tensor;

import dev.clmlp.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The CPU backend skips the zeros of an image-like layer input, and computes the same floats as without. */
class CpuSparseInputTest {
    /** A batch of 28 x 28 "digits": nonzeros only in a blob in the middle, about 20% of the pixels. */
    private static float[] digits(Random r, int rows) {
        float[] x = new float[rows * 784];
        for (int i = 0; i < rows; i++)
            for (int y = 8; y < 20; y++)
                for (int c = 8 + r.nextInt(3); c < 19; c++) if (r.nextInt(4) > 0) x[i * 784 + y * 28 + c] = r.nextFloat();
        return x;
    }

    private static float[] run(CpuBackend b, float[] xs, float[] ws, float[] dzs) {
        try (Tensor x = b.upload(xs, 64, 784); Tensor w = b.upload(ws, 784, 128); Tensor bias = b.zeros(1, 128);
             Tensor y = b.zeros(64, 128); Tensor dz = b.upload(dzs, 64, 128); Tensor db = b.zeros(1, 128)) {
            b.dense(x, w, bias, Activation.RELU, y);
            b.denseSgd(x, dz, w, bias, db, 0.01f);
            float[] out = new float[64 * 128 + 784 * 128];
            System.arraycopy(y.download(), 0, out, 0, 64 * 128);
            System.arraycopy(w.download(), 0, out, 64 * 128, 784 * 128);
            return out;
        }
    }

    @Test
    void aMostlyZeroInputTakesTheSparseProductsWithTheSameResults() {
        Random r = new Random(5);
        float[] xs = digits(r, 64), ws = Rand.floats(r, 784 * 128, 0.05f), dzs = Rand.floats(r, 64 * 128, 1);
        CpuBackend dense;
        System.setProperty("clmlp.sparse", "false");
        try {
            dense = new CpuBackend(2);
        } finally {
            System.clearProperty("clmlp.sparse");
        }
        try (CpuBackend sparse = new CpuBackend(2); dense) {
            sparse.recordOpTimes(true);
            dense.recordOpTimes(true);
            assertArrayEquals(run(dense, xs, ws, dzs), run(sparse, xs, ws, dzs));
            var parts = OpTimesTest.byName(sparse.opTimes()).keySet();
            assertTrue(parts.contains("GEMM of a sparse A + fused epilogue") && parts.contains("GEMM of a sparse A A^T"), parts.toString());
            assertTrue(OpTimesTest.byName(dense.opTimes()).keySet().stream().noneMatch(p -> p.contains("sparse")));
        }
    }
}
