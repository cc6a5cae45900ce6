package dev.clmlp.optim;

import com.google.gson.JsonParser;
import dev.clmlp.io.JsonFields;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Learning-rate schedules: their factors, the rates an optimizer applies, their config and their command-line form. */
class ScheduleTest {
    @Test
    void factorsFollowKerasStepAndCosineDecay() {
        Schedule step = new Schedule.Step(10, 0.5);
        assertEquals(1.0, step.factor(1));
        assertEquals(1.0, step.factor(10));
        assertEquals(0.5, step.factor(11));
        assertEquals(0.25, step.factor(21));
        Schedule cos = new Schedule.Cosine(100, 0.1);
        assertEquals(1.0, cos.factor(1), 1e-12);
        assertEquals(0.55, cos.factor(51), 1e-12, "halfway: alpha + (1 - alpha) / 2");
        assertEquals(0.1, cos.factor(101), 1e-12);
        assertEquals(0.1, cos.factor(500), 1e-12, "alpha after the decay");
        assertEquals(1.0, Schedule.CONSTANT.factor(12345));
    }

    /** p -= lr_t * g with g = 1: after five updates p = -(0.1 + 0.1 + 0.05 + 0.05 + 0.025), on each backend. */
    @Test
    void anOptimizerAppliesTheScheduledRate() {
        for (Backend b : TestBackends.both()) {
            Optimizer sgd = new Sgd(0.1f).withSchedule(new Schedule.Step(2, 0.5));
            sgd.attach(b, 1);
            try (Tensor p = b.zeros(1, 1); Tensor g = b.upload(new float[] {1f}, 1, 1)) {
                for (int t = 0; t < 5; t++) sgd.update(p, g);
                assertEquals(-0.325f, p.download()[0], 1e-6f, b.name());
            } finally {
                sgd.close();
            }
        }
    }

    @Test
    void theScheduleTravelsInTheOptimizersConfig() {
        Optimizer adam = new Adam(0.001f).withSchedule(new Schedule.Cosine(938, 0.05));
        Optimizer back = Optimizer.fromConfig(new JsonFields(JsonParser.parseString(adam.config().toString()).getAsJsonObject(), "optimizer"));
        assertEquals(adam.schedule(), back.schedule());
        assertEquals(adam.config().toString(), back.config().toString());
        assertFalse(new Sgd(0.1f).config().has("schedule"), "a constant rate writes no schedule (configs stay as they were)");
    }

    @Test
    void theCommandLineFormCountsEpochsInSteps() {
        assertEquals(new Schedule.Step(20, 0.5), Schedule.parse("step:2:0.5", 10, 1000));
        assertEquals(new Schedule.Cosine(1000, 0), Schedule.parse("cosine", 10, 1000));
        assertEquals(new Schedule.Cosine(1000, 0.1), Schedule.parse("cosine:0.1", 10, 1000));
        assertEquals(Schedule.CONSTANT, Schedule.parse("constant", 10, 1000));
        for (String bad : new String[] {"step:2", "step:x:0.5", "cosine:2", "linear", "step:0:0.5", "step:1:1.5"})
            assertThrows(IllegalArgumentException.class, () -> Schedule.parse(bad, 10, 1000), bad);
    }
}
