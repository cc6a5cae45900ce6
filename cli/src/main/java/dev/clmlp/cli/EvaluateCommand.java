package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** ./clmlp evaluate --model DIR: loss and accuracy (a regression's errors) of a saved model on the MNIST test set or on labeled data of your own. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate a saved model on the MNIST test set, or on the labeled examples in --data FILE.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a directory written by train") Path model;
    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu, opencl[:N] (JOCL) or lwjgl[:N] (LWJGL) (default: ${DEFAULT-VALUE})") String backend;
    @Mixin DataOptions data;

    @Override public Integer call() throws Exception {
        RunDirectory.checkHolds(model, false, "--model ");
        UsageError.check(() -> Backends.checkSpec(backend));
        data.check();
        try (Backend b = Backends.open(backend); Sequential m = Sequential.load(model, b)) {
            Dataset test = data.loadFor(m, true);
            double[] r = m.evaluate(test);
            System.out.printf(Locale.ROOT, "%s on %s (%s): %s%n", model, test, b.name(), results(m, r).replace("test ", ""));
        }
        return 0;
    }

    /** What evaluate returned, in words: "test loss 0.1234, test accuracy 0.9650", or a regression's loss, MAE, RMSE and R^2. */
    static String results(Sequential m, double[] r) {
        return m.regression() ? String.format(Locale.ROOT, "test loss %.4f, MAE %.4f, RMSE %.4f, R^2 %.4f", r[0], r[1], r[2], r[3])
                : String.format(Locale.ROOT, "test loss %.4f, test accuracy %.4f%s", r[0], r[1], m.multiLabel() ? " (per label, at 0.5)" : "");
    }
}
