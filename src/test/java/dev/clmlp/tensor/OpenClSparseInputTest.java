package dev.clmlp.tensor;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.OpenClBackend;
import dev.clmlp.opencl.Profiler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** OpenCL on a CPU device takes gemm_sparse_a for a batch gathered from mostly-zero pixels, and only then (and not with -Dclmlp.sparse=false). */
class OpenClSparseInputTest {
    /** The GEMM kernels dense and denseWeightGrad launched for a batch gathered from these pixels, or for floats written over it. */
    private static List<String> gemmKernels(byte[] pixels, boolean overwriteWithFloats, boolean switchedOff) {
        TestBackends.opencl();
        if (switchedOff) System.setProperty("clmlp.sparse", "false");
        OpenClBackend opened;
        try {
            opened = new OpenClBackend(ClDevice.list().get(0), true, dev.clmlp.opencl.GemmParams.parse("vector:16,4,2,128"));
        } finally {
            System.clearProperty("clmlp.sparse");
        }
        try (OpenClBackend b = opened;
             Tensor src = b.upload(pixels, 40, 100); Tensor idx = b.upload(new int[] {3, 1, 4, 1, 5, 9, 2, 6}, 1, 8);
             Tensor x = b.zeros(8, 100); Tensor w = b.zeros(100, 20); Tensor bias = b.zeros(1, 20); Tensor y = b.zeros(8, 20);
             Tensor dw = b.zeros(100, 20); Tensor db = b.zeros(1, 20)) {
            b.gatherRows(src, idx, 0, x);
            if (overwriteWithFloats) x.upload(new float[800]);
            b.dense(x, w, bias, Activation.RELU, y);
            b.denseWeightGrad(x, y, dw, db);
            return b.profile().stream().map(Profiler.Entry::kernel).filter(k -> k.startsWith("gemm")).map(k -> k.split(" ")[0]).sorted().toList();
        }
    }

    private static byte[] pixels(int percent) {
        Random r = new Random(percent);
        byte[] p = new byte[40 * 100];
        for (int e = 0; e < p.length; e++) if (r.nextInt(100) < percent) p[e] = (byte) 200;
        return p;
    }

    @Test
    void mostlyZeroPixelsTakeTheSparseKernel() {
        assertEquals(List.of("gemm_sparse_a", "gemm_sparse_a"), gemmKernels(pixels(19), false, false));
    }

    @Test
    void densePixelsOrFloatsWrittenOverTheBatchTakeGemmPacked() {
        assertEquals(List.of("gemm_packed", "gemm_packed"), gemmKernels(pixels(50), false, false));
        assertEquals(List.of("gemm_packed", "gemm_packed"), gemmKernels(pixels(19), true, false));
    }

    @Test
    void theSwitchTurnsItOff() {
        assertEquals(List.of("gemm_packed", "gemm_packed"), gemmKernels(pixels(19), false, true), "-Dclmlp.sparse=false");
    }
}
