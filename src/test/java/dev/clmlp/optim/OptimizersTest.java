package dev.clmlp.optim;

import com.google.gson.JsonObject;
import dev.clmlp.data.Dataset;
import dev.clmlp.io.JsonFields;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Sequential;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RMSprop, AdamW and weight decay in training: each learns, the two backends agree, the
 * configuration round-trips, and weight decay shrinks the weights it is given.
 */
class OptimizersTest {
    /** Two noisy classes on either side of a line through three features. */
    static Dataset line(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = (float) r.nextGaussian();
            y[i] = x[i * 3] + 0.5 * x[i * 3 + 1] + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
        }
        return Dataset.ofFloats("line", x, n, 3, y, 2);
    }

    static float[] train(Backend b, Optimizer opt, Dataset d, History[] out) {
        try (Sequential m = new Sequential(3, new Dense(16, "relu"), new Dense(2, "softmax"))) {
            m.compile(b, opt, 5);
            out[0] = m.fit(d, d, new FitOptions(8, 32, 5), null);
            return m.weights(0);
        }
    }

    @Test
    void rmspropAdamwAndWeightDecayLearnAndAgreeAcrossBackends() {
        Dataset d = line(800, 1);
        for (String name : new String[] {"rmsprop", "adamw"}) {
            History[] cpu = new History[1], cl = new History[1];
            float[] wc = train(TestBackends.cpu(), Optimizer.named(name, 0.01f, 0f), d, cpu);
            float[] wo = train(TestBackends.opencl(), Optimizer.named(name, 0.01f, 0f), d, cl);
            assertTrue(cpu[0].last().valAccuracy() > 0.9, name + " learns: " + cpu[0].last().valAccuracy());
            for (int i = 0; i < wc.length; i++) assertEquals(wc[i], wo[i], 1e-4, name + ": weight " + i + " on both backends");
        }
    }

    @Test
    void weightDecayShrinksTheWeights() {
        Dataset d = line(400, 2);
        History[] h = new History[1];
        double plain = norm(train(TestBackends.cpu(), new Sgd(0.05f), d, h));
        double decayed = norm(train(TestBackends.cpu(), new Sgd(0.05f).withWeightDecay(0.5f), d, h));
        assertTrue(decayed < 0.9 * plain, "weight decay 0.5: |w| " + decayed + " against " + plain + " without");
    }

    static double norm(float[] w) {
        double s = 0;
        for (float v : w) s += (double) v * v;
        return Math.sqrt(s);
    }

    @Test
    void theConfigurationRoundTrips() {
        for (Optimizer o : new Optimizer[] {Optimizer.named("adamw", 0.002f, 0f), new Rmsprop(0.01f, 0.8f, 1e-6f).withWeightDecay(0.01f), new Sgd(0.1f, 0.9f)}) {
            JsonObject c = o.config();
            assertEquals(c, Optimizer.fromConfig(new JsonFields(c, "optimizer")).config(), c.toString());
        }
        assertEquals(0.004f, ((JsonObject) Optimizer.named("AdamW", 0.001f, 0f).config()).get("weight_decay").getAsFloat());
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1f).withWeightDecay(-1f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1f).withWeightDecay(10f), "decay x lr must stay below 1");
    }
}
