package dev.clmlp.opencl;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kernel file states what it needs and compiles with just that; the facts shared with Java come from Java, with equal defaults. */
class ClProgramTest {
    /** Each file compiles with the files it names on its "needs" line and no -D option: its #ifndef defaults stand in. */
    @Test
    void everyKernelFileCompilesAloneWithWhatItStatesItNeeds() {
        ClDevice d = OpenClSetupTest.device();
        List<String> order = Arrays.asList(ClDefines.SOURCES);
        try (ClRuntime rt = d.binding().open(d, false)) {
            for (String file : ClDefines.SOURCES) {
                StringBuilder src = new StringBuilder();
                for (String need : ClProgram.needs(file)) {
                    assertTrue(order.indexOf(need) >= 0 && order.indexOf(need) < order.indexOf(file),
                            file + " needs " + need + ", which must come before it in ClDefines.SOURCES");
                    src.append(ClProgram.text(need)).append('\n');
                }
                rt.releaseProgram(rt.compile(src + ClProgram.text(file), "-cl-std=CL1.2"));
            }
            rt.releaseProgram(rt.compile(ClProgram.text("limits.cl"), "-cl-std=CL1.2"));
            // the check has teeth: without what it needs, a file does not compile
            assertThrows(KernelBuildException.class, () -> rt.compile(ClProgram.text("elementwise.cl"), "-cl-std=CL1.2"));
        }
    }

    /**
     * The facts Java passes as -D options (enum codes, GATHER_ROWS, SPARSE_BLOCKS, Adam's flush)
     * each have an #ifndef default in a kernel file, equal to what Java passes: a file compiled
     * alone computes what the program computes.
     */
    @Test
    void theKernelFilesDefaultsAreWhatJavaPasses() {
        GemmParams g = GemmParams.tiled(16, 16, 8, 2, 2);
        Map<String, String> passed = new TreeMap<>();
        Matcher m = Pattern.compile("-D(\\w+)=(\\S+)").matcher(ClDefines.options(g, false));
        while (m.find()) passed.put(m.group(1), m.group(2));
        Matcher gemm = Pattern.compile("-D(\\w+)=").matcher(g.buildOptions());
        while (gemm.find()) passed.remove(gemm.group(1)); // the GEMM's tuning constants: the defaults are one choice of many
        Map<String, String> defaults = new TreeMap<>();
        for (String file : ClDefines.SOURCES) {
            Matcher def = Pattern.compile("#ifndef (\\w+)\\n#define \\1 (\\S+)\\n#endif").matcher(ClProgram.text(file));
            while (def.find()) defaults.put(def.group(1), def.group(2));
        }
        assertTrue(passed.size() >= 12, passed.toString());
        for (Map.Entry<String, String> e : passed.entrySet())
            assertEquals(e.getValue(), defaults.get(e.getKey()), e.getKey() + ": the kernel files' default against the value Java passes");
    }

    @Test
    void theCodesAreTheJavaEnumsOrdinals() {
        String options = ClDefines.options(GemmParams.tiled(16, 16, 8, 2, 2), true);
        for (var a : dev.clmlp.tensor.Activation.values()) assertTrue(options.contains(" -DACT_" + a.name() + "=" + a.ordinal()), options);
        for (var e : ClDefines.EpilogueCode.values()) assertTrue(options.contains(" -DEPI_" + e.name() + "=" + e.ordinal()), options);
    }

    /** The backend creates the kernels the sources define, read from them: each __kernel once, attributes and all. */
    @Test
    void kernelNamesAreReadFromTheSources() {
        String source = ClProgram.source();
        List<String> names = ClDefines.kernelNames(source);
        assertEquals(source.split("__kernel", -1).length - 1, names.size(), names.toString());
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "each name once: " + names);
        assertTrue(names.containsAll(List.of("gemm_tiled", "gemm_packed", "gemm_sparse_a", "softmax_xent_stats", "adam")), names.toString());
    }
}
