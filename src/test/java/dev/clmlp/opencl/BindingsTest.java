package dev.clmlp.opencl;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Sequential;
import dev.clmlp.nn.Preset;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JOCL and LWJGL: the same devices, and the same kernels on the same device give the same bits. */
class BindingsTest {
    @TempDir Path tmp;

    /** CL_DEVICE_SINGLE_FP_CONFIG's bits: CL_FP_FMA (1 << 5) in hardware, not CL_FP_SOFT_FLOAT (1 << 6). */
    @Test
    void fmaIsFastWhereTheDeviceFusesInHardware() {
        long nearestInfNan = 4 | 2; // CL_FP_ROUND_TO_NEAREST | CL_FP_INF_NAN
        assertTrue(ClDevice.fastFma(nearestInfNan | 1 << 5));
        assertEquals(false, ClDevice.fastFma(nearestInfNan));
        assertEquals(false, ClDevice.fastFma(nearestInfNan | 1 << 5 | 1 << 6));
    }

    @Test
    void bothBindingsListTheSameDevicesInTheSameOrder() {
        TestBackends.opencl();
        ClDiscovery joclFound = ClBinding.jocl().discover(), lwjglFound = ClBinding.lwjgl().discover();
        assertEquals(joclFound.problems(), lwjglFound.problems(), "platforms that failed");
        assertEquals(joclFound.emptyPlatforms(), lwjglFound.emptyPlatforms(), "platforms without devices");
        List<ClDevice> jocl = joclFound.devices(), lwjgl = lwjglFound.devices();
        assertEquals(jocl.size(), lwjgl.size());
        for (int i = 0; i < jocl.size(); i++) {
            ClDevice a = jocl.get(i), b = lwjgl.get(i);
            assertEquals(List.of(a.platformName(), a.name(), a.type(), a.driver(), a.computeUnits(), a.maxWorkGroupSize(), a.localMemBytes(), a.floatVectorWidth(), a.fastFma()),
                    List.of(b.platformName(), b.name(), b.type(), b.driver(), b.computeUnits(), b.maxWorkGroupSize(), b.localMemBytes(), b.floatVectorWidth(), b.fastFma()));
            assertEquals("opencl:" + i, a.backendName());
            assertEquals("lwjgl:" + i, b.backendName());
        }
    }

    /** The keras preset's model (dropout, Adam, sigmoid) for an epoch through each binding: byte-identical weights. */
    @Test
    void aPresetTrainsToBitIdenticalWeightsThroughEitherBinding() throws IOException {
        TestBackends.opencl();
        Dataset train = Generated.digits(640, 28, 1), test = Generated.digits(100, 28, 2);
        byte[][] weights = new byte[2][];
        History[] h = new History[2];
        String[] names = {"opencl:0", "lwjgl:0"};
        for (int i = 0; i < 2; i++) {
            try (Backend b = Backends.open(names[i]); Sequential m = Preset.KERAS.model()) {
                assertEquals(names[i], b.name());
                m.compile(b, Preset.KERAS.newOptimizer(), 42);
                h[i] = m.fit(train, test, new FitOptions(1, Preset.KERAS.batch(), 42), null);
                Path file = tmp.resolve(i + ".safetensors");
                m.saveWeights(file);
                weights[i] = Files.readAllBytes(file);
            }
        }
        assertArrayEquals(weights[0], weights[1], "weights through JOCL and LWJGL");
        assertEquals(h[0].last().loss(), h[1].last().loss(), 0);
        assertEquals(h[0].last().valLoss(), h[1].last().valLoss(), 0);
        assertTrue(h[0].last().loss() < 2.3, "it learned something: " + h[0].toCsv());
    }

    /** Without LWJGL on the class path, asking for it is a clear error, never a silent switch to JOCL. */
    @Test
    void withoutLwjglAskingForItSaysWhatToAdd() throws Exception {
        TestBackends.opencl();
        String cp = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("lwjgl")).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                NoLwjglProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("lwjgl: the LWJGL binding needs org.lwjgl:lwjgl, its natives and org.lwjgl:lwjgl-opencl"), out);
        assertTrue(out.contains("jocl: opencl:0"), out);
    }
}
