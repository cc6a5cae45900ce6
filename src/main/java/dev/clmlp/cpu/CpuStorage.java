package dev.clmlp.cpu;

import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.Storage;

/** A Java array: float[] for FLOAT32, int[] for INT32, byte[] for UINT8. */
final class CpuStorage extends Storage {
    float[] f;
    int[] i;
    byte[] b;

    CpuStorage(DType dtype, long elements) {
        super(dtype, elements);
        int n = Math.toIntExact(elements);
        switch (dtype) {
            case FLOAT32 -> f = new float[n];
            case INT32 -> i = new int[n];
            case UINT8 -> b = new byte[n];
        }
    }

    @Override protected void release() {
        f = null;
        i = null;
        b = null;
    }
}
