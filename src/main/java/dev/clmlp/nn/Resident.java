package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

/** A dataset resident on the device for the duration of a fit or evaluation: features, labels and a row order. */
record Resident(Tensor x, Tensor y, Tensor order) implements AutoCloseable {
    static Resident of(Backend b, Dataset d) {
        int[] identity = new int[d.rows()];
        for (int i = 0; i < identity.length; i++) identity[i] = i;
        return new Resident(d.uploadFeatures(b), d.uploadLabels(b), b.upload(identity, 1, identity.length));
    }

    @Override public void close() { x.close(); y.close(); order.close(); }
}
