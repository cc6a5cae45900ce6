package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.io.DataFileException;
import dev.clmlp.optim.Adam;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training states: saved, damaged, read back, and resumed from to the same weights bit for bit. */
class CheckpointTest {
    @TempDir Path tmp;

    static final Dataset TRAIN = Generated.digits(300, 12, 3), TEST = Generated.digits(80, 12, 4);

    /** Dense-dropout-dense with Adam: optimizer moments, the Adam step and the dropout stream all matter. */
    static Sequential model() {
        return new Sequential(144, new Dense(24, "relu"), new Dropout(0.2f), new Dense(16, "sigmoid"), new Dense(10, "softmax"));
    }

    /** Collects every state fit hands out (300 rows, batch 32: 10 steps an epoch, a state every 4 steps and at each epoch's end). */
    static final class Recorder implements TrainingListener {
        final List<TrainingState> states = new ArrayList<>();
        int stopAfter = -1, steps;

        @Override public void checkpoint(TrainingState s) { states.add(s); }

        @Override public void stepDone(int epoch, int step) { steps++; }

        @Override public boolean stopRequested() { return steps == stopAfter; }
    }

    static final FitOptions OPTS = new FitOptions(3, 32, 7, 0, 4);

    /** Adam on a cosine schedule over the 30 updates: the rate depends on the restored update count. */
    static Adam adam() { return (Adam) new Adam(0.01f).withSchedule(new dev.clmlp.optim.Schedule.Cosine(30, 0.1)); }

    @Test
    void resumingFromAnyStateEndsWithTheUninterruptedWeightsOnEachBackend() throws IOException {
        for (Backend b : TestBackends.all()) {
            Recorder full = new Recorder();
            float[] expected;
            History reference;
            try (Sequential m = model()) {
                m.compile(b, adam(), 11);
                reference = m.fit(TRAIN, TEST, OPTS, full);
                expected = m.weights(0);
            }
            assertEquals(3 * 2 + 3, full.states.size(), "states at steps 4 and 8 of each epoch and at each end");
            for (int i : new int[] {1, 3, 6}) { // mid-epoch 1, the end of epoch 1, mid-epoch 3
                Path dir = tmp.resolve(b.name().replace(':', '-') + "-" + i);
                Checkpoint.write(dir, "{}", "{}", full.states.get(i));
                TrainingState s = Checkpoint.latest(dir, msg -> { throw new AssertionError(msg); }).orElseThrow().state();
                try (Sequential m = model()) {
                    m.compile(b, adam(), 11);
                    History h = m.fit(TRAIN, TEST, OPTS, null, s);
                    assertArrayEquals(expected, m.weights(0), 0f, b.name() + ": weights after resuming from state " + i);
                    for (int e = 0; e < 3; e++) {
                        History.Epoch x = reference.epochs().get(e), y = h.epochs().get(e);
                        assertEquals(x.loss(), y.loss(), 0, "loss of epoch " + (e + 1));
                        assertEquals(x.valAccuracy(), y.valAccuracy(), 0, "val_accuracy of epoch " + (e + 1));
                    }
                }
            }
        }
    }

    @Test
    void aStopRequestEndsFitAtThatStepWithAState() {
        Recorder r = new Recorder();
        r.stopAfter = 13; // step 3 of epoch 2
        try (Sequential m = model()) {
            m.compile(TestBackends.cpu(), new Adam(0.01f), 11);
            History h = m.fit(TRAIN, TEST, OPTS, r);
            assertEquals(1, h.epochs().size());
            TrainingState last = r.states.get(r.states.size() - 1);
            assertEquals(2, last.epoch());
            assertEquals(3, last.step());
            assertEquals(13, last.globalStep());
            assertEquals(13, last.optimizerSteps());
        }
    }

    @Test
    void onlyTheNewestTwoAreKeptAndADamagedNewestFallsBackToThePreviousOne() throws IOException {
        Recorder r = new Recorder();
        try (Sequential m = model()) {
            m.compile(TestBackends.cpu(), new Adam(0.01f), 11);
            m.fit(TRAIN, TEST, OPTS, r);
        }
        for (TrainingState s : r.states.subList(0, 4)) Checkpoint.write(tmp, "{\"m\": 1}", "{\"r\": 2}", s);
        List<Path> files = Checkpoint.list(tmp);
        assertEquals(2, files.size(), "kept: " + files);
        assertTrue(files.get(0).getFileName().toString().contains("000000000014"), files.toString()); // state 3: step 4 of epoch 2
        Checkpoint.Loaded newest = Checkpoint.read(files.get(0));
        assertEquals("{\"m\": 1}", newest.modelConfig());
        assertEquals("{\"r\": 2}", newest.run());
        assertArrayEquals(r.states.get(3).params(), newest.state().params(), 0f);

        byte[] bytes = Files.readAllBytes(files.get(0));
        byte[] flipped = bytes.clone();
        flipped[bytes.length - 100] ^= 1; // one bit of the data
        Files.write(files.get(0), flipped);
        List<String> warnings = new ArrayList<>();
        Checkpoint.Loaded fallback = Checkpoint.latest(tmp, warnings::add).orElseThrow();
        assertEquals(files.get(1), fallback.file());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains(files.get(0).toString()) && warnings.get(0).contains("checksum mismatch"), warnings.get(0));

        Files.write(files.get(0), Arrays.copyOf(bytes, bytes.length / 2)); // truncated, as by a crash mid-write without the rename
        DataFileException e = assertThrows(DataFileException.class, () -> Checkpoint.read(files.get(0)));
        assertTrue(e.getMessage().startsWith(files.get(0).toString()), e.getMessage());
        assertEquals(files.get(1), Checkpoint.latest(tmp, w -> { }).orElseThrow().file());
    }

    @Test
    void divergenceNamesTheEpochStepAndTensorAndNoBadStateIsHandedOut() {
        for (Backend b : TestBackends.all()) {
            Recorder r = new Recorder();
            try (Sequential m = new Sequential(144, new Dense(24, "relu"), new Dense(10, "softmax"))) {
                m.compile(b, new Sgd(1e7f), 11);
                TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                        () -> m.fit(TRAIN, TEST, new FitOptions(3, 32, 7, 0, 2), r));
                assertEquals(1, e.epoch());
                assertTrue(e.firstStep() >= 1 && e.lastStep() >= e.firstStep() && e.lastStep() <= 10, e.getMessage());
                assertTrue(e.getMessage().matches("training diverged in epoch 1, steps? [0-9-]+ of 10: .*(loss is (NaN|Infinity)|dense(_1)?\\.(kernel|bias)).*"),
                        e.getMessage());
            }
            for (TrainingState s : r.states)
                for (float v : s.params()) assertTrue(Float.isFinite(v), b.name() + ": a state with non-finite weights was handed out");
        }
    }
}
