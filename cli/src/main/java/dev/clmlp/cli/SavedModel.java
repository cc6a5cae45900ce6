package dev.clmlp.cli;

import dev.clmlp.io.DataFileException;
import dev.clmlp.nn.Sequential;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a run directory written by train: config.json + model.safetensors. */
final class SavedModel {
    private SavedModel() {}

    /** A usage error unless dir holds both files (checked before any data is loaded). */
    static void check(Path dir) throws UsageError {
        for (String f : new String[] {"config.json", "model.safetensors"})
            if (!Files.isRegularFile(dir.resolve(f)))
                throw new UsageError("--model " + dir + ": missing " + f + " (a directory written by clmlp train)");
    }

    static Sequential load(Path dir, Backend b) throws IOException {
        Path config = dir.resolve("config.json"), weights = dir.resolve("model.safetensors");
        Sequential.Config c;
        try {
            c = Sequential.fromJson(Files.readString(config));
        } catch (IllegalArgumentException e) {
            throw new DataFileException(config, e.getMessage());
        }
        Sequential m = c.model();
        try {
            m.compile(b, c.optimizer() != null ? c.optimizer() : new Sgd(0.01f), c.seed() != null ? c.seed() : 0);
            m.loadWeights(weights);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }
}
