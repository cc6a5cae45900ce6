package dev.clmlp.examples;

import dev.clmlp.Backends;
import dev.clmlp.nn.Sequential;
import dev.clmlp.tensor.Backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Example 5: a saved model inside an app that answers requests on many threads. The model is
 * loaded once and shared; each request hands it plain numbers (no Dataset, no labels) and gets the
 * class probabilities back. Any run directory works: OwnData's, or one written by ./clmlp train.
 * Run: java -cp ... dev.clmlp.examples.EmbeddedInference RUN_DIR [THREADS] [REQUESTS]
 */
public final class EmbeddedInference {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8, requests = args.length > 2 ? Integer.parseInt(args[2]) : 2000;

        try (Backend cpu = Backends.open("cpu"); Sequential model = Sequential.load(dir, cpu)) {
            int features = model.inputSize(), classes = model.classes();
            float[][] rows = randomRows(requests, features, 11); // the app's requests: one row each

            // the requests, answered at once on a pool of threads, all sharing one model
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<float[]>> answers = new ArrayList<>();
            for (float[] row : rows) answers.add(pool.submit(() -> model.predict(row, 1)));
            pool.shutdown();

            // the same requests one after another on this thread: every concurrent answer must be the same
            int differ = 0;
            for (int i = 0; i < requests; i++)
                if (!Arrays.equals(answers.get(i).get(), model.predict(rows[i], 1))) differ++;
            float[] batch = model.predict(rows); // or all rows in one call (float[][], float[] with a row count, FloatBuffer)
            int[] firstClasses = model.predictClasses(rows[0], 1);
            System.out.printf("%d requests on %d threads, one model: %d answers differ from one thread's; request 0 is class %s (probability %.3f)%n",
                    requests, threads, differ, model.className(firstClasses[0]), batch[firstClasses[0]]);
            if (differ > 0) throw new AssertionError(differ + " concurrent answers differ from one thread's");
        }
    }

    /** n rows of uniform values in [-1.5, 1.5) (OwnData's plane; for pixels they are out of range, but still numbers). */
    static float[][] randomRows(int n, int features, long seed) {
        Random r = new Random(seed);
        float[][] rows = new float[n][features];
        for (float[] row : rows) for (int j = 0; j < features; j++) row[j] = r.nextFloat() * 3 - 1.5f;
        return rows;
    }
}
