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
    /** Kernel files in src/main/opencl, concatenated in this order into one program. */
    static final String[] SOURCES = {"random.cl", "activations.cl", "gemm.cl", "elementwise.cl", "softmax.cl", "optim.cl"};

    private ClProgram() {}

    /**
     * The build options: OpenCL C 1.2, the GEMM's tuning constants, and the codes the kernels
     * share with Java, each enum constant as -DPREFIX_NAME=ordinal (ACT_RELU, EPI_BIAS_ACT, ...),
     * OpenClBackend.GATHER_ROWS, ClGemm.SPARSE_BLOCKS, and Tuning.ADAM_FLUSH and its root.
     */
    static String options(GemmParams gemm) {
        return baseOptions(gemm) + extraOptions();
    }

    /**
     * Compiler options a user adds after clmlp's own, from $CLMLP_CL_OPTIONS or the system
     * property clmlp.cl.options (e.g. -cl-fast-relaxed-math, to compare; ./clmlp check tells
     * whether the kernels still compute what the Java backend does).
     */
    static String extraOptions() {
        String extra = System.getProperty("clmlp.cl.options", System.getenv("CLMLP_CL_OPTIONS"));
        return extra == null || extra.isBlank() ? "" : " " + extra.trim();
    }

    private static String baseOptions(GemmParams gemm) {
        StringBuilder sb = new StringBuilder("-cl-std=CL1.2 ").append(gemm.buildOptions());
        for (Enum<?> e : dev.clmlp.tensor.Activation.values()) sb.append(" -DACT_").append(e.name()).append('=').append(e.ordinal());
        for (Enum<?> e : ClGemm.EpilogueCode.values()) sb.append(" -DEPI_").append(e.name()).append('=').append(e.ordinal());
        sb.append(" -DGATHER_ROWS=").append(OpenClBackend.GATHER_ROWS).append(" -DSPARSE_BLOCKS=").append(ClGemm.SPARSE_BLOCKS);
        sb.append(" -DADAM_FLUSH=").append(Float.toHexString(dev.clmlp.tensor.Tuning.ADAM_FLUSH)).append('f')
                .append(" -DADAM_FLUSH_ROOT=").append(Float.toHexString(dev.clmlp.tensor.Tuning.ADAM_FLUSH_ROOT)).append('f');
        return sb.toString();
    }

    /** The files a kernel file states it needs on its "// needs:" line (before it in SOURCES). */
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

    static String source() {
        StringBuilder sb = new StringBuilder();
        for (String name : SOURCES) sb.append("// ---- ").append(name).append('\n').append(text(name)).append('\n');
        return sb.toString();
    }

    /** The program built on rt's device: from the disk cache when present, else compiled and cached. */
    static Object build(ClRuntime rt, String source, String options) {
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
