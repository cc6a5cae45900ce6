package dev.clmlp.cli;

import dev.clmlp.data.Generated;
import dev.clmlp.data.Mnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input answered: the exit code, one line naming the problem, no stack trace, and usage errors before any work. */
class ErrorsTest {
    @TempDir static Path shared;
    @TempDir Path tmp;
    /** Four files whose images fail to read (bad magic): a command that reads them exits with 3, not 2. */
    static Path unreadable, good, run;

    @BeforeAll
    static void files() throws IOException {
        good = Generated.mnistDir(shared.resolve("good"), 200, 50);
        unreadable = Generated.mnistDir(shared.resolve("unreadable"), 20, 10);
        Files.write(unreadable.resolve(Mnist.TRAIN_IMAGES + ".gz"), Generated.gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 0}));
        run = shared.resolve("run");
        CliTest.run(0, "train", "--data", good.toString(), "--layers", "16", "--epochs", "1", "--backend", "cpu", "--no-plots",
                "--no-progress", "--out", run.toString());
    }

    static void assertOneLineNoTrace(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace or exception name: " + err);
        assertTrue(err.lines().count() <= 2, "one line (and a hint): " + err);
    }

    /** Each value outside its domain: exit 2 before the data (which would exit 3) is read. */
    @ParameterizedTest
    @ValueSource(strings = {"--batch 0", "--batch -3", "--epochs 0", "--lr 0", "--lr -1", "--lr NaN", "--lr Infinity", "--momentum 1",
            "--momentum NaN", "--dropout 1", "--dropout -0.1", "--layers 0", "--layers 128,x", "--activation swish", "--activation relu,relu,relu",
            "--init zeros", "--optimizer adagrad", "--weight-decay -1", "--preset big", "--limit 0", "--backend gpu", "--backend opencl:x", "--dataset cifar",
            "--checkpoint-every -1", "--frob", "--epochs x", "--seed 1.5", "--early-stopping 0", "--lr-schedule linear", "--layers 100000,100000"})
    void usageErrorsExitWith2BeforeLoadingData(String option) {
        List<String> args = new ArrayList<>(List.of("train", "--data", unreadable.toString(), "--out", tmp.resolve("out").toString()));
        args.addAll(Arrays.asList(option.split(" ")));
        String err = CliTest.runErr(2, args.toArray(new String[0]));
        assertTrue(err.startsWith("train: ") && err.contains("Try 'clmlp train --help'"), err);
        assertOneLineNoTrace(err);
        assertFalse(Files.exists(tmp.resolve("out").resolve("config.json")), "nothing written for " + option);
    }

    @Test
    void unwritableOutAndUnknownCommandsAreUsageErrors() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String err = CliTest.runErr(2, "train", "--data", unreadable.toString(), "--out", file.resolve("sub").toString());
        assertTrue(err.contains("--out " + file.resolve("sub")), err);
        assertOneLineNoTrace(err);
        assertTrue(CliTest.runErr(2, "frobnicate").contains("frobnicate"));
        assertTrue(CliTest.runErr(2, "train", "--resume", tmp.resolve("none").toString(), "--data", good.toString()).contains("no checkpoint"));
        assertTrue(CliTest.runErr(2, "predict", "--model", run.toString(), "--images", "0", "--data", unreadable.toString()).contains("--images"));
        assertTrue(CliTest.runErr(2, "evaluate", "--model", tmp.toString(), "--data", good.toString()).contains("missing config.json"));
    }

    @Test
    void malformedDataExitsWith3NamingTheFile() throws IOException {
        String err = CliTest.runErr(3, "train", "--data", unreadable.toString(), "--out", tmp.resolve("o").toString(), "--backend", "cpu");
        assertTrue(err.contains(Mnist.TRAIN_IMAGES + ".gz") && err.contains("wrong magic number"), err);
        assertOneLineNoTrace(err);

        Path cut = Generated.mnistDir(tmp.resolve("cut"), 50, 10);
        byte[] gz = Files.readAllBytes(cut.resolve(Mnist.TEST_IMAGES + ".gz"));
        Files.write(cut.resolve(Mnist.TEST_IMAGES + ".gz"), Arrays.copyOf(gz, gz.length / 2));
        err = CliTest.runErr(3, "evaluate", "--model", run.toString(), "--data", cut.toString(), "--backend", "cpu");
        assertTrue(err.contains(Mnist.TEST_IMAGES + ".gz") && err.contains("truncated gzip"), err);
        assertOneLineNoTrace(err);
    }

    @Test
    void aConfigWithAMissingOrWrongFieldExitsWith3NamingIt() throws IOException {
        Path model = copyRun("config");
        String config = Files.readString(model.resolve("config.json"));
        Files.writeString(model.resolve("config.json"), config.replaceFirst("\"units\": 128|\"units\": 16", "\"unit\": 16"));
        String err = CliTest.runErr(3, "evaluate", "--model", model.toString(), "--data", good.toString(), "--backend", "cpu");
        assertTrue(err.contains(model.resolve("config.json").toString()) && err.contains("field 'layers[0].units' is missing"), err);
        Files.writeString(model.resolve("config.json"), config.replace("\"learning_rate\": 0.01", "\"learning_rate\": \"fast\""));
        err = CliTest.runErr(3, "evaluate", "--model", model.toString(), "--data", good.toString(), "--backend", "cpu");
        assertTrue(err.contains("field 'optimizer.learning_rate': expected a finite number, found \"fast\""), err);
        assertOneLineNoTrace(err);
    }

    @Test
    void weightsWithNaNAreRefusedNamingTheTensor() throws IOException {
        Path model = copyRun("nan");
        byte[] w = Files.readAllBytes(model.resolve("model.safetensors"));
        long header = ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putFloat((int) (8 + header + 4 * 5), Float.NaN); // dense.kernel[5]
        Files.write(model.resolve("model.safetensors"), w);
        String err = CliTest.runErr(3, "predict", "--model", model.toString(), "--data", good.toString(), "--backend", "cpu");
        assertTrue(err.contains("tensor 'dense.kernel' holds NaN at element 5"), err);
        assertOneLineNoTrace(err);
    }

    @Test
    void divergenceExitsWith4NamingEpochAndStepsAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path out = tmp.resolve("diverged");
        String err = CliTest.runErr(4, "train", "--data", good.toString(), "--layers", "16", "--lr", "1e7", "--batch", "10",
                "--checkpoint-every", "1", "--backend", "cpu", "--no-progress", "--out", out.toString());
        assertTrue(err.matches("(?s).*training diverged in epoch 1, steps? [0-9-]+ of 20: .*"), err);
        assertTrue(err.contains("the last good checkpoint is kept: " + out.resolve("checkpoint-")), err);
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        for (Path c : dev.clmlp.nn.Checkpoint.list(out))
            for (float v : dev.clmlp.nn.Checkpoint.read(c).state().params()) assertTrue(Float.isFinite(v), c.toString());
    }

    private Path copyRun(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : new String[] {"config.json", "model.safetensors"}) Files.copy(run.resolve(f), dir.resolve(f));
        return dir;
    }
}
