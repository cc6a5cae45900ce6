package dev.clmlp.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Allocating and closing many tensors leaks neither buffers nor memory. */
class ResourceTest {
    static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** Heap and non-heap memory the JVM has committed. */
    static long jvmCommittedKiB() {
        java.lang.management.MemoryMXBean m = java.lang.management.ManagementFactory.getMemoryMXBean();
        return (m.getHeapMemoryUsage().getCommitted() + m.getNonHeapMemoryUsage().getCommitted()) / 1024;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void hundredThousandSmallTensorsDoNotLeak(String name) throws IOException {
        Backend b = name.equals("cpu") ? TestBackends.cpu() : TestBackends.opencl();
        int before = b.liveBuffers();
        churn(b, 10_000, before); // warm up allocator and JIT before measuring memory
        // A leak grows memory in every round; the JVM's own growth (G1 widening its young generation,
        // the JIT's arenas when other tests ran before) shows once, so a second round may confirm it
        String rounds = "";
        for (int round = 1; round <= 2; round++) {
            System.gc();
            long rss0 = rssKiB(), jvm0 = jvmCommittedKiB();
            churn(b, 100_000, before);
            System.gc();
            long rssGrown = rssKiB() - rss0, jvmGrown = Math.max(0, jvmCommittedKiB() - jvm0), grownKiB = rssGrown - jvmGrown;
            assertEquals(before, b.liveBuffers(), "live buffers after closing every tensor");
            if (grownKiB < 64 * 1024) return;
            rounds += " round " + round + ": " + grownKiB + " KiB (resident " + rssGrown + ", JVM heap and code " + jvmGrown + ");";
        }
        fail("resident memory outside the JVM's heap and code grew in both rounds of 100,000 tensors:" + rounds);
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
