package dev.clmlp.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts the OpenCL kernels share with Java, in one home: the kernel files and their order,
 * the kernels they define, and the -D build options (the GEMM's constants, the activation and
 * epilogue codes, launch-geometry constants, Adam's flush). Each .cl file has #ifndef defaults
 * equal to these, so that it compiles alone (ClProgramTest checks both).
 */
final class ClDefines {
    private ClDefines() {}

    /** Kernel files in src/main/opencl, concatenated in this order into one program (limits.cl is built alone: ClLimits). */
    static final String[] SOURCES = {"random.cl", "activations.cl", "gemm_common.cl", "gemm_tiled.cl", "gemm_packed.cl", "gemm_sparse.cl", "gemm_backward.cl", "elementwise.cl", "softmax.cl", "regression.cl", "optim.cl"};

    /**
     * Rows of pixels per work-item of gather_rows_u8 (its -DGATHER_ROWS): four rows' loads side by
     * side overlap their cache misses (PoCL, 32 rows: 11.1 against 13.8 us; eight: no better).
     */
    static final int GATHER_ROWS = 4;

    /** Blocks of MR rows a gemm_sparse_a work-item takes at most (its list of live values of p for each is in local memory). */
    static final int SPARSE_BLOCKS = 16;

    /** Epilogues of the GEMM kernels (activations.cl), passed to the kernels as -DEPI_NAME=ordinal. */
    enum EpilogueCode { NONE, BIAS_ACT, ACT_SLOPE, MASK_ACT_SLOPE }

    /**
     * The build options: OpenCL C 1.2, the GEMM's tuning constants, whether the device's fma() is
     * a hardware instruction (FAST_FMA: ClDevice.fastFma), and the codes the kernels share with
     * Java, each enum constant as -DPREFIX_NAME=ordinal (ACT_RELU, EPI_BIAS_ACT, ...),
     * GATHER_ROWS, SPARSE_BLOCKS, Tuning.ADAM_FLUSH and its root, and Backend.BCE_EPS.
     */
    static String options(GemmParams gemm, boolean fastFma) {
        return baseOptions(gemm) + " -DFAST_FMA=" + (fastFma ? 1 : 0) + extraOptions();
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
        for (Enum<?> e : EpilogueCode.values()) sb.append(" -DEPI_").append(e.name()).append('=').append(e.ordinal());
        sb.append(" -DGATHER_ROWS=").append(GATHER_ROWS).append(" -DSPARSE_BLOCKS=").append(SPARSE_BLOCKS);
        sb.append(" -DADAM_FLUSH=").append(Float.toHexString(dev.clmlp.tensor.Tuning.ADAM_FLUSH)).append('f')
                .append(" -DADAM_FLUSH_ROOT=").append(Float.toHexString(dev.clmlp.tensor.Tuning.ADAM_FLUSH_ROOT)).append('f')
                .append(" -DBCE_EPS=").append(Float.toHexString(dev.clmlp.tensor.Backend.BCE_EPS)).append('f');
        return sb.toString();
    }

    /** @return the names of the kernels of the program (ClProgram.source()), read from it once per JVM */
    static List<String> kernelNames() { return KernelNames.NAMES; }

    private static final class KernelNames {
        static final List<String> NAMES = List.copyOf(kernelNames(ClProgram.source()));
    }

    /** The names of the kernels a program source defines ({@code __kernel ... void name(}), in order. */
    static List<String> kernelNames(String source) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("__kernel\\s+(?:__attribute__\\(\\(.*?\\)\\)\\s+)?void\\s+(\\w+)\\s*\\(", Pattern.DOTALL).matcher(source);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
