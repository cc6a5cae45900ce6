package dev.clmlp.opencl;

import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of ./clmlp tune: the shapes of a step, the timing, and the cached winner being used. */
class GemmTunerTest {
    @TempDir Path cache;
    String old;

    @AfterEach
    void restore() {
        if (old == null) System.clearProperty("clmlp.cache.dir"); else System.setProperty("clmlp.cache.dir", old);
    }

    @Test
    void aTrainingStepHasEveryForwardAndBackwardProduct() {
        List<GemmTuner.Shape> s = GemmTuner.trainingStep(64, new int[] {784, 128, 64, 10});
        assertEquals(List.of(new GemmTuner.Shape(64, 784, 128, false, false), new GemmTuner.Shape(784, 64, 128, true, false),
                new GemmTuner.Shape(64, 128, 64, false, false), new GemmTuner.Shape(128, 64, 64, true, false),
                new GemmTuner.Shape(64, 64, 128, false, true), new GemmTuner.Shape(64, 64, 10, false, false),
                new GemmTuner.Shape(64, 64, 10, true, false), new GemmTuner.Shape(64, 10, 64, false, true)), s);
    }

    @Test
    void theCachedWinnerIsUsedAndABadEntryIgnored() throws IOException {
        TestBackends.opencl();
        ClDevice d = ClDevice.list().get(0);
        old = System.getProperty("clmlp.cache.dir");
        System.setProperty("clmlp.cache.dir", cache.toString());
        GemmParams tuned = d.type().contains("CPU") ? GemmParams.vector(8, 4, 2, 64) : GemmParams.tiled(32, 32, 8, 2, 2);
        Path f = GemmTuner.cacheFile(d);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "# test\n" + tuned.spec() + "\n");
        try (OpenClBackend b = new OpenClBackend(d)) {
            assertEquals(tuned, b.gemmParams());
            double us = GemmTuner.stepMicros(b, GemmTuner.trainingStep(8, new int[] {20, 7, 3}));
            assertTrue(us > 0 && us < 1e6, "step time " + us);
        }
        Files.writeString(f, "vector:banana\n");
        try (OpenClBackend b = new OpenClBackend(d)) {
            assertNotEquals("vector:banana", b.gemmParams().spec());
        }
    }
}
