package dev.clmlp.cli;

import dev.clmlp.data.Generated;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short training run of each preset through the command line on the OpenCL device, against
 * the same run on the Java CPU backend. Small enough for the Oclgrind pass (mvn -Poclgrind),
 * which runs it on the simulator.
 */
class PresetTrainingTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"scratch", "keras"})
    void aPresetTrainsTheSameOnOpenClAndTheCpu(String preset) throws Exception {
        TestBackends.opencl(); // fails (or aborts under CLMLP_SKIP_OPENCL) without OpenCL
        Path data = Generated.mnistDir(tmp.resolve("data"), 96, 40);
        double[][] rows = new double[2][];
        String[] backends = {"cpu", "opencl:0"};
        for (int b = 0; b < 2; b++) {
            Path out = tmp.resolve(backends[b].replace(':', '-'));
            CliTest.run(0, "train", "--preset", preset, "--epochs", "2", "--backend", backends[b], "--data", data.toString(),
                    "--out", out.toString(), "--no-plots", "--no-progress");
            List<String> csv = Files.readAllLines(out.resolve("history.csv"));
            assertEquals(3, csv.size(), "two epochs: " + csv);
            String[] f = csv.get(2).split(",");
            rows[b] = new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])};
        }
        String[] names = {"loss", "accuracy", "val_loss", "val_accuracy"};
        for (int i = 0; i < names.length; i++) {
            assertTrue(Double.isFinite(rows[1][i]), names[i] + " on OpenCL: " + rows[1][i]);
            assertEquals(rows[0][i], rows[1][i], 1e-4 * (1 + Math.abs(rows[0][i])), preset + " " + names[i] + ": cpu vs opencl");
        }
    }
}
