package dev.clmlp.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files so a reader (or a crash) never sees a half-written one. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes bytes to a temporary file beside {@code target}, then renames it over the target. */
    public static void write(Path target, byte[] bytes) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The user cache directory of clmlp: system property clmlp.cache.dir, $CLMLP_CACHE,
     *  $XDG_CACHE_HOME/clmlp, or ~/.cache/clmlp. */
    public static Path cacheDir() {
        String prop = System.getProperty("clmlp.cache.dir");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("CLMLP_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "clmlp");
        return Path.of(System.getProperty("user.home"), ".cache", "clmlp");
    }
}
