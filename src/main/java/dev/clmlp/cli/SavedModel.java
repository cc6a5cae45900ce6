package dev.clmlp.cli;

import dev.clmlp.nn.Sequential;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a run directory written by train: config.json + model.safetensors. */
final class SavedModel {
    private SavedModel() {}

    static Sequential load(Path dir, Backend b) throws IOException {
        Path config = dir.resolve("config.json"), weights = dir.resolve("model.safetensors");
        for (Path p : new Path[] {config, weights})
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("--model " + dir + ": missing " + p.getFileName() + " (a directory written by clmlp train)");
        Sequential.Config c = Sequential.fromJson(Files.readString(config));
        Sequential m = c.model();
        m.compile(b, c.optimizer() != null ? c.optimizer() : new Sgd(0.01f), c.seed() != null ? c.seed() : 0);
        m.loadWeights(weights);
        return m;
    }
}
