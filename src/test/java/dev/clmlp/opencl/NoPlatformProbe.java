package dev.clmlp.opencl;

import dev.clmlp.Backends;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

/** Run in a child JVM by OpenClSetupTest with no OpenCL driver visible. */
public final class NoPlatformProbe {
    public static void main(String[] args) {
        try {
            ClDevice.list();
            System.out.println("opencl: unexpectedly found a platform");
        } catch (OpenClUnavailableException e) {
            System.out.println("opencl: " + e.getMessage());
        }
        try (Backend b = Backends.open("auto"); Tensor x = b.upload(new float[] {1, 2, 3}, 1, 3); Tensor s = b.zeros(1, 1)) {
            System.out.println("auto: " + b.name());
            b.sum(x, s, 0);
            System.out.println("cpu result: " + s.download()[0]);
        }
    }
}
