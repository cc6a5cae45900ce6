package dev.clmlp.cli;

import dev.clmlp.nn.Checkpoint;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Sequential;
import dev.clmlp.io.AtomicFiles;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run directory, held by one run at a time: an OS lock on DIR/.lock, which the kernel
 * releases when the process dies however it dies, so a killed run never blocks the next one.
 * A directory that already holds a run's files is refused unless the run resumes it or the
 * user asks to overwrite it. Every refusal is a usage error, before any data is loaded.
 */
final class RunDirectory implements AutoCloseable {
    /** The files of a run directory, named once: train writes them, report and resume read them. */
    enum Artefact {
        CONFIG(Sequential.CONFIG_FILE), WEIGHTS(Sequential.WEIGHTS_FILE), HISTORY("history.csv"), RUN("run.json"), REPORT("report.html"),
        HISTORY_PLOT("history.png"), WEIGHTS_PLOT("weights.png"), BIASES_PLOT("biases.png"), PREDICTIONS_PLOT("predictions.png"),
        BEST("best");

        final String file;

        Artefact(String file) { this.file = file; }

        /** @return this artefact's path in the run directory dir */
        Path in(Path dir) { return dir.resolve(file); }
    }

    /** What train writes into a run directory (besides checkpoints, run.json and report.html): a directory holding any of them holds a run. */
    static final List<String> OUTPUTS = List.of(Artefact.CONFIG.file, Artefact.HISTORY.file, Artefact.WEIGHTS.file,
            Artefact.HISTORY_PLOT.file, Artefact.WEIGHTS_PLOT.file, Artefact.BIASES_PLOT.file, Artefact.PREDICTIONS_PLOT.file,
            Artefact.BEST.file + "/" + Sequential.CONFIG_FILE, Artefact.BEST.file + "/" + Sequential.WEIGHTS_FILE);

    final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates dir if needed and locks it. A fresh run (resume false) refuses a directory with a
     * run's files in it unless overwrite, which deletes them first.
     */
    static RunDirectory claim(Path dir, boolean resume, boolean overwrite) throws UsageError {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UsageError("--out " + dir + ": cannot create the directory (" + reason(e) + ")");
        }
        if (!Files.isWritable(dir)) throw new UsageError("--out " + dir + ": the directory is not writable");
        FileChannel ch;
        FileLock lock;
        try {
            ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UsageError("--out " + dir + ": cannot create its lock file (" + reason(e) + ")");
        }
        try {
            lock = ch.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            close(ch);
            throw new UsageError(dir + " is in use by another clmlp run (it holds " + dir.resolve(".lock") + ")");
        }
        RunDirectory run = new RunDirectory(dir, ch, lock);
        try {
            List<Path> existing = existing(dir);
            if (!resume && !existing.isEmpty()) {
                if (!overwrite)
                    throw new UsageError(dir + " already holds a run (" + existing.get(0).getFileName() + ", ...): "
                            + "--resume " + dir + " continues it, --overwrite replaces it, or choose another --out");
                for (Path p : existing) Files.deleteIfExists(p);
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            return run;
        } catch (IOException e) {
            run.close();
            throw new UsageError("--out " + dir + ": " + reason(e));
        } catch (UsageError e) {
            run.close();
            throw e;
        }
    }

    /** @return the path of an artefact in this run directory */
    Path path(Artefact a) { return a.in(dir); }

    /** Writes the compiled model's configuration (with its optimizer and seed), first, so that a crashed run can be resumed. */
    void writeConfig(Sequential model) { AtomicFiles.write(path(Artefact.CONFIG), model.toJson().getBytes(StandardCharsets.UTF_8)); }

    /** Writes what a finished run leaves: its history, its weights and run.json (the command, options, backend, weight history). */
    void writeResults(History h, Sequential model, JsonObject run) {
        h.writeCsv(path(Artefact.HISTORY));
        model.saveWeights(path(Artefact.WEIGHTS));
        AtomicFiles.write(path(Artefact.RUN), new GsonBuilder().setPrettyPrinting().create().toJson(run).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A usage error unless dir holds a saved model (checked before any data is loaded), and, with
     * finished set, the files of a run that finished: what --model and report read.
     */
    static void checkHolds(Path dir, boolean finished, String option) throws UsageError {
        for (Artefact a : finished ? List.of(Artefact.CONFIG, Artefact.WEIGHTS, Artefact.RUN, Artefact.HISTORY) : List.of(Artefact.CONFIG, Artefact.WEIGHTS))
            if (!Files.isRegularFile(a.in(dir)))
                throw new UsageError(option + dir + ": missing " + a.file + " (a directory written by clmlp train"
                        + (a == Artefact.RUN || a == Artefact.HISTORY ? " that finished)" : ")"));
    }

    /** The files of an earlier run in dir: its outputs and checkpoints. */
    static List<Path> existing(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String name : OUTPUTS) if (Files.exists(dir.resolve(name))) out.add(dir.resolve(name));
        out.addAll(Checkpoint.list(dir));
        return out;
    }

    /** "permission denied: /x", "not a directory: /x", ... rather than Java's bare path. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason() + ": " + f.getFile();
        String kind = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "failed at"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "exists and is not a directory"
                : e.getClass().getSimpleName();
        return kind + (kind.equals("failed at") ? " " : ": ") + e.getMessage();
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }

    @Override public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close releases it too
        }
        close(channel);
    }
}
