package dev.clmlp.examples;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Generated;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.Sequential;
import dev.clmlp.optim.Adam;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every example; each checks its own result and throws if it is wrong. */
class ExamplesTest {
    @TempDir Path tmp;

    static String stdout(ThrowingRunnable r) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        System.out.print(buf);
        return buf.toString();
    }

    interface ThrowingRunnable { void run() throws Exception; }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl:0"})
    void computeApi(String backend) throws Exception {
        TestBackends.opencl(); // fails (or aborts under CLMLP_SKIP_OPENCL) without OpenCL
        assertTrue(stdout(() -> ComputeApi.main(new String[] {backend})).contains("matches plain Java"));
    }

    @Test
    void ownData() throws Exception {
        String out = stdout(() -> OwnData.main(new String[] {tmp.toString(), "cpu"}));
        assertTrue(out.contains("loaded from " + tmp) && Files.exists(tmp.resolve("model.safetensors")), out);
    }

    @Test
    void embeddedInferenceAnswersEveryRequestOnManyThreadsAsOneThreadDoes() throws Exception {
        stdout(() -> OwnData.main(new String[] {tmp.toString(), "cpu"})); // a saved model to embed
        String out = stdout(() -> EmbeddedInference.main(new String[] {tmp.toString(), "8", "3000"}));
        assertTrue(out.matches("(?s)3000 requests on 8 threads, one model: 0 answers differ from one thread's; request 0 is class [0-2] \\(probability .*"), out);
    }

    @Test
    void classifyPngGivesTheModelsOwnAnswerForTheImage() throws Exception {
        Dataset digits = Generated.digits(1500, 28, 3);
        int[] expected;
        try (Sequential m = new Sequential(784, new Dense(32, "relu"), new Dense(10, "softmax"))) {
            m.compile(TestBackends.cpu(), new Adam(0.005f), 1);
            m.fit(digits, null, new FitOptions(2, 32, 1), null);
            m.save(tmp.resolve("run"));
            expected = m.predictClasses(digits.head(3));
        }
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            float[] px = digits.example(i);
            for (int p = 0; p < 784; p++) img.getRaster().setSample(p % 28, p / 28, 0, Math.round(px[p] * 255));
            Path png = tmp.resolve("digit" + i + ".png");
            ImageIO.write(img, "png", png.toFile());
            String out = stdout(() -> ClassifyPng.main(new String[] {tmp.resolve("run").toString(), png.toString()}));
            assertTrue(out.startsWith(png + ": " + expected[i] + " (probability"), "expected class " + expected[i] + ": " + out);
        }
    }

    @Test
    void lwjglApp() throws Exception {
        TestBackends.opencl();
        assertTrue(stdout(() -> LwjglApp.main(new String[0])).contains("identical through LWJGL and JOCL"));
    }
}
