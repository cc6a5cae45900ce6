package dev.clmlp.cli;

import dev.clmlp.data.Mnist;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where the data comes from: --dataset and --data, shared by the commands. */
final class DataOptions {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "directory with the four IDX files (raw or .gz); else $MNIST_DIR / $FASHION_MNIST_DIR, else the cache (downloaded on first use)")
    Path dir;

    Mnist.Split load() throws IOException {
        return Mnist.load(Mnist.Variant.named(dataset), dir, msg -> System.err.println("clmlp: " + msg));
    }
}
