package dev.clmlp.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader, or a crash at any moment, sees either the old file or the
 * whole new one: the bytes go to a temporary file beside the target, are forced to disk, and
 * the temporary file is renamed over the target; then the directory entry is forced too.
 * Files get the user's normal permissions (the umask), not the 0600 of Files.createTempFile.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes bytes to {@code target} atomically and durably.
     *
     * @param target the file, replaced if it exists; its directory is created if needed
     * @param bytes  its new contents
     * @throws java.io.UncheckedIOException naming the file when it cannot be written
     */
    public static void write(Path target, byte[] bytes) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    out.write(bytes);
                }
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true); // the data is on disk before the rename makes it visible
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                forceDirectory(dir);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Makes a rename in dir durable; where directories cannot be opened (Windows) the rename stands as it is. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform: nothing more can be done
        }
    }

    /**
     * @return the user cache directory of clmlp: system property clmlp.cache.dir, $CLMLP_CACHE,
     *         $XDG_CACHE_HOME/clmlp, or ~/.cache/clmlp
     */
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
