package dev.clmlp.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.data.Mnist;
import dev.clmlp.data.Scaling;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.Dropout;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.Sequential;
import dev.clmlp.optim.Adam;
import dev.clmlp.tensor.Backend;
import dev.clmlp.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exported file runs in ONNX Runtime (its Java API) and gives clmlp's own predictions: the
 * same class for every image and each probability within 1e-5, on the MNIST test images (the
 * real ones where $MNIST_DIR names them, as in CI; else generated digits).
 */
public class OnnxExportTest {
    @TempDir Path tmp;

    /**
     * Runs the file in ONNX Runtime on every example.
     *
     * @param file an exported model
     * @param data its examples
     * @return its one output: rows x classes probabilities, or a regression's rows x outputs predictions
     * @throws Exception from ONNX Runtime
     */
    public static float[] onnxRuntime(Path file, Dataset data) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] x = new float[data.rows() * data.features()];
        for (int r = 0; r < data.rows(); r++) System.arraycopy(data.example(r), 0, x, r * data.features(), data.features());
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {data.rows(), data.features()});
             OrtSession.Result out = s.run(java.util.Map.of(OnnxExport.INPUT, in))) {
            String output = s.getOutputNames().iterator().next();
            assertTrue(output.equals(OnnxExport.OUTPUT) || output.equals(OnnxExport.PREDICTIONS), output);
            FloatBuffer fb = ((OnnxTensor) out.get(0)).getFloatBuffer();
            float[] p = new float[fb.remaining()];
            fb.get(p);
            return p;
        }
    }

    static void assertAgree(Sequential m, Dataset data, float[] ort, String what) {
        float[] own = m.predict(data);
        assertEquals(own.length, ort.length);
        int k = m.classes();
        int[] a = m.classesOf(own), b = m.classesOf(ort);
        double worst = 0;
        for (int r = 0; r < data.rows(); r++) {
            assertEquals(a[r], b[r], what + ": the class of example " + r);
            for (int j = 0; j < k; j++) worst = Math.max(worst, Math.abs(own[r * k + j] - ort[r * k + j]));
        }
        System.out.printf(Locale.ROOT, "ONNX Runtime vs clmlp on %s: %d of %d classes equal, largest probability difference %.2e%n",
                what, data.rows(), data.rows(), worst);
        assertTrue(worst <= 1e-5, what + ": largest probability difference " + worst);
    }

    @Test
    void anMnistModelRunsInOnnxRuntimeWithClmlpsPredictions() throws Exception {
        Path real = Generated.realMnist();
        Mnist.Split split = real != null ? Mnist.read(real) : Mnist.read(Generated.mnistDir(tmp.resolve("mnist"), 2000, 1000));
        Dataset train = split.train().head(Math.min(6000, split.train().rows())), test = split.test();
        try (Backend b = new CpuBackend();
             Sequential m = new Sequential(784, new Dense(128, "relu"), new Dense(24, "sigmoid"), new Dropout(0.1f), new Dense(10, "softmax"))) {
            m.compile(b, new Adam(0.001f), 1);
            m.fit(train, null, new FitOptions(1, 32, 1), null);
            Path file = tmp.resolve("mnist.onnx");
            OnnxExport.write(m, file);
            assertAgree(m, test, onnxRuntime(file, test), (real != null ? "the MNIST test images" : "generated digits") + " (" + test.rows() + ")");
        }
    }

    @Test
    void everyActivationAndTheInputScalingAreExported() throws Exception {
        Dataset d = Generated.digits(300, 6, 3);
        float[] v = new float[d.rows() * d.features()];
        for (int r = 0; r < d.rows(); r++)
            for (int j = 0; j < d.features(); j++) v[r * d.features() + j] = d.example(r)[j] * 100 + j; // far from [0, 1]
        Dataset wide = Dataset.ofFloats("wide", v, d.rows(), d.features(), d.labels(), d.classes());
        try (Backend b = new CpuBackend();
             Sequential m = new Sequential(d.features(), new Dense(20, "tanh"), new Dense(16, "linear"), new Dense(12, "sigmoid"),
                     new Dense(8, "relu"), new Dense(d.classes(), "softmax"))) {
            m.scaleInputs(Scaling.fit("standard", wide));
            m.compile(b, new Adam(0.01f), 2);
            m.fit(wide, null, new FitOptions(3, 16, 2), null);
            Path file = tmp.resolve("all.onnx");
            OnnxExport.write(m, file);
            assertAgree(m, wide, onnxRuntime(file, wide), "tanh, linear, sigmoid, relu and standard scaling");
            String graph = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String op : new String[] {"Sub", "Mul", "Gemm", "Tanh", "Sigmoid", "Relu", "Softmax"}) assertTrue(graph.contains(op), op);
        }
    }

    /**
     * A table with a category and gaps: the saved model, loaded again, encodes it as training did,
     * and ONNX Runtime on the encoded rows gives its predictions; the class names are in the metadata.
     */
    @Test
    void aTableWithCategoriesAndGapsRunsInOnnxRuntimeOnItsEncodedRows() throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        StringBuilder sb = new StringBuilder("size,colour,weight,kind\n");
        String[] colours = {"red", "green", "blue"}, kinds = {"apple", "pear", "plum"};
        for (int i = 0; i < 300; i++) {
            int k = rnd.nextInt(3);
            sb.append(rnd.nextInt(10) == 0 ? "" : String.format(Locale.ROOT, "%.3f", 5 + 3 * k + rnd.nextGaussian())).append(',')
                    .append(rnd.nextInt(8) == 0 ? "" : colours[(k + (rnd.nextInt(4) == 0 ? 1 : 0)) % 3]).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", 100 + 40 * rnd.nextGaussian())).append(',').append(kinds[k]).append('\n');
        }
        Path csv = Files.writeString(tmp.resolve("fruit.csv"), sb);
        dev.clmlp.table.Table t = dev.clmlp.table.Table.read(csv);
        dev.clmlp.table.Schema schema = dev.clmlp.table.Schema.fit(t, t.labelColumn("kind"));
        Dataset d = schema.encode(t, true);
        assertEquals(2 + 4 + 1, d.features(), "size and its flag, three colours and a flag, weight");
        Path dir = tmp.resolve("fruit");
        try (Backend b = new CpuBackend(); Sequential m = new Sequential(d.features(), new Dense(16, "relu"), new Dense(3, "softmax"))) {
            m.readTables(schema).scaleInputs(Scaling.fit("standard", d, schema.scaledInputs()));
            m.compile(b, new Adam(0.01f), 3);
            m.fit(d, null, new FitOptions(20, 16, 3), null);
            m.save(dir);
        }
        try (Backend b = new CpuBackend(); Sequential m = Sequential.load(dir, b)) {
            assertEquals(java.util.List.of("apple", "pear", "plum"), m.classNames());
            Dataset again = m.table().encode(dev.clmlp.table.Table.read(csv), true);
            assertArrayEquals(m.predict(again), m.predict(dev.clmlp.table.Table.read(csv)), "predict(Table) is predict of the encoded rows");
            assertTrue(m.evaluate(again)[1] > 0.8, "the fruit are learnable: accuracy " + m.evaluate(again)[1]);
            Path file = tmp.resolve("fruit.onnx");
            OnnxExport.write(m, file);
            assertAgree(m, again, onnxRuntime(file, again), "a table with a category and gaps (" + again.rows() + " rows)");
            try (OrtSession s = OrtEnvironment.getEnvironment().createSession(file.toString(), new OrtSession.SessionOptions())) {
                assertEquals("[\"apple\",\"pear\",\"plum\"]", s.getMetadata().getCustomMetadata().get("class_names"));
            }
        }
    }

    @Test
    void theFileDeclaresTheOpsetAndAFreeBatchSize() throws IOException {
        try (Backend b = new CpuBackend(); Sequential m = new Sequential(5, new Dense(3, "relu"), new Dense(2, "softmax"))) {
            m.compile(b, new Adam(0.01f), 1);
            var model = dev.clmlp.onnx.proto.Onnx.ModelProto.parseFrom(OnnxExport.toBytes(m));
            assertEquals(OnnxExport.OPSET, model.getOpsetImport(0).getVersion());
            assertEquals("batch", model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
            assertEquals(5, model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
            assertEquals(2, model.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
            assertEquals(java.util.List.of("dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias"),
                    model.getGraph().getInitializerList().stream().map(t -> t.getName()).toList());
        }
    }
}
