package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.io.Safetensors;
import dev.clmlp.optim.Adam;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialTest {
    @TempDir Path dir;

    static Sequential kerasNotebook() {
        return new Sequential(784, new Dense(128, "relu"), new Dense(24, "sigmoid"), new Dropout(0.1f), new Dense(10, "softmax"));
    }

    @Test
    void summaryShowsTheKerasNotebooksCounts() {
        String s = kerasNotebook().summary();
        for (String row : new String[] {"dense (Dense)", "(None, 128)", "100,480", "dense_1 (Dense)", "(None, 24)", "3,096",
                "dropout (Dropout)", "dense_2 (Dense)", "(None, 10)", "250", "Total params: 103,826"})
            assertTrue(s.contains(row), "summary lacks '" + row + "':\n" + s);
        assertTrue(s.matches("(?s).*dropout \\(Dropout\\)\\s+\\(None, 24\\)\\s+0\\n.*"), s);
        assertEquals(103_826, kerasNotebook().parameterCount());
        assertEquals(109_386, new Sequential(784, new Dense(128, "relu"), new Dense(64, "relu"), new Dense(10, "softmax")).parameterCount());
    }

    @Test
    void denseWidthsChainTheDenseLayersPastDropout() {
        try (Sequential keras = kerasNotebook(); Sequential scratch = Preset.SCRATCH.model()) {
            assertArrayEquals(new int[] {784, 128, 24, 10}, keras.denseWidths());
            assertArrayEquals(new int[] {784, 128, 64, 10}, scratch.denseWidths());
        }
    }

    @Test
    void configJsonRoundTripsToAnIdenticalModel() {
        try (Sequential m = kerasNotebook()) {
            m.compile(TestBackends.cpu(), new Adam(0.002f), 77);
            String json = m.toJson();
            Sequential.Config c = Sequential.fromJson(json);
            assertEquals(m.layers(), c.model().layers());
            assertEquals(784, c.model().inputSize());
            assertEquals(77L, c.seed());
            assertEquals(m.optimizer().config(), c.optimizer().config());
            try (Sequential again = c.model()) {
                again.compile(TestBackends.cpu(), c.optimizer(), c.seed());
                assertEquals(json, again.toJson());
                assertArrayEquals(m.weights(0), again.weights(0), "same seed, same initial weights");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Sequential.fromJson("{\"format\": \"other\"}"));
    }

    @Test
    void invalidModelsAreRejectedWithReasons() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(784, new Dense(10, "relu")));
        assertTrue(e.getMessage().contains("last layer must be Dense with softmax"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dense(10, "swish"));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
        assertThrows(IllegalArgumentException.class, () -> new Dense(0, "relu"));
    }

    @Test
    void safetensorsRoundTripGivesIdenticalWeightsAndPredictions() throws IOException {
        Dataset data = Generated.digits(50, 28, 9);
        Path file = dir.resolve("model.safetensors");
        try (Sequential m = kerasNotebook(); Sequential other = kerasNotebook()) {
            m.compile(TestBackends.cpu(), new Sgd(0.1f), 1);
            m.fit(data, null, new FitOptions(1, 16, 1), null);
            m.saveWeights(file);
            other.compile(TestBackends.opencl(), new Sgd(0.1f), 2);
            other.loadWeights(file);
            for (int layer : new int[] {0, 1, 3}) {
                assertArrayEquals(m.weights(layer), other.weights(layer), "kernel of layer " + layer);
                assertArrayEquals(m.bias(layer), other.bias(layer), "bias of layer " + layer);
            }
            float[] p = m.predict(data), q = other.predict(data);
            for (int i = 0; i < p.length; i++) assertEquals(p[i], q[i], 1e-5f, "probability " + i);
        }
        Map<String, Safetensors.Entry> t = Safetensors.read(file);
        assertEquals(java.util.List.of("dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias", "dense_2.kernel", "dense_2.bias"),
                new java.util.ArrayList<>(t.keySet()));
        assertArrayEquals(new long[] {784, 128}, t.get("dense.kernel").shape());
        assertArrayEquals(new long[] {10}, t.get("dense_2.bias").shape());
        byte[] bytes = Files.readAllBytes(file);
        long headerLen = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLen) % 8, "tensor data is 8-byte aligned");
    }

    @Test
    void predictionsOfMoreRowsThanOneEvaluationBatchAreTheBatchesOnesInOrder() {
        int n = 2 * Inference.EVAL_BATCH + 37, features = 5;
        float[] x = new float[n * features];
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        try (Sequential m = new Sequential(features, new Dense(9, "tanh"), new Dense(3, "softmax"))) {
            m.compile(TestBackends.cpu(), new Adam(0.01f), 3);
            float[] all = m.predict(x, n);
            assertEquals(n * 3, all.length);
            for (int start = 0; start < n; start += Inference.EVAL_BATCH) {
                int rows = Math.min(Inference.EVAL_BATCH, n - start);
                float[] part = m.predict(java.util.Arrays.copyOfRange(x, start * features, (start + rows) * features), rows);
                assertArrayEquals(part, java.util.Arrays.copyOfRange(all, start * 3, (start + rows) * 3), "rows from " + start);
            }
        }
    }

    @Test
    void loadingChecksNamesAndShapes() throws IOException {
        Path file = dir.resolve("w.safetensors");
        try (Sequential m = kerasNotebook()) {
            m.compile(TestBackends.cpu(), new Sgd(0.1f), 1);
            Map<String, Safetensors.Entry> wrongShape = new LinkedHashMap<>(Safetensors.read(save(m, file)));
            wrongShape.put("dense_1.bias", new Safetensors.Entry(new long[] {23}, new float[23]));
            Safetensors.write(file, wrongShape, Map.of());
            IOException e = assertThrows(IOException.class, () -> m.loadWeights(file));
            assertTrue(e.getMessage().contains("dense_1.bias") && e.getMessage().contains("[23]") && e.getMessage().contains("[24]"), e.getMessage());

            Map<String, Safetensors.Entry> missing = new LinkedHashMap<>(Safetensors.read(save(m, file)));
            missing.remove("dense_2.kernel");
            Safetensors.write(file, missing, Map.of());
            e = assertThrows(IOException.class, () -> m.loadWeights(file));
            assertTrue(e.getMessage().contains("'dense_2.kernel' is missing"), e.getMessage());

            Map<String, Safetensors.Entry> extra = new LinkedHashMap<>(Safetensors.read(save(m, file)));
            extra.put("dense_9.kernel", new Safetensors.Entry(new long[] {1}, new float[1]));
            Safetensors.write(file, extra, Map.of());
            e = assertThrows(IOException.class, () -> m.loadWeights(file));
            assertTrue(e.getMessage().contains("dense_9.kernel"), e.getMessage());
        }
    }

    private static Path save(Sequential m, Path file) {
        m.saveWeights(file);
        return file;
    }

    @Test
    void inputSizeIsInferredFromTheFirstData() {
        Dataset data = Generated.digits(40, 12, 3);
        try (Sequential m = new Sequential(new Dense(16, "relu"), new Dense(10, "softmax"))) {
            assertEquals(0, m.inputSize());
            IllegalStateException e = assertThrows(IllegalStateException.class, m::summary);
            assertTrue(e.getMessage().contains("not been built"), e.getMessage());
            m.compile(TestBackends.cpu(), new Sgd(0.1f), 1);
            m.fit(data, null, new FitOptions(1, 8, 1), null);
            assertEquals(144, m.inputSize());
            assertEquals(144 * 16 + 16 + 16 * 10 + 10, m.parameterCount());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> m.evaluate(Generated.digits(5, 10, 1)));
            assertTrue(bad.getMessage().contains("100 features") && bad.getMessage().contains("takes 144"), bad.getMessage());
        }
    }

    @Test
    void oneHotLabelsAreAcceptedAndChecked() {
        assertArrayEquals(new int[] {2, 0}, Dataset.labelsFromOneHot(new float[] {0, 0, 1, 1, 0, 0}, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.labelsFromOneHot(new float[] {0, 1, 1, 1, 0, 0}, 2, 3));
        assertTrue(e.getMessage().contains("row 0 is not one-hot"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.labelsFromOneHot(new float[] {0, 0, 0}, 1, 3));
    }
}
