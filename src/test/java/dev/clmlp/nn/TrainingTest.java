package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.data.Mnist;
import dev.clmlp.optim.Adam;
import dev.clmlp.optim.Optimizer;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingTest {
    static Sequential scratch() {
        return new Sequential(784, new Dense(128, "relu", Dense.HE_NORMAL), new Dense(64, "relu", Dense.HE_NORMAL),
                new Dense(10, "softmax", Dense.HE_NORMAL));
    }

    static Sequential keras() { return SequentialTest.kerasNotebook(); }

    /** 5,000 real training images when MNIST_DIR is set (as in CI), else generated ones; 1,000 test images. */
    static Dataset[] shortRunData() throws IOException {
        Path real = Generated.realMnist();
        if (real == null) return new Dataset[] {Generated.digits(5000, 28, 1), Generated.digits(1000, 28, 2)};
        Mnist.Split s = Mnist.read(real);
        return new Dataset[] {s.train().head(5000), s.test().head(1000)};
    }

    @Test
    void smallGeneratedProblemIsLearnedOnBothBackends() {
        Dataset train = Generated.digits(2000, 12, 3), test = Generated.digits(500, 12, 4);
        for (Backend b : TestBackends.all()) {
            try (Sequential m = new Sequential(144, new Dense(32, "tanh"), new Dropout(0.1f), new Dense(10, "softmax"))) {
                m.compile(b, new Adam(0.01f), 5);
                History h = m.fit(train, test, new FitOptions(4, 50, 5), null);
                assertEquals(4, h.epochs().size());
                assertTrue(h.last().valAccuracy() >= 0.95, b.name() + ": accuracy " + h.last().valAccuracy() + "\n" + h.toCsv());
                assertTrue(h.last().loss() < h.epochs().get(0).loss(), b.name() + ": loss must fall\n" + h.toCsv());
                assertEquals(h.last().valAccuracy(), m.evaluate(test)[1], 1e-9, "evaluate agrees with fit's validation");
                int[] classes = m.predictClasses(test);
                int right = 0;
                for (int i = 0; i < classes.length; i++) if (classes[i] == test.label(i)) right++;
                assertEquals(h.last().valAccuracy(), right / (double) test.rows(), 1e-9, "predictClasses agrees with evaluate");
            }
        }
    }

    /** The same 2-epoch run on both backends ends with weights that agree to 1e-5 (absolute; weights are ~0.1). */
    @Test
    void cpuAndOpenClEndWithTheSameWeights() throws IOException {
        Dataset[] d = shortRunData();
        check(TrainingTest::scratch, () -> new Sgd(0.01f), 64, d, new int[] {0, 1, 2});
        check(TrainingTest::keras, () -> new Adam(0.001f), 32, d, new int[] {0, 1, 3});
    }

    private static void check(Supplier<Sequential> model, Supplier<Optimizer> opt, int batch, Dataset[] d, int[] dense) {
        try (Sequential cpu = model.get(); Sequential cl = model.get()) {
            cpu.compile(TestBackends.cpu(), opt.get(), 42);
            cl.compile(TestBackends.opencl(), opt.get(), 42);
            History hc = cpu.fit(d[0], d[1], new FitOptions(2, batch, 7), null);
            History ho = cl.fit(d[0], d[1], new FitOptions(2, batch, 7), null);
            double maxDiff = 0;
            for (int layer : dense) {
                float[] a = cpu.weights(layer), b = cl.weights(layer);
                for (int i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                float[] ba = cpu.bias(layer), bb = cl.bias(layer);
                for (int i = 0; i < ba.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ba[i] - bb[i]));
            }
            System.out.printf("%s, 2 epochs on %d examples: max |w_cpu - w_opencl| = %.3g%n", cpu.optimizer().name(), d[0].rows(), maxDiff);
            assertTrue(maxDiff < 1e-5, cpu.optimizer().name() + ": max |w_cpu - w_opencl| = " + maxDiff);
            assertEquals(hc.last().valAccuracy(), ho.last().valAccuracy(), 0.003, "validation accuracy");
            assertEquals(hc.last().loss(), ho.last().loss(), 1e-4, "training loss");
        }
    }

    @Test
    void sameSeedGivesBitIdenticalTrainingOnEachBackend() {
        Dataset train = Generated.digits(300, 28, 6);
        for (Backend b : TestBackends.all()) {
            float[][] w = new float[2][];
            History[] h = new History[2];
            for (int run = 0; run < 2; run++) {
                try (Sequential m = keras()) {
                    m.compile(b, new Adam(0.001f), 11);
                    h[run] = m.fit(train, null, new FitOptions(2, 32, 3), null);
                    w[run] = m.weights(1);
                }
            }
            assertArrayEquals(w[0], w[1], b.name() + ": weights after identical runs");
            assertEquals(h[0].last().loss(), h[1].last().loss(), 0.0, b.name() + ": loss after identical runs");
        }
    }

    @Test
    void lastPartialBatchIsUsedAndShufflingDependsOnTheSeed() {
        Dataset train = Generated.digits(70, 28, 8); // batches of 32: 32, 32, 6
        try (Sequential a = scratch(); Sequential b = scratch(); Sequential c = scratch()) {
            for (Sequential m : new Sequential[] {a, b, c}) m.compile(TestBackends.cpu(), new Sgd(0.05f), 1);
            a.fit(train, null, new FitOptions(1, 32, 1), null);
            b.fit(train.head(64), null, new FitOptions(1, 32, 1), null);
            c.fit(train, null, new FitOptions(1, 32, 2), null);
            float[] wa = a.bias(2), wb = b.bias(2), wc = c.bias(2);
            assertTrue(!java.util.Arrays.equals(wa, wb), "70 examples must train differently from their first 64");
            assertTrue(!java.util.Arrays.equals(wa, wc), "another shuffle seed must give another order");
        }
    }
}
