package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keras' EarlyStopping and ModelCheckpoint: when they act, and that the weights they keep are the right ones. */
class EarlyStoppingTest {
    @TempDir Path tmp;

    static Sequential compiled() {
        Sequential m = new Sequential(4, new Dense(3, "relu"), new Dense(2, "softmax"));
        m.compile(TestBackends.cpu(), new Sgd(0.1f), 1);
        return m;
    }

    static History.Epoch epoch(int n, double valLoss) { return new History.Epoch(n, 1, 0.5, valLoss, 0.5, 0.1); }

    static float[] filled(Sequential m, float v) {
        float[] w = new float[(int) m.parameterCount()];
        java.util.Arrays.fill(w, v);
        return w;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBestEpochsWeights() {
        try (Sequential m = compiled()) {
            EarlyStopping es = new EarlyStopping(new Monitor("val_loss", 0.0), 2, true);
            double[] valLoss = {1.0, 0.8, 0.9, 0.95, 0.7};
            for (int e = 1; e <= 4; e++) {
                m.setParameterValues(filled(m, e)); // the weights "after epoch e"
                es.epochEnded(epoch(e, valLoss[e - 1]), m);
                assertEquals(e == 4, es.stopRequested(), "stop requested after epoch " + e);
            }
            assertEquals(2, es.bestEpoch());
            assertEquals(4, es.stoppedEpoch());
            es.trainingEnded(m);
            assertArrayEquals(filled(m, 2), m.parameterValues(), "the weights of epoch 2, the best");
        }
    }

    @Test
    void minDeltaAndAccuracyImproveUpwardsAndNaNNeverImproves() {
        Monitor acc = new Monitor("val_accuracy", 0.01);
        assertTrue(acc.improves(0.5, Double.NaN));
        assertTrue(acc.improves(0.52, 0.5));
        assertFalse(acc.improves(0.505, 0.5), "within minDelta");
        assertFalse(new Monitor("val_loss", 0).improves(Double.NaN, 1.0), "no validation data: never an improvement");
        assertThrows(IllegalArgumentException.class, () -> new Monitor("val_f1", 0));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(new Monitor("loss", 0), 0, false));
    }

    /** In a real fit: a loss that cannot improve by 10 stops training after epoch 1 + patience, with epoch 1's weights. */
    @Test
    void inAFitItStopsEarlyAndLeavesTheBestWeights() {
        Dataset train = Generated.digits(200, 12, 3), test = Generated.digits(50, 12, 4);
        List<float[]> epochEnds = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override public void checkpoint(TrainingState s) { if (s.step() == 0) epochEnds.add(s.params()); }
        };
        EarlyStopping es = new EarlyStopping(new Monitor("loss", 10), 2, true);
        try (Sequential m = new Sequential(144, new Dense(16, "relu"), new Dense(10, "softmax"))) {
            m.compile(TestBackends.cpu(), new Sgd(0.05f), 3);
            History h = m.fit(train, test, new FitOptions(10, 20, 3), TrainingListener.of(recorder, es));
            assertEquals(3, h.epochs().size(), "epoch 1 is the best; 2 and 3 do not improve by 10; stop");
            assertEquals(3, es.stoppedEpoch());
            assertArrayEquals(epochEnds.get(0), m.parameterValues(), "epoch 1's weights restored");
            assertFalse(java.util.Arrays.equals(epochEnds.get(2), m.parameterValues()));
        }
    }

    @Test
    void modelCheckpointSavesOnlyImprovingEpochsWithSaveBestOnly() throws Exception {
        try (Sequential m = compiled()) {
            Path dir = tmp.resolve("best");
            ModelCheckpoint mc = new ModelCheckpoint(dir, new Monitor("val_loss", 0), true);
            double[] valLoss = {1.0, 0.8, 0.9};
            for (int e = 1; e <= 3; e++) {
                m.setParameterValues(filled(m, e));
                mc.epochEnded(epoch(e, valLoss[e - 1]), m);
            }
            assertEquals(2, mc.savedEpoch());
            try (Sequential best = Sequential.load(dir, TestBackends.cpu())) {
                assertArrayEquals(filled(m, 2), best.parameterValues(), "the saved model is epoch 2's");
            }
        }
    }
}
