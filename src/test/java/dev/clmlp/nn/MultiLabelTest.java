package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.onnx.OnnxExport;
import dev.clmlp.onnx.OnnxExportTest;
import dev.clmlp.optim.Adam;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three independent 0/1 labels of three features (x0 > 0, x1 + x2 > 0, x0 x1 > 0): a sigmoid last
 * layer with binary cross-entropy learns each; its accuracy is Keras' binary_accuracy; the two
 * backends train the same model; save, load and ONNX Runtime keep it.
 */
class MultiLabelTest {
    @TempDir Path tmp;

    static Dataset labels(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3], y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = (float) r.nextGaussian();
            y[i * 3] = x[i * 3] > 0 ? 1 : 0;
            y[i * 3 + 1] = x[i * 3 + 1] + x[i * 3 + 2] > 0 ? 1 : 0;
            y[i * 3 + 2] = x[i * 3] * x[i * 3 + 1] > 0 ? 1 : 0;
        }
        return Dataset.ofTargets("labels", x, n, 3, y, 3);
    }

    static Sequential model() { return new Sequential(3, new Dense(32, "tanh"), new Dense(3, "sigmoid")); }

    @Test
    void eachLabelIsLearnedAndTheAccuracyIsPerOutput() {
        Dataset train = labels(2000, 1), val = labels(500, 2);
        try (Sequential m = model()) {
            assertTrue(m.multiLabel());
            assertEquals("binary_crossentropy", m.loss());
            m.compile(TestBackends.cpu(), new Adam(0.01f), 3);
            History h = m.fit(train, val, new FitOptions(20, 32, 3), null);
            double[] ev = m.evaluate(val);
            float[] p = m.predict(val), t = val.targets();
            int right = 0;
            for (int i = 0; i < p.length; i++) if ((p[i] > 0.5f) == (t[i] > 0.5f)) right++;
            System.out.printf(java.util.Locale.ROOT, "three labels: val loss %.4f, binary accuracy %.4f%n", ev[0], ev[1]);
            assertEquals(right / (double) p.length, ev[1], 1e-12, "binary accuracy over every output");
            assertEquals(ev[1], h.last().valAccuracy(), 1e-12);
            assertTrue(ev[1] > 0.95, "accuracy " + ev[1]);
            assertTrue(h.last().loss() < h.epochs().get(0).loss());
        }
    }

    @Test
    void bothBackendsTrainItAndItSurvivesSaveLoadAndOnnx() throws Exception {
        Dataset train = labels(600, 4);
        float[][] w = new float[2][];
        Backend[] backends = {TestBackends.cpu(), TestBackends.opencl()};
        for (int b = 0; b < 2; b++) {
            try (Sequential m = model()) {
                m.compile(backends[b], new Adam(0.01f), 9);
                m.fit(train, train, new FitOptions(3, 32, 9), null);
                w[b] = m.weights(0);
                if (b == 0) m.save(tmp.resolve("m"));
            }
        }
        for (int i = 0; i < w[0].length; i++) assertEquals(w[0][i], w[1][i], 1e-4, "weight " + i);
        try (Sequential m = Sequential.load(tmp.resolve("m"), TestBackends.cpu())) {
            assertTrue(m.multiLabel());
            assertArrayEquals(w[0], m.weights(0));
            Path file = tmp.resolve("labels.onnx");
            OnnxExport.write(m, file);
            float[] own = m.predict(train), ort = OnnxExportTest.onnxRuntime(file, train);
            double worst = 0;
            for (int i = 0; i < own.length; i++) worst = Math.max(worst, Math.abs(own[i] - ort[i]));
            assertTrue(worst <= 1e-5, "ONNX Runtime differs by " + worst);
        }
    }

    /** Two named classes (x0 + x1 > 0), as labels: what Keras' Dense(1, "sigmoid") with binary cross-entropy learns. */
    static Dataset twoClasses(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) r.nextGaussian();
            x[2 * i + 1] = (float) r.nextGaussian();
            y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
        }
        return Dataset.ofFloats("two classes", x, n, 2, y, 2).withClassNames(java.util.List.of("no", "yes"));
    }

    static Sequential binaryModel() { return new Sequential(2, new Dense(16, "tanh"), new Dense(1, "sigmoid")); }

    @Test
    void oneSigmoidOutputIsABinaryClassifier() throws Exception {
        Dataset train = twoClasses(800, 5), val = twoClasses(300, 6);
        try (Sequential m = binaryModel()) {
            assertTrue(m.binary() && !m.multiLabel() && !m.usesTargets());
            assertEquals(2, m.classes());
            m.compile(TestBackends.cpu(), new Adam(0.02f), 7);
            History h = m.fit(train, val, new FitOptions(8, 32, 7), null);
            float[] p = m.predict(val);
            int[] cls = m.predictClasses(val);
            int right = 0;
            for (int r = 0; r < val.rows(); r++) {
                assertEquals(1f, p[2 * r] + p[2 * r + 1], 1e-6f, "row " + r + ": 1 - p and p");
                assertEquals(p[2 * r + 1] > p[2 * r] ? 1 : 0, cls[r]);
                if (cls[r] == val.label(r)) right++;
            }
            double[] ev = m.evaluate(val);
            assertEquals(right / (double) val.rows(), ev[1], 1e-12, "evaluate's accuracy is the predicted classes'");
            assertEquals(ev[1], h.last().valAccuracy(), 1e-12);
            assertTrue(ev[1] > 0.95, "accuracy " + ev[1]);
            assertEquals(java.util.List.of("no", "yes"), m.classNames());
            assertThrows(IllegalArgumentException.class, () -> m.classWeights(new float[] {1, 2}));
            Dataset three = Dataset.ofFloats("three", new float[] {0, 0, 1, 1, 2, 2}, 3, 2, new int[] {0, 1, 2}, 3);
            assertThrows(IllegalArgumentException.class, () -> m.fit(three, null, new FitOptions(1, 32, 1), null));
            m.save(tmp.resolve("binary"));
        }
        try (Sequential m = Sequential.load(tmp.resolve("binary"), TestBackends.cpu())) {
            assertTrue(m.binary());
            assertEquals("yes", m.className(1));
            Path file = tmp.resolve("binary.onnx");
            OnnxExport.write(m, file);
            float[] own = m.predict(val), ort = OnnxExportTest.onnxRuntime(file, val);
            assertEquals(own.length, ort.length, "both classes' probabilities from the graph");
            double worst = 0;
            for (int i = 0; i < own.length; i++) worst = Math.max(worst, Math.abs(own[i] - ort[i]));
            assertTrue(worst <= 1e-5, "ONNX Runtime differs by " + worst);
        }
        float[][] w = new float[2][];
        Backend[] backends = {TestBackends.cpu(), TestBackends.opencl()};
        for (int b = 0; b < 2; b++) {
            try (Sequential m = binaryModel()) {
                m.compile(backends[b], new Adam(0.02f), 7);
                m.fit(train, null, new FitOptions(2, 32, 7), null);
                w[b] = m.weights(0);
            }
        }
        for (int i = 0; i < w[0].length; i++) assertEquals(w[0][i], w[1][i], 1e-4, "weight " + i + ", Java and OpenCL backends");
    }
}
