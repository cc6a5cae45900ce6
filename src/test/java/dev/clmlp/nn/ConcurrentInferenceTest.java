package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.data.Scaling;
import dev.clmlp.optim.Adam;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One loaded model serves 8 threads at once: thousands of calls of mixed sizes, each answer
 * equal to what the same call gives on one thread; no buffer is left behind; training and
 * inference on one model at once are refused, each with one clear message.
 */
class ConcurrentInferenceTest {
    static final int THREADS = 8, FEATURES = 20;

    /** A trained classifier with input scaling (the scaling is part of every call). */
    static Sequential trained(Backend b) {
        Random r = new Random(3);
        int n = 600;
        float[] x = new float[n * FEATURES];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) x[i * FEATURES + j] = (float) (r.nextGaussian() * (j + 1));
            y[i] = (x[i * FEATURES] > 0 ? 1 : 0) + (x[i * FEATURES + 1] > 0 ? 1 : 0);
        }
        Dataset d = Dataset.ofFloats("train", x, n, FEATURES, y, 3);
        Sequential m = new Sequential(FEATURES, new Dense(48, "relu"), new Dense(3, "softmax"));
        m.scaleInputs(Scaling.fit("standard", d));
        m.compile(b, new Adam(0.01f), 1);
        m.fit(d, null, new FitOptions(2, 32, 1), null);
        return m;
    }

    /** Call i: 1 to 300 rows of random features (most small, as a server sees them). */
    static float[] rows(int i) {
        Random r = new Random(1000 + i);
        int n = i % 10 == 0 ? 1 + r.nextInt(300) : 1 + r.nextInt(8);
        float[] x = new float[n * FEATURES];
        for (int j = 0; j < x.length; j++) x[j] = (float) (r.nextGaussian() * 3);
        return x;
    }

    static void everyAnswerAsOnOneThread(Backend b, int calls) throws Exception {
        try (Sequential m = trained(b)) {
            float[][] expected = new float[calls][];
            for (int i = 0; i < calls; i++) expected[i] = m.predict(rows(i), rows(i).length / FEATURES);
            int before = b.liveBuffers();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int first = t;
                    done.add(pool.submit(() -> {
                        int checked = 0;
                        for (int i = first; i < calls; i += THREADS, checked++) { // each thread its share, in its own order of sizes
                            float[] x = rows(i);
                            assertArrayEquals(expected[i], m.predict(x, x.length / FEATURES), "call " + i + " on " + Thread.currentThread().getName());
                        }
                        return checked;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : done) total += f.get();
                assertEquals(calls, total);
            } finally {
                pool.shutdown();
            }
            assertTrue(b.liveBuffers() <= before + Workspaces.KEPT * 8, "buffers kept for the next calls are bounded: " + (b.liveBuffers() - before));
        }
    }

    @Test
    void eightThreadsOnTheJavaBackendGetTheSingleThreadedAnswers() throws Exception {
        everyAnswerAsOnOneThread(TestBackends.cpu(), 4000);
    }

    @Test
    void eightThreadsOnOpenClTakeTurnsAndGetTheSameAnswers() throws Exception {
        everyAnswerAsOnOneThread(TestBackends.opencl(), 400);
    }

    @Test
    void trainingAndInferenceAtOnceAreRefused() {
        try (Sequential m = trained(TestBackends.cpu())) {
            float[] one = new float[FEATURES];
            Dataset d = Dataset.ofFloats("more", rows(10), rows(10).length / FEATURES, FEATURES, new int[rows(10).length / FEATURES], 3);
            AtomicReference<RuntimeException> duringFit = new AtomicReference<>(), fitInFit = new AtomicReference<>();
            m.fit(d, null, new FitOptions(1, 8, 1), new TrainingListener() {
                @Override public void epochStarted(int epoch, int steps) {
                    duringFit.set(assertThrows(IllegalStateException.class, () -> m.predict(one, 1)));
                    fitInFit.set(assertThrows(IllegalStateException.class, () -> m.fit(d, null, new FitOptions(1, 8, 1), null)));
                }
            });
            assertEquals("predict: the model is training; predict once fit has returned (or on a copy: Sequential.load)", duringFit.get().getMessage());
            assertTrue(fitInFit.get().getMessage().startsWith("fit: the model is already training"), fitInFit.get().getMessage());
            assertEquals(3, m.predict(one, 1).length, "after fit, predict works again");
        }
    }
}
