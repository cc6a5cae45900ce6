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

/** ./clmlp evaluate --model DIR: loss and accuracy of a saved model on the MNIST test set or on labeled data of your own. */
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
            System.out.printf(Locale.ROOT, "%s on %s (%s): loss %.4f, accuracy %.4f%n", model, test, b.name(), r[0], r[1]);
        }
        return 0;
    }
}
