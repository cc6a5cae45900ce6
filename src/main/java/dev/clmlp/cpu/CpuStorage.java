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

    /** Storage over an existing byte[] or float[], not copied (a dataset's features, read-only by contract). */
    CpuStorage(Object array) {
        super(array instanceof byte[] ? DType.UINT8 : DType.FLOAT32, array instanceof byte[] bs ? bs.length : ((float[]) array).length);
        if (array instanceof byte[] bs) b = bs;
        else f = (float[]) array;
    }

    @Override protected void release() {
        f = null;
        i = null;
        b = null;
    }
}
