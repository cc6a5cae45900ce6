package dev.clmlp.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Allocating and closing many tensors leaks neither buffers nor memory. */
class ResourceTest {
    static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void hundredThousandSmallTensorsDoNotLeak(String name) throws IOException {
        Backend b = name.equals("cpu") ? TestBackends.cpu() : TestBackends.opencl();
        int before = b.liveBuffers();
        churn(b, 10_000, before); // warm up allocator and JIT before measuring memory
        System.gc();
        long rss0 = rssKiB();
        churn(b, 100_000, before);
        System.gc();
        long grownKiB = rssKiB() - rss0;
        assertEquals(before, b.liveBuffers(), "live buffers after closing every tensor");
        assertTrue(grownKiB < 64 * 1024, "resident memory grew by " + grownKiB + " KiB over 100,000 tensors");
    }

    private static void churn(Backend b, int count, int before) {
        float[] data = {1, 2, 3, 4, 5, 6};
        for (int i = 0; i < count; i++) {
            try (Tensor t = b.upload(data, 2, 3); Tensor u = b.zeros(3, 1)) {
                if (i % 1000 == 0) {
                    b.activation(Activation.RELU, t, t);
                    assertEquals(before + 2, b.liveBuffers(), "live buffers while two tensors are open");
                }
            }
        }
    }
}
