package dev.clmlp.opencl;

import dev.clmlp.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds the OpenCL program from the kernel sources on the classpath, and keeps the compiled
 * binary on disk (cache dir/kernels/SHA-256 of source, options, device and driver), so the second
 * run of clmlp on a device loads instead of compiling.
 */
final class ClProgram {
    private ClProgram() {}

    /** The files a kernel file states it needs on its "// needs:" line (before it in ClDefines.SOURCES). */
    static java.util.List<String> needs(String file) {
        for (String line : text(file).split("\n"))
            if (line.startsWith("// needs:")) {
                String list = line.substring("// needs:".length()).split(";")[0].trim();
                return list.equals("nothing") ? java.util.List.of() : java.util.List.of(list.split("\\s+"));
            }
        throw new IllegalStateException("kernel source " + file + " has no '// needs:' line");
    }

    /** One kernel file's text. */
    static String text(String name) {
        try (InputStream in = ClProgram.class.getResourceAsStream("/dev/clmlp/opencl/" + name)) {
            if (in == null) throw new IllegalStateException("kernel source dev/clmlp/opencl/" + name + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The program's source: the kernel files concatenated in ClDefines.SOURCES order, read once per JVM. */
    static String source() { return Source.TEXT; }

    private static final class Source {
        static final String TEXT = read();

        private static String read() {
            StringBuilder sb = new StringBuilder();
            for (String name : ClDefines.SOURCES) sb.append("// ---- ").append(name).append('\n').append(text(name)).append('\n');
            return sb.toString();
        }
    }

    /**
     * The program built on rt's device: from the disk cache when present, else compiled and
     * cached; built from source each time where the driver caches kernels itself ({@link
     * ClDevice#cachesItsOwnKernels}).
     */
    static Object build(ClRuntime rt, String source, String options) {
        return build(rt, source, options, !rt.device().cachesItsOwnKernels());
    }

    /** {@link #build(ClRuntime, String, String)} with the disk cache on or off. */
    static Object build(ClRuntime rt, String source, String options, boolean diskCache) {
        if (!diskCache) return rt.compile(source, options);
        Path cached = AtomicFiles.cacheDir().resolve("kernels").resolve(cacheKey(rt.device(), source, options) + ".bin");
        if (Files.isRegularFile(cached)) {
            try {
                Object p = rt.loadBinary(Files.readAllBytes(cached), options);
                if (p != null) return p;
            } catch (IOException e) {
                // unreadable cache entry: compile from source and overwrite it below
            }
        }
        Object p = rt.compile(source, options); // stale or corrupt entries too
        AtomicFiles.write(cached, rt.binary(p));
        return p;
    }

    static String cacheKey(ClDevice d, String source, String options) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {source, options, d.platformName(), d.name(), d.vendor(), d.driver(), d.version()})
                sha.update((part + '\0').getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
