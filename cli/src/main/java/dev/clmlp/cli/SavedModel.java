package dev.clmlp.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The --model option: a run directory written by train (config.json + model.safetensors; Sequential.load reads it). */
final class SavedModel {
    private SavedModel() {}

    /** A usage error unless dir holds both files (checked before any data is loaded). */
    static void check(Path dir) throws UsageError {
        for (String f : new String[] {"config.json", "model.safetensors"})
            if (!Files.isRegularFile(dir.resolve(f)))
                throw new UsageError("--model " + dir + ": missing " + f + " (a directory written by clmlp train)");
    }
}
