package dev.clmlp.tensor;

import dev.clmlp.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dataset's features on a backend without a copy where the backend can share host memory (the CPU one). */
class UploadReadOnlyTest {
    @Test
    void holdsTheValuesOnEveryBackendAndSharesTheArrayOnTheCpu() {
        for (Backend b : TestBackends.all()) {
            float[] values = {1, 2, 3, 4, 5, 6};
            try (Tensor t = b.uploadReadOnly(values, 2, 3)) {
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.download(), b.name());
                values[0] = 9;
                assertEquals(b instanceof CpuBackend ? 9f : 1f, t.download()[0], b.name() + ": shared on the CPU, copied elsewhere");
            }
            byte[] pixels = {0, (byte) 255, 51, 102};
            try (Tensor px = b.uploadReadOnly(pixels, 2, 2); Tensor idx = b.upload(new int[] {1, 0}, 2, 1); Tensor out = b.zeros(2, 2)) {
                assertEquals(DType.UINT8, px.dtype());
                b.gatherRows(px, idx, 0, out);
                assertArrayEquals(new float[] {0.2f, 0.4f, 0f, 1f}, out.download(), 1e-7f, b.name());
            }
        }
    }

    @Test
    void refusesOtherArraysAndWrongSizes() {
        Backend b = TestBackends.cpu();
        String msg = assertThrows(IllegalArgumentException.class, () -> b.uploadReadOnly(new int[4], 2, 2)).getMessage();
        assertTrue(msg.contains("expected a byte[] or float[], got int[]"), msg);
        assertThrows(IllegalArgumentException.class, () -> b.uploadReadOnly(new float[5], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> b.uploadReadOnly(null, 2, 2));
    }
}
