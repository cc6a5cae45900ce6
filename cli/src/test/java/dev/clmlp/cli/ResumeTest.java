package dev.clmlp.cli;

import dev.clmlp.data.Generated;
import dev.clmlp.nn.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real `clmlp train` child process killed (SIGKILL) or stopped (SIGTERM) in the middle of an
 * epoch, then resumed: the weights equal an uninterrupted run's on the same backend byte for
 * byte, on the Java backend and on the OpenCL device.
 */
class ResumeTest {
    @TempDir static Path shared;
    @TempDir Path tmp;
    static Path data, reference, referenceOpenCl;

    /** 2,000 images, batch 8: 250 steps an epoch, a checkpoint every 10 steps (each one fsynced: a run of a few seconds). */
    static final List<String> ARGS = List.of("--layers", "64", "--batch", "8", "--epochs", "4", "--checkpoint-every", "10",
            "--no-plots", "--no-progress");
    static final int STEPS = 250;

    @BeforeAll
    static void uninterruptedRuns() throws IOException {
        data = Generated.mnistDir(shared.resolve("data"), 2000, 100);
        reference = shared.resolve("reference");
        CliTest.run(0, args("--out", reference.toString()));
        if (!"1".equals(System.getenv("CLMLP_SKIP_OPENCL"))) {
            referenceOpenCl = shared.resolve("reference-opencl");
            CliTest.run(0, args("--out", referenceOpenCl.toString(), "--backend", "opencl:0"));
        }
    }

    /** train on the generated data with ARGS, on the CPU backend unless more names another. */
    static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString()));
        if (!List.of(more).contains("--backend")) a.addAll(List.of("--backend", "cpu"));
        a.addAll(ARGS);
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** `java -cp <the test class path> dev.clmlp.cli.Main train ...`, its output in log. */
    static Process child(Path out, Path log, String backend) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args("--out", out.toString(), "--backend", backend)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until out holds a checkpoint in the middle of epoch 2 or later; true if the child was still running then. */
    static boolean awaitMidEpochCheckpoint(Process p, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            for (Path c : Checkpoint.list(out)) {
                long step = Long.parseLong(c.getFileName().toString().replaceAll("[^0-9]", ""));
                if (step > STEPS && step % STEPS != 0) return p.isAlive();
            }
            Thread.sleep(1);
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl:0"})
    void killedMidEpochAndResumedEndsWithTheSameWeights(String backend) throws Exception {
        Path expected = backend.equals("cpu") ? reference : referenceOpenCl;
        assumeTrue(expected != null, "CLMLP_SKIP_OPENCL=1");
        Path out = tmp.resolve("killed");
        Process p = child(out, tmp.resolve("log"), backend);
        assertTrue(awaitMidEpochCheckpoint(p, out), "the child should still be training: " + Files.readString(tmp.resolve("log")));
        p.destroyForcibly().waitFor(); // SIGKILL: no hook, no cleanup
        assertFalse(Files.exists(out.resolve("model.safetensors")), "killed before the end");
        String resumed = CliTest.run(0, "train", "--resume", out.toString(), "--data", data.toString(), "--backend", backend, "--no-progress");
        assertTrue(resumed.contains("resuming " + out), resumed);
        assertArrayEquals(Files.readAllBytes(expected.resolve("model.safetensors")), Files.readAllBytes(out.resolve("model.safetensors")),
                backend + ": weights after kill -9 and --resume");
        assertEquals(history(expected), history(out));
    }

    @Test
    void sigtermStopsAtAStepWithACheckpointAndSaysHowToResume() throws Exception {
        Path out = tmp.resolve("stopped"), log = tmp.resolve("log");
        Process p = child(out, log, "cpu");
        assertTrue(awaitMidEpochCheckpoint(p, out), "the child should still be training: " + Files.readString(log));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String said = Files.readString(log);
        assertEquals(143, p.exitValue(), said);
        assertTrue(said.contains("resume with: ./clmlp train --resume " + out), said);
        assertFalse(Files.exists(out.resolve("model.safetensors")), said);
        CliTest.run(0, "train", "--resume", out.toString(), "--data", data.toString(), "--backend", "cpu", "--no-progress");
        assertArrayEquals(Files.readAllBytes(reference.resolve("model.safetensors")), Files.readAllBytes(out.resolve("model.safetensors")),
                "weights after SIGTERM and --resume");
    }

    /** history.csv without the seconds column. */
    static List<String> history(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("history.csv")).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void aRunDirectoryBelongsToOneRun() throws Exception {
        Path out = tmp.resolve("taken");
        try (RunDirectory held = RunDirectory.claim(out, false, false)) {
            String err = CliTest.runErr(2, args("--out", out.toString()));
            assertTrue(err.contains("in use by another clmlp run"), err);
        }
        CliTest.run(0, args("--out", out.toString()));
        String err = CliTest.runErr(2, args("--out", out.toString()));
        assertTrue(err.contains("already holds a run") && err.contains("--overwrite"), err);
        CliTest.run(0, args("--out", out.toString(), "--overwrite"));
        err = CliTest.runErr(2, "train", "--resume", out.toString(), "--lr", "0.5", "--data", data.toString());
        assertTrue(err.contains("--lr cannot change it"), err);
    }

    @Test
    void outputFilesGetTheUsersNormalPermissions() throws Exception {
        Path probe = Files.createFile(tmp.resolve("probe")); // created with the umask, as any program's files
        String normal = PosixFilePermissions.toString(Files.getPosixFilePermissions(probe));
        for (String f : new String[] {"config.json", "history.csv", "model.safetensors"})
            assertEquals(normal, PosixFilePermissions.toString(Files.getPosixFilePermissions(reference.resolve(f))), f);
        for (Path c : Checkpoint.list(reference))
            assertEquals(normal, PosixFilePermissions.toString(Files.getPosixFilePermissions(c)), c.toString());
    }
}
