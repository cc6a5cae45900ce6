package dev.clmlp.opencl;

import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of ./clmlp tune: the shapes of a step, the search, and the cached winner per workload being used. */
class GemmTunerTest {
    @TempDir Path cache;
    String old;

    @AfterEach
    void restore() {
        if (old == null) System.clearProperty("clmlp.cache.dir"); else System.setProperty("clmlp.cache.dir", old);
    }

    private ClDevice withTempCache() {
        TestBackends.opencl();
        old = System.getProperty("clmlp.cache.dir");
        System.setProperty("clmlp.cache.dir", cache.toString());
        return ClDevice.list().get(0);
    }

    @Test
    void aTrainingStepHasEveryForwardAndBackwardProduct() {
        List<GemmTuner.Shape> s = GemmTuner.trainingStep(64, new int[] {784, 128, 64, 10});
        assertEquals(List.of(new GemmTuner.Shape(64, 784, 128, false, false), new GemmTuner.Shape(784, 64, 128, true, false),
                new GemmTuner.Shape(64, 128, 64, false, false), new GemmTuner.Shape(128, 64, 64, true, false),
                new GemmTuner.Shape(64, 64, 128, false, true), new GemmTuner.Shape(64, 64, 10, false, false),
                new GemmTuner.Shape(64, 64, 10, true, false), new GemmTuner.Shape(64, 10, 64, false, true)), s);
        assertEquals("b64:784-128-64-10", GemmTuner.workload(64, new int[] {784, 128, 64, 10}));
    }

    @Test
    void eachWorkloadGetsItsOwnWinnerAndOthersTheLatest() throws IOException {
        ClDevice d = withTempCache();
        boolean cpu = d.type().contains("CPU");
        GemmParams forA = cpu ? GemmParams.vector(8, 4, 2, 64) : GemmParams.tiled(32, 32, 8, 2, 2);
        GemmParams forB = cpu ? GemmParams.vector(4, 4, 2, 64) : GemmParams.tiled(16, 16, 8, 2, 2);
        Path f = GemmTuner.cacheFile(d);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "# test\nb8:20-7-3 " + forA.spec() + " 12.5\nb16:20-7-3 " + forB.spec() + " 9.0\n");
        try (OpenClBackend b = new OpenClBackend(d, false, null, "b8:20-7-3")) {
            assertEquals(forA, b.gemmParams());
            double us = GemmTuner.stepMicros(b, GemmTuner.trainingStep(8, new int[] {20, 7, 3}));
            assertTrue(us > 0 && us < 1e6, "step time " + us);
        }
        try (OpenClBackend b = new OpenClBackend(d, false, null, "b32:50-5")) {
            assertEquals(forB, b.gemmParams(), "an untuned workload takes the device's latest tuning");
        }
        Files.writeString(f, "b8:20-7-3 vector:banana 1.0\n");
        try (OpenClBackend b = new OpenClBackend(d, false, null, "b8:20-7-3")) {
            assertEquals(GemmChoices.defaults(d).get(0), b.gemmParams(), "a bad entry is ignored");
        }
    }

    @Test
    void theSearchGoesStageByStageAndCachesItsWinnerForTheWorkload() {
        ClDevice d = withTempCache();
        List<String> log = new ArrayList<>();
        List<GemmTuner.Shape> shapes = GemmTuner.trainingStep(8, new int[] {20, 7, 3});
        List<GemmTuner.Result> results = GemmTuner.tune(d, "b8:20-7-3", shapes, log::add);
        GemmTuner.Result best = results.get(0);
        assertTrue(best.micros() > 0, "the winner was timed: " + results);
        int stages = GemmTuner.stages(d).size();
        assertEquals(stages, log.stream().filter(l -> l.contains("stage winner")).count(), String.join("\n", log));
        assertTrue(results.size() < 3 * 8, "fewer candidates than the full grid: " + results.size());
        try (OpenClBackend b = new OpenClBackend(d, false, null, "b8:20-7-3")) {
            assertEquals(best.params(), b.gemmParams());
        }
        assertNotEquals(null, GemmTuner.cached(d, "b8:20-7-3"));
    }
}
