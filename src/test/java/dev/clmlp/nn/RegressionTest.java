package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Scaling;
import dev.clmlp.onnx.OnnxExport;
import dev.clmlp.optim.Adam;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A regression with two targets, y0 = sin(2 x0) + x1^2 and y1 = x0 x2 - x1: a linear last layer
 * and each of mse, mae and huber learns it; evaluate's R^2 is scikit-learn's, computed here from
 * predict; the Java and OpenCL backends train the same model; save and load keep the loss.
 */
class RegressionTest {
    @TempDir Path tmp;

    static Dataset waves(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3], y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = (float) (r.nextDouble() * 2 - 1);
            y[i * 2] = (float) (Math.sin(2 * x[i * 3]) + x[i * 3 + 1] * x[i * 3 + 1] + 0.05 * r.nextGaussian());
            y[i * 2 + 1] = (float) (x[i * 3] * x[i * 3 + 2] - x[i * 3 + 1] + 0.05 * r.nextGaussian());
        }
        return Dataset.ofTargets("waves", x, n, 3, y, 2);
    }

    static Sequential model() { return new Sequential(3, new Dense(32, "tanh"), new Dense(32, "tanh"), new Dense(2, "linear")); }

    /** scikit-learn's r2_score with multioutput='uniform_average', in float64. */
    static double r2(float[] pred, float[] t, int k) {
        int n = pred.length / k;
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double mean = 0, res = 0, tot = 0;
            for (int i = 0; i < n; i++) mean += t[i * k + j] / (double) n;
            for (int i = 0; i < n; i++) {
                res += Math.pow(pred[i * k + j] - t[i * k + j], 2);
                tot += Math.pow(t[i * k + j] - mean, 2);
            }
            sum += 1 - res / tot;
        }
        return sum / k;
    }

    @Test
    void eachLossLearnsTheTargetsAndEvaluateReportsScikitLearnsR2() {
        Dataset train = waves(2000, 1), val = waves(500, 2);
        for (String loss : new String[] {"mse", "mae", "huber"}) {
            try (Sequential m = model().loss(loss)) {
                assertTrue(m.regression());
                m.compile(TestBackends.cpu(), new Adam(0.01f), 3);
                History h = m.fit(train, val, new FitOptions(30, 32, 3), null);
                assertTrue(h.regression());
                History.Errors e = h.last().errors();
                assertNotNull(e);
                assertTrue(h.last().loss() < h.epochs().get(0).loss(), loss + ": the loss falls");
                double[] ev = m.evaluate(val);
                float[] pred = m.predict(val);
                double r2 = r2(pred, val.targets(), 2);
                System.out.printf(java.util.Locale.ROOT, "waves, %s: val loss %.4f, MAE %.4f, RMSE %.4f, R^2 %.4f%n", loss, ev[0], ev[1], ev[2], ev[3]);
                assertEquals(r2, ev[3], 1e-9, loss + ": evaluate's R^2 is r2_score of predict's outputs");
                assertEquals(e.valR2(), ev[3], 1e-9, loss + ": the history's last val_r2 is evaluate's");
                assertTrue(r2 > 0.9, loss + ": R^2 " + r2);
            }
        }
    }

    @Test
    void theJavaAndOpenClBackendsTrainTheSameRegression() {
        Dataset train = waves(600, 4), val = waves(200, 5);
        double[][] out = new double[2][];
        float[][] weights = new float[2][];
        Backend[] backends = {TestBackends.cpu(), TestBackends.opencl()};
        for (int b = 0; b < 2; b++) {
            try (Sequential m = model().loss("huber")) {
                m.compile(backends[b], new Adam(0.01f), 9);
                m.fit(train, val, new FitOptions(3, 32, 9), null);
                out[b] = m.evaluate(val);
                weights[b] = m.weights(0);
            }
        }
        for (int i = 0; i < 4; i++) assertEquals(out[0][i], out[1][i], 1e-3 * (1 + Math.abs(out[0][i])), "metric " + i);
        for (int i = 0; i < weights[0].length; i++) assertEquals(weights[0][i], weights[1][i], 1e-3, "weight " + i);
    }

    @Test
    void savedAndLoadedWithItsLossAndRunInOnnxRuntime() throws Exception {
        Dataset train = waves(400, 6);
        Path dir = tmp.resolve("m");
        float[] before;
        try (Sequential m = model().loss("mae")) {
            m.scaleInputs(Scaling.fit("standard", train));
            m.compile(TestBackends.cpu(), new Adam(0.01f), 1);
            m.fit(train, null, new FitOptions(2, 32, 1), null);
            before = m.predict(train);
            m.save(dir);
        }
        assertTrue(Files.readString(dir.resolve("config.json")).contains("\"loss\": \"mae\""));
        try (Sequential m = Sequential.load(dir, TestBackends.cpu())) {
            assertEquals("mae", m.loss());
            assertArrayEquals(before, m.predict(train));
            Path file = tmp.resolve("waves.onnx");
            OnnxExport.write(m, file);
            float[] ort = dev.clmlp.onnx.OnnxExportTest.onnxRuntime(file, train);
            double worst = 0;
            for (int i = 0; i < ort.length; i++) worst = Math.max(worst, Math.abs(ort[i] - before[i]));
            assertTrue(worst <= 1e-5, "ONNX Runtime's predictions differ by " + worst);
        }
    }

    /** waves' targets in other units: y0 * 500 + 3000 and y1 / 100 - 2. */
    static Dataset wavesInUnits(int n, long seed) {
        Dataset d = waves(n, seed);
        float[] t = d.targets();
        for (int i = 0; i < n; i++) {
            t[2 * i] = t[2 * i] * 500 + 3000;
            t[2 * i + 1] = t[2 * i + 1] / 100 - 2;
        }
        return d.withTargets(t);
    }

    /**
     * Targets thousands apart train on their standardised values: R^2 as on waves, MAE (train's
     * and validation's) and predict in the targets' own units, the same on both backends, kept by
     * save and load, and undone inside the ONNX graph too.
     */
    @Test
    void standardisedTargetsTrainOnTheirScaleAndPredictInTheirUnits() throws Exception {
        Dataset train = wavesInUnits(1000, 21), val = wavesInUnits(300, 22);
        double[] r2 = new double[2];
        for (int scaled = 0; scaled < 2; scaled++) {
            try (Sequential m = model()) {
                if (scaled == 1) m.scaleTargets(Scaling.fitTargets("standard", train));
                m.compile(TestBackends.cpu(), new Adam(0.01f), 5);
                History h = m.fit(train, val, new FitOptions(15, 32, 5), null);
                float[] pred = m.predict(val), t = val.targets();
                double[] ev = m.evaluate(val);
                r2[scaled] = r2(pred, t, 2);
                System.out.printf(java.util.Locale.ROOT, "waves in units, targets %s: val loss %.4f, MAE %.4f, R^2 %.4f, train MAE %.4f%n",
                        scaled == 1 ? "standardised" : "as they are", ev[0], ev[1], ev[3], h.last().errors().mae());
                if (scaled == 0) continue;
                double mae = 0;
                for (int i = 0; i < t.length; i++) mae += Math.abs((double) pred[i] - t[i]) / t.length;
                assertEquals(mae, ev[1], 1e-6 * mae, "evaluate's MAE is predict's, in the targets' units");
                assertEquals(r2[1], ev[3], 1e-9);
                assertEquals(ev[1], h.last().errors().valMae(), 1e-9);
                double trainMae = h.last().errors().mae();
                assertTrue(trainMae > ev[1] / 3 && trainMae < ev[1] * 3, "train MAE " + trainMae + " in the units of val MAE " + ev[1]);
                m.save(tmp.resolve("units"));
            }
        }
        assertTrue(r2[1] > 0.9 && r2[1] > r2[0] + 0.05, "R^2 standardised " + r2[1] + ", as they are " + r2[0]);
        assertTrue(Files.readString(tmp.resolve("units").resolve("config.json")).contains("\"target_scaling\""));
        try (Sequential m = Sequential.load(tmp.resolve("units"), TestBackends.cpu())) {
            assertNotNull(m.targetScaling());
            float[] own = m.predict(val);
            Path file = tmp.resolve("units.onnx");
            OnnxExport.write(m, file);
            float[] ort = dev.clmlp.onnx.OnnxExportTest.onnxRuntime(file, val);
            for (int i = 0; i < own.length; i++) assertEquals(own[i], ort[i], 1e-5 * (1 + Math.abs(own[i])), "ONNX Runtime, output " + i);
        }
        double[] trainMae = new double[2];
        Backend[] backends = {TestBackends.cpu(), TestBackends.opencl()};
        for (int b = 0; b < 2; b++) {
            try (Sequential m = model().scaleTargets(Scaling.fitTargets("standard", train))) {
                m.compile(backends[b], new Adam(0.01f), 6);
                trainMae[b] = m.fit(train, null, new FitOptions(2, 32, 6), null).last().errors().mae();
            }
        }
        assertEquals(trainMae[0], trainMae[1], 1e-3 * trainMae[0], "the train MAE in the targets' units, Java and OpenCL backends");
        assertThrows(IllegalArgumentException.class, () -> MultiLabelTest.binaryModel().scaleTargets(Scaling.fitTargets("standard", train)));
    }

    /** Plain arrays, arrays of rows and a buffer give what predict(Dataset) gives; a wrong width is one clear message. */
    @Test
    void plainNumbersPredictAsADatasetDoes() {
        Dataset d = waves(7, 11);
        try (Sequential m = model()) {
            m.scaleInputs(Scaling.fit("standard", d));
            m.compile(TestBackends.cpu(), new Adam(0.01f), 1);
            float[] x = new float[7 * 3];
            float[][] rows = new float[7][];
            for (int r = 0; r < 7; r++) {
                rows[r] = d.example(r);
                System.arraycopy(rows[r], 0, x, r * 3, 3);
            }
            float[] expected = m.predict(d);
            assertArrayEquals(expected, m.predict(x, 7));
            assertArrayEquals(expected, m.predict(rows));
            java.nio.FloatBuffer buf = java.nio.FloatBuffer.wrap(x);
            assertArrayEquals(expected, m.predict(buf, 7));
            assertEquals(0, buf.position(), "the buffer's position is left where it was");
            String msg = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[5], 2)).getMessage();
            assertEquals("predict: 5 floats for 2 rows, the model takes 3 features a row (6 floats)", msg);
            msg = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[][] {{1, 2, 3}, {1, 2}})).getMessage();
            assertEquals("predict: row 1 has 2 features, the model takes 3", msg);
        }
    }

    @Test
    void aClassifiersDataIsNotARegressionsAndTheLossMustFit() {
        try (Sequential m = model()) {
            m.compile(TestBackends.cpu(), new Adam(0.01f), 1);
            Dataset classes = Dataset.ofFloats("c", new float[6], 2, 3, new int[] {0, 1}, 2);
            String msg = assertThrows(IllegalArgumentException.class, () -> m.fit(classes, null, new FitOptions(1, 2, 1), null)).getMessage();
            assertTrue(msg.contains("has classes, the model takes targets"), msg);
            assertThrows(IllegalArgumentException.class, () -> m.loss("categorical_crossentropy"));
        }
        try (Sequential c = new Sequential(3, new Dense(2, "softmax"))) {
            assertThrows(IllegalArgumentException.class, () -> c.loss("mse"));
        }
    }
}
