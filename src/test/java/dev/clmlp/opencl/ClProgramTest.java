package dev.clmlp.opencl;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kernel file states what it needs and compiles with just that; the shared codes come from Java. */
class ClProgramTest {
    @Test
    void everyKernelFileCompilesAloneWithWhatItStatesItNeeds() {
        ClDevice d = OpenClSetupTest.device();
        List<String> order = Arrays.asList(ClProgram.SOURCES);
        String options = ClProgram.options(GemmParams.tiled(16, 16, 8, 2, 2));
        try (ClRuntime rt = d.binding().open(d, false)) {
            for (String file : ClProgram.SOURCES) {
                StringBuilder src = new StringBuilder();
                for (String need : ClProgram.needs(file)) {
                    assertTrue(order.indexOf(need) >= 0 && order.indexOf(need) < order.indexOf(file),
                            file + " needs " + need + ", which must come before it in ClProgram.SOURCES");
                    src.append(ClProgram.text(need)).append('\n');
                }
                rt.releaseProgram(rt.compile(src + ClProgram.text(file), options));
            }
            // the check has teeth: without what it needs, a file does not compile
            assertThrows(KernelBuildException.class, () -> rt.compile(ClProgram.text("elementwise.cl"), options));
            // and the activation and epilogue codes are not written in the kernels: without Java's -D options they are unknown
            assertThrows(KernelBuildException.class, () -> rt.compile(ClProgram.text("activations.cl"), "-cl-std=CL1.2"));
        }
    }

    @Test
    void theCodesAreTheJavaEnumsOrdinals() {
        String options = ClProgram.options(GemmParams.tiled(16, 16, 8, 2, 2));
        for (var a : dev.clmlp.tensor.Activation.values()) assertTrue(options.contains(" -DACT_" + a.name() + "=" + a.ordinal()), options);
        for (var e : ClGemm.EpilogueCode.values()) assertTrue(options.contains(" -DEPI_" + e.name() + "=" + e.ordinal()), options);
    }
}
