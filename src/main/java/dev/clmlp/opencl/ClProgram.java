package dev.clmlp.opencl;

import dev.clmlp.io.AtomicFiles;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.jocl.CL.*;

/**
 * Builds the OpenCL program from the kernel sources on the classpath, and keeps the compiled
 * binary on disk (cache dir/kernels/SHA-256 of source, options, device and driver), so the second
 * run of clmlp on a device loads instead of compiling.
 */
final class ClProgram {
    /** Kernel files in src/main/opencl, concatenated in this order into one program. */
    static final String[] SOURCES = {"random.cl", "activations.cl", "gemm.cl", "elementwise.cl", "softmax.cl", "optim.cl"};

    private ClProgram() {}

    static String source() {
        StringBuilder sb = new StringBuilder();
        for (String name : SOURCES) {
            try (InputStream in = ClProgram.class.getResourceAsStream("/dev/clmlp/opencl/" + name)) {
                if (in == null) throw new IllegalStateException("kernel source dev/clmlp/opencl/" + name + " is missing from the classpath");
                sb.append("// ---- ").append(name).append('\n').append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sb.toString();
    }

    /** The program built for {@code device}: from the disk cache when present, else compiled and cached. */
    static cl_program build(cl_context context, ClDevice device, String source, String options) {
        Path cached = AtomicFiles.cacheDir().resolve("kernels").resolve(cacheKey(device, source, options) + ".bin");
        if (Files.isRegularFile(cached)) {
            try {
                byte[] binary = Files.readAllBytes(cached);
                cl_program p = clCreateProgramWithBinary(context, 1, new org.jocl.cl_device_id[] {device.id()},
                        new long[] {binary.length}, new byte[][] {binary}, null, null);
                clBuildProgram(p, 0, null, options, null, null);
                return p;
            } catch (IOException | CLException e) {
                // stale or corrupt cache entry: compile from source and overwrite it below
            }
        }
        cl_program p = compile(context, device, source, options);
        AtomicFiles.write(cached, binary(p));
        return p;
    }

    /** Compiles from source; a failure raises KernelBuildException carrying the build log. */
    static cl_program compile(cl_context context, ClDevice device, String source, String options) {
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 0, null, options, null, null);
            return p;
        } catch (CLException e) {
            String log = buildLog(p, device);
            clReleaseProgram(p);
            throw new KernelBuildException(device.name(), options, log, e);
        }
    }

    private static String buildLog(cl_program p, ClDevice device) {
        long[] size = new long[1];
        clGetProgramBuildInfo(p, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetProgramBuildInfo(p, device.id(), CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return ClDevice.cString(buf);
    }

    private static byte[] binary(cl_program p) {
        long[] size = new long[1];
        clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
        byte[] binary = new byte[(int) size[0]];
        clGetProgramInfo(p, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
        return binary;
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
