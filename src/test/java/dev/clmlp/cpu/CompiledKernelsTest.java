package dev.clmlp.cpu;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vector kernels, once compiled, keep their vectors in registers. C2 of JDK 17 stops inlining
 * past about 18,000 nodes in one method; a kernel near that size was at times compiled with its
 * Vector API calls left as calls, every vector boxed: a whole run 15-30x slower, in about one
 * training run in twenty. Boxed, a product allocates megabytes; compiled as it should be, only
 * its task objects.
 */
class CompiledKernelsTest {
    private static final int ROUNDS = 20;
    private static final long BYTES_PER_PRODUCT = 4096, PATIENCE_NANOS = 60_000_000_000L;

    @Test
    void productsStopAllocatingOnceCompiled() {
        assumeTrue(CpuBackend.VECTOR_API, "the Vector API module");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counts");
        Random r = new Random(7);
        int batch = 64, in = 784, n = 2 * SparseGemm.WIDTH;
        float[] x = mostlyZeros(r, batch * in), w = random(r, in * n), dz = random(r, batch * n), y = new float[batch * n];
        float[] dx = new float[batch * in], dw = new float[in * n];
        Runnable[] products = { // every kernel and each way to C: beta 0 and 1, alpha 1 and not, whole and partial blocks
            () -> VectorGemm.gemm(null, false, false, batch, n, in, 1f, x, 0, w, 0, 0f, y, 0),
            () -> VectorGemm.gemm(null, false, true, batch, in, n, 1f, dz, 0, w, 0, 0f, dx, 0),
            () -> VectorGemm.gemm(null, true, false, in, n, batch, -0.01f, x, 0, dz, 0, 1f, dw, 0),
            () -> SparseGemm.times(null, batch, n, in, 1f, x, 0, w, 0, 0f, y, 0, null),
            () -> SparseGemm.transposedTimes(null, in, n, batch, -0.01f, x, 0, dz, 0, 1f, dw, 0),
        };
        // each product alone first, in turn: C2 compiles a kernel for the paths that one takes, and
        // again when the next takes others (the order that, at times, left the earlier kernels boxed)
        for (Runnable p : products) for (int i = 0; i < 1000; i++) p.run();
        long deadline = System.nanoTime() + PATIENCE_NANOS, perProduct;
        do { // until C2 has compiled the kernels: interpreted, and by C1, every vector is an object
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROUNDS; i++) for (Runnable p : products) p.run();
            perProduct = (threads.getCurrentThreadAllocatedBytes() - before) / (ROUNDS * products.length);
        } while (perProduct > BYTES_PER_PRODUCT && System.nanoTime() < deadline);
        assertTrue(perProduct <= BYTES_PER_PRODUCT, "a product still allocates " + perProduct + " bytes after "
                + PATIENCE_NANOS / 1_000_000_000 + " s: its vectors are boxed");
    }

    private static float[] random(Random r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** A fifth of the values nonzero, as in MNIST's pixels. */
    private static float[] mostlyZeros(Random r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) if (r.nextInt(5) == 0) a[i] = r.nextFloat();
        return a;
    }
}
