package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.report.Charts;
import dev.clmlp.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** ./clmlp predict --model DIR --images N: predictions for the first test images. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict the first N test images with a saved model.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a directory written by train") Path model;
    @Option(names = "--images", defaultValue = "10", paramLabel = "N", description = "how many test images (default: ${DEFAULT-VALUE})") int images;
    @Option(names = "--png", paramLabel = "FILE", description = "also draw them with their labels into this PNG") Path png;
    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu, opencl[:N] (JOCL) or lwjgl[:N] (LWJGL) (default: ${DEFAULT-VALUE})") String backend;
    @Mixin DataOptions data;

    @Override public Integer call() throws Exception {
        if (images <= 0) throw new UsageError("--images must be at least 1, got " + images);
        SavedModel.check(model);
        UsageError.check(() -> Backends.checkSpec(backend));
        data.check();
        Dataset all = data.load().test();
        if (images > all.rows()) throw new UsageError("--images must be at most the " + all.rows() + " test images, got " + images);
        Dataset test = all.head(images);
        try (Backend b = Backends.open(backend); Sequential m = Sequential.load(model, b)) {
            float[] p = m.predict(test);
            int k = m.classes(), right = 0;
            int[] predicted = new int[images];
            System.out.println("image  predicted  true  probability");
            for (int i = 0; i < images; i++) {
                for (int j = 1; j < k; j++) if (p[i * k + j] > p[i * k + predicted[i]]) predicted[i] = j;
                if (predicted[i] == test.label(i)) right++;
                System.out.printf(Locale.ROOT, "%5d  %9d  %4d  %11.4f%s%n", i, predicted[i], test.label(i), p[i * k + predicted[i]],
                        predicted[i] == test.label(i) ? "" : "  <- wrong");
            }
            System.out.printf(Locale.ROOT, "%d of %d correct%n", right, images);
            if (png != null) Charts.predictions(test, predicted, images, png);
        }
        return 0;
    }
}
