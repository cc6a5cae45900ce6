package dev.clmlp.cli;

import dev.clmlp.data.Mnist;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the data comes from: --dataset and --data, shared by the commands. */
final class DataOptions {
    @Option(names = "--dataset", description = "mnist or fashion-mnist (default: mnist)")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "directory with the four IDX files (raw or .gz); else $MNIST_DIR / $FASHION_MNIST_DIR, else the cache (downloaded on first use)")
    Path dir;

    boolean datasetGiven() { return dataset != null; }

    Mnist.Variant variant() { return Mnist.Variant.named(dataset != null ? dataset : "mnist"); }

    /** The usage errors of these options, found before any file is read. */
    void check() throws UsageError {
        try {
            variant();
        } catch (IllegalArgumentException e) {
            throw new UsageError("--dataset: " + e.getMessage());
        }
        if (dir != null && !Files.isDirectory(dir)) throw new UsageError("--data " + dir + ": no such directory");
        if (dir != null) {
            try {
                Mnist.locate(variant(), dir, msg -> { });
            } catch (IllegalArgumentException | IOException e) {
                throw new UsageError(e.getMessage());
            }
        }
    }

    Mnist.Split load() throws IOException {
        return Mnist.load(variant(), dir, msg -> System.err.println("clmlp: " + msg));
    }
}
