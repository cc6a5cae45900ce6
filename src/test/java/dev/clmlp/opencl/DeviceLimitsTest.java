package dev.clmlp.opencl;

import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits of devices from the field, simulated on the test device: a device record that reports
 * them, and a runtime whose kernels take no more work-items per group than such a device's
 * would (CL_KERNEL_WORK_GROUP_SIZE). Each picks a GEMM that fits, builds every kernel, and
 * computes what the Java backend computes.
 */
class DeviceLimitsTest {
    /** The test device, reporting other limits (name: what they simulate); its kernels take at most kernelItems items per group. */
    static ClDevice limited(String name, String type, long maxWorkGroup, long localMem, long kernelItems) {
        ClDevice real = ClDevice.list().get(0);
        ClBinding binding = new ClBinding() {
            @Override public String prefix() { return "opencl"; }
            @Override public ClDiscovery discover() { throw new UnsupportedOperationException(); }
            @Override public ClRuntime open(ClDevice device, boolean profiling) {
                ClRuntime rt = ClBinding.jocl().open(device, profiling);
                return (ClRuntime) Proxy.newProxyInstance(ClRuntime.class.getClassLoader(), new Class<?>[] {ClRuntime.class}, (p, m, args) -> {
                    try {
                        Object out = m.invoke(rt, args);
                        return m.getName().equals("kernelWorkGroupSize") ? Math.min((Long) out, kernelItems) : out;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
            }
        };
        // the real device's names, so that the kernel cache serves builds with the same constants
        return new ClDevice(binding, 0, real.handle(), real.platformName(), real.name(), type, real.vendor(), real.driver(), real.version(),
                real.computeUnits(), real.globalMemBytes(), localMem, maxWorkGroup, real.floatVectorWidth(), real.fastFma());
    }

    /** A product, a bias gradient and the loss kernel's reduction on b, against the Java backend. */
    static void computesAsTheJavaBackend(Backend b) {
        Backend cpu = TestBackends.cpu();
        Random r = new Random(7);
        int m = 67, n = 45, k = 131;
        float[] a = new float[m * k], w = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < w.length; i++) w[i] = r.nextFloat() - 0.5f;
        float[][] out = new float[2][];
        float[][] sums = new float[2][];
        Backend[] both = {cpu, b};
        for (int i = 0; i < 2; i++) {
            try (Tensor ta = both[i].upload(a, m, k); Tensor tw = both[i].upload(w, k, n); Tensor tc = both[i].zeros(m, n);
                 Tensor db = both[i].zeros(1, n); Tensor total = both[i].zeros(1, 1)) {
                both[i].gemm(false, false, 1f, ta, tw, 0f, tc);
                both[i].biasGrad(tc, db);
                both[i].sum(tc, total, 0);
                out[i] = tc.download();
                float[] d = db.download();
                sums[i] = java.util.Arrays.copyOf(d, n + 1);
                sums[i][n] = total.download()[0];
            }
        }
        for (int i = 0; i < out[0].length; i++) assertEquals(out[0][i], out[1][i], 1e-4f, "product element " + i);
        for (int i = 0; i < sums[0].length; i++) assertEquals(sums[0][i], sums[1][i], 2e-3f, "sum " + i);
    }

    @Test
    void appleGpuGroupsOf256() {
        try (OpenClBackend b = new OpenClBackend(limited("Apple M2", "GPU", 256, 32 << 10, 256))) {
            assertEquals(GemmParams.tiled(64, 64, 16, 4, 4), b.gemmParams(), b.gemmReason());
            computesAsTheJavaBackend(b);
        }
    }

    /** Groups of 128 and 4 KiB of local memory, as on some integrated GPUs: the 32x32 tile (64 items, 4 KiB). */
    @Test
    void smallIntegratedGpu() {
        try (OpenClBackend b = new OpenClBackend(limited("Small iGPU", "GPU", 128, 4 << 10, 128))) {
            GemmParams g = b.gemmParams();
            assertTrue(g.isTiled() && g.groupSize() <= 128 && g.localMemBytes() <= 4096, g + ": " + b.gemmReason());
            assertEquals(GemmParams.tiled(32, 32, 16, 4, 4), g, b.gemmReason());
            computesAsTheJavaBackend(b);
        }
    }

    /** A GPU whose kernels take 32 items (rusticl reports that for every kernel): the tile keeps its size, with more work per item. */
    @Test
    void gpuWhoseKernelsTake32Items() {
        try (OpenClBackend b = new OpenClBackend(limited("Narrow GPU", "GPU", 1024, 32 << 10, 32))) {
            assertEquals(GemmParams.tiled(32, 32, 16, 4, 8), b.gemmParams(), b.gemmReason());
            assertTrue(b.gemmReason().contains("tiled:64,64,16,4,4 (the default for a GPU): 256 work-items per group, the kernel takes 32"), b.gemmReason());
            computesAsTheJavaBackend(b);
        }
    }

    /** Apple's CPU device runs kernels that use barriers in groups of one item: the tiled kernel shrinks to one. */
    @Test
    void kernelsThatTakeOneItemPerGroup() {
        try (OpenClBackend b = new OpenClBackend(limited("Apple CPU", "CPU", 1024, 32 << 10, 1), false, GemmParams.tiled(16, 16, 8, 2, 2))) {
            assertEquals(1, b.gemmParams().groupSize(), b.gemmReason());
            assertTrue(b.gemmParams().isTiled(), b.gemmReason());
            computesAsTheJavaBackend(b);
        }
    }
}
