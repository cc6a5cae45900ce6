package dev.clmlp.opencl;

import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Program building, the compiled-program cache, and life without an OpenCL platform. */
class OpenClSetupTest {
    static ClDevice device() {
        TestBackends.opencl(); // fails the test (or aborts it under CLMLP_SKIP_OPENCL) without OpenCL
        return ClDevice.list().get(0);
    }

    @Test
    void brokenKernelReportsTheBuildLog() {
        ClDevice d = device();
        try (ClRuntime rt = d.binding().open(d, false)) {
            KernelBuildException e = assertThrows(KernelBuildException.class,
                    () -> rt.compile("__kernel void broken(__global float* x) { x[0] = undefined_name; }", ""));
            assertTrue(e.getMessage().contains(d.name()), e.getMessage());
            assertTrue(e.buildLog().contains("undefined_name"), "build log should name the error: " + e.buildLog());
        }
    }

    @Test
    void compiledProgramIsCachedOnDiskAndACorruptEntryIsRebuilt(@TempDir Path cache) throws Throwable {
        ClDevice d = device();
        withCacheDir(cache, () -> {
            try (ClRuntime rt = d.binding().open(d, false)) {
                String source = ClProgram.text("limits.cl"), options = "-cl-std=CL1.2";
                rt.releaseProgram(ClProgram.build(rt, source, options, true));
                List<Path> bins = cached(cache);
                assertEquals(1, bins.size(), "one cached program binary: " + bins);
                assertTrue(Files.size(bins.get(0)) > 0);
                long modified = Files.getLastModifiedTime(bins.get(0)).toMillis();
                rt.releaseProgram(ClProgram.build(rt, source, options, true));
                assertEquals(modified, Files.getLastModifiedTime(bins.get(0)).toMillis(), "second build must load, not rewrite");

                Files.write(bins.get(0), new byte[] {1, 2, 3});
                Object p = ClProgram.build(rt, source, options, true);
                rt.releaseKernel(rt.createKernel(p, "loop_limit")); // a working program after a corrupt cache entry
                rt.releaseProgram(p);
                assertNotEquals(3, Files.size(bins.get(0)), "corrupt entry replaced by a good binary");
            }
        });
    }

    /** A backend caches its program on disk except where the driver caches kernels itself (PoCL, CPU devices). */
    @Test
    void backendLeavesCachingToDriversThatCacheKernels(@TempDir Path cache) throws Throwable {
        ClDevice d = device();
        withCacheDir(cache, () -> {
            try (OpenClBackend b = new OpenClBackend(d); var t = b.upload(new float[] {-1, 2}, 1, 2)) {
                b.activation(dev.clmlp.tensor.Activation.RELU, t, t);
                assertEquals(0f, t.download()[0]);
                assertEquals(d.cachesItsOwnKernels(), cached(cache).isEmpty(), d.platformName() + ", " + d.kind() + " device: " + cached(cache));
            }
        });
    }

    @Test
    void whichDriversCacheTheirOwnKernels() {
        assertTrue(record("Portable Computing Language", "CPU").cachesItsOwnKernels());
        assertTrue(record("Portable Computing Language", "GPU").cachesItsOwnKernels(), "PoCL's GPU drivers keep its kernel cache too");
        assertTrue(record("rusticl", "CPU").cachesItsOwnKernels());
        assertFalse(record("rusticl", "GPU").cachesItsOwnKernels());
        assertFalse(record("NVIDIA CUDA", "GPU").cachesItsOwnKernels());
        assertFalse(record("Oclgrind", "GPU+CPU+ACCELERATOR").cachesItsOwnKernels(), "a simulator's binary is cheap to hand out");
    }

    private static ClDevice record(String platform, String type) {
        return new ClDevice(null, 0, null, platform, "device", type, "vendor", "1.0", "OpenCL 1.2", 4, 1L << 30, 32 << 10, 256, 4, true);
    }

    /** Runs body with clmlp's cache directory at dir, then puts the property back. */
    private static void withCacheDir(Path dir, org.junit.jupiter.api.function.Executable body) throws Throwable {
        String old = System.getProperty("clmlp.cache.dir");
        System.setProperty("clmlp.cache.dir", dir.toString());
        try {
            body.execute();
        } finally {
            if (old == null) System.clearProperty("clmlp.cache.dir"); else System.setProperty("clmlp.cache.dir", old);
        }
    }

    private static List<Path> cached(Path cache) throws IOException {
        if (!Files.isDirectory(cache.resolve("kernels"))) return List.of();
        try (var s = Files.list(cache.resolve("kernels"))) { return s.toList(); }
    }

    @Test
    void profilingCountsEveryKernelLaunch() {
        ClDevice d = device();
        try (OpenClBackend b = new OpenClBackend(d, true); var x = b.upload(new float[] {-1, 2, 3, -4}, 2, 2); var y = b.zeros(2, 2)) {
            for (int i = 0; i < 3; i++) b.activation(dev.clmlp.tensor.Activation.RELU, x, y);
            b.gemm(false, false, 1f, x, x, 0f, y);
            b.finish();
            var entries = b.profile();
            var relu = entries.stream().filter(e -> e.kernel().equals("activation")).findFirst().orElseThrow();
            assertEquals(3, relu.launches());
            assertTrue(relu.nanos() > 0, "device time recorded");
            assertTrue(entries.stream().anyMatch(e -> e.kernel().startsWith("gemm")), entries.toString());
            String table = Profiler.table(entries);
            assertTrue(table.contains("activation") && table.contains("share"), table);
        }
        try (OpenClBackend b = new OpenClBackend(d)) {
            assertTrue(b.profile().isEmpty(), "no profiling unless asked for");
        }
    }

    /** A JVM whose OpenCL loader finds no driver: a clear message, and the CPU backend still works. */
    @Test
    void withoutAPlatformTheMessageSaysHowToInstallOne(@TempDir Path emptyVendors) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NoPlatformProbe.class.getName());
        pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
        pb.environment().remove("OPENCL_VENDOR_PATH");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("opencl: No OpenCL platform found"), out);
        assertTrue(out.contains("apt-get install pocl-opencl-icd"), out);
        assertTrue(out.contains("auto: cpu"), out);
        assertTrue(out.contains("cpu result: 6.0"), out);
    }
}
