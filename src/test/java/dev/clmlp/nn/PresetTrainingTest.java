package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short training run of each preset on the OpenCL device, with its own GEMM and with the tiled
 * (GPU) GEMM forced, against the same run on the Java CPU backend. Small enough for the Oclgrind pass (mvn -Poclgrind), which runs it on the simulator.
 */
class PresetTrainingTest {
    @ParameterizedTest
    @CsvSource({"scratch, default", "keras, default", "scratch, tiled", "keras, tiled"})
    void aPresetTrainsTheSameOnOpenClAndTheCpu(String name, String gemm) {
        // the simulator's pass trains with the device's own GEMM only (its tiled contract runs the tiled kernel)
        String gemms = System.getProperty("clmlp.test.presetGemms", "default,tiled");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.util.List.of(gemms.split(",")).contains(gemm), "GEMMs of this pass: " + gemms);
        Preset p = Preset.named(name);
        Dataset train = Generated.digits(96, 28, 1), test = Generated.digits(40, 28, 2);
        History[] h = new History[2];
        Backend[] backends = {TestBackends.cpu(), gemm.equals("tiled") ? TestBackends.openclTiled() : TestBackends.opencl()};
        for (int b = 0; b < 2; b++) {
            try (Sequential m = p.model()) {
                m.compile(backends[b], p.newOptimizer(), 1);
                h[b] = m.fit(train, test, new FitOptions(2, p.batch(), 1), null);
            }
        }
        History.Epoch cpu = h[0].last(), cl = h[1].last();
        double[][] values = {{cpu.loss(), cpu.accuracy(), cpu.valLoss(), cpu.valAccuracy()}, {cl.loss(), cl.accuracy(), cl.valLoss(), cl.valAccuracy()}};
        String[] names = {"loss", "accuracy", "val_loss", "val_accuracy"};
        for (int i = 0; i < names.length; i++) {
            assertTrue(Double.isFinite(values[1][i]), names[i] + " on OpenCL: " + values[1][i]);
            assertEquals(values[0][i], values[1][i], 1e-4 * (1 + Math.abs(values[0][i])), name + " " + names[i] + ": cpu vs opencl");
        }
    }
}
