package dev.clmlp.examples;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Sequential;
import dev.clmlp.optim.Adam;
import dev.clmlp.tensor.Backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Example 2: train on your own float arrays (not MNIST), save the model, load it, predict.
 * The data: points in the plane, labelled by which of three rings around the origin they lie in.
 * Run: java -cp ... dev.clmlp.examples.OwnData [DIR] [backend]   (DIR: where the model goes)
 */
public final class OwnData {
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("clmlp-own-data");
        String backendName = args.length > 1 ? args[1] : "auto";
        Dataset train = rings(3000, 1), test = rings(600, 2);

        try (Backend b = Backends.open(backendName);
             Sequential model = new Sequential(2, new Dense(32, "tanh"), new Dense(32, "tanh"), new Dense(3, "softmax"))) {
            model.compile(b, new Adam(0.01f), 7);
            History h = model.fit(train, test, new FitOptions(30, 32, 7), null);
            System.out.printf("trained on %s: test accuracy %.3f%n", b.name(), h.last().valAccuracy());
            model.save(dir); // config.json + model.safetensors
        }

        try (Backend b = Backends.open(backendName); Sequential loaded = Sequential.load(dir, b)) {
            int[] predicted = loaded.predictClasses(test);
            int right = 0;
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == test.label(i)) right++;
            double accuracy = right / (double) predicted.length;
            System.out.printf("loaded from %s: test accuracy %.3f; point (0.2, 0.1) is in ring %d%n", dir, accuracy,
                    loaded.predictClasses(new float[] {0.2f, 0.1f}, 1)[0]);
            if (accuracy < 0.9) throw new AssertionError("the loaded model should classify the rings: accuracy " + accuracy);
        }
    }

    /** n points uniform in [-1.5, 1.5]^2; class 0 inside radius 0.5, 1 inside 1.0, else 2. */
    static Dataset rings(int n, long seed) {
        Random r = new Random(seed);
        float[] xy = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float x = (r.nextFloat() * 3 - 1.5f), y = (r.nextFloat() * 3 - 1.5f);
            xy[2 * i] = x;
            xy[2 * i + 1] = y;
            double radius = Math.hypot(x, y);
            labels[i] = radius < 0.5 ? 0 : radius < 1.0 ? 1 : 2;
        }
        return Dataset.ofFloats("rings", xy, n, 2, labels, 3);
    }
}
