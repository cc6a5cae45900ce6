package dev.clmlp.opencl;

import java.util.ArrayList;
import java.util.List;

/**
 * Which GEMM parameters a device gets, best first: an override, a tuned entry, then the defaults
 * for its kind. ClGemm builds the first that fits the device.
 */
final class GemmChoices {
    private GemmChoices() {}

    /**
     * A choice of GEMM parameters and where it came from.
     *
     * @param params the parameters
     * @param source why they are a choice: "$CLMLP_GEMM", "tuned by ./clmlp tune", "the default for a GPU", ...
     */
    record Choice(GemmParams params, String source) {}

    /**
     * The choices for a device, best first: $CLMLP_GEMM (or the system property clmlp.gemm) if
     * set, then the winner of ./clmlp tune for this device and workload (or the latest tuned for
     * the device, {@link GemmTuner#cached}), then {@link #defaults}. The first two are not checked
     * against the device's limits here; ClGemm.build skips any choice that does not fit.
     *
     * @param workload     the model's {@link GemmTuner#workload}, or null when not known
     * @param loopsLimited whether the device stops a work-item's loops early (ClLimits.loopLimit)
     */
    static List<Choice> candidates(ClDevice d, String workload, boolean loopsLimited) {
        List<Choice> all = new ArrayList<>();
        String override = System.getProperty("clmlp.gemm", System.getenv("CLMLP_GEMM"));
        if (override != null && !override.isBlank()) all.add(new Choice(GemmParams.parse(override), "$CLMLP_GEMM"));
        GemmParams tuned = GemmTuner.cached(d, workload);
        if (tuned != null) all.add(new Choice(tuned, "tuned for this device by ./clmlp tune"));
        String kind = loopsLimited ? "a device whose loops are limited" : d.kind() == ClDevice.Kind.GPU ? "a GPU" : "a CPU device";
        for (GemmParams g : defaults(d, loopsLimited)) all.add(new Choice(g, "the default for " + kind));
        return all;
    }

    /** The untuned choices for a device whose loops run to their end: {@link #defaults(ClDevice, boolean)}. */
    static List<GemmParams> defaults(ClDevice d) { return defaults(d, false); }

    /**
     * The untuned choices for a device, best first: on CPU devices and simulators the vector
     * kernel, then the tilings; on GPUs the tilings, then the vector kernel; on a device whose
     * loops stop early (loopsLimited) the tilings alone, since a vector-kernel item loops over
     * all of its rows and the whole depth of the product.
     */
    static List<GemmParams> defaults(ClDevice d, boolean loopsLimited) {
        List<GemmParams> all = new ArrayList<>();
        List<GemmParams> tiled = List.of(GemmParams.tiled(64, 64, 16, 4, 4), GemmParams.tiled(32, 32, 16, 4, 4), GemmParams.tiled(16, 16, 8, 2, 2), GemmParams.tiled(8, 8, 4, 2, 2));
        // vectors of the device's own width; 4 or 8 rows of C at a time, which divide the batch
        // sizes people use (32, 64, 128) where 6 pads them: on PoCL (AMD EPYC, AVX-512) 4 x 2
        // vectors trained keras 5% and scratch 2% faster than 6 x 2. Where vectors are 16 floats
        // (AVX-512, 32 registers) 8 x 2: on an Intel Xeon (Ice Lake) the notebooks' epochs were
        // as fast or faster and 1024-1024's 3-5% faster, the products 5-10%; and panels 256 deep,
        // as `./clmlp tune` chose there, half the passes over C: 1024-1024's epochs 0.79-0.91x as
        // long, 512-512's and scratch's a little shorter, keras's the same (docs/performance.md).
        // The 128-deep panel next, for devices with 32 KiB of local memory (rusticl).
        int vw = d.floatVectorWidth() >= 16 ? 16 : d.floatVectorWidth() >= 8 ? 8 : 4;
        List<GemmParams> vector = loopsLimited ? List.of() : vw >= 16
                ? List.of(GemmParams.vector(16, 8, 2, 256), GemmParams.vector(16, 8, 2, 128), GemmParams.vector(8, 4, 2, 128), GemmParams.vector(4, 4, 2, 64))
                : List.of(GemmParams.vector(vw, 4, 2, 128), GemmParams.vector(8, 4, 2, 128), GemmParams.vector(4, 4, 2, 64));
        if (d.kind() != ClDevice.Kind.GPU && !loopsLimited) { all.addAll(vector); all.addAll(tiled); } else { all.addAll(tiled); all.addAll(vector); }
        all.removeIf(g -> g.groupSize() > d.maxWorkGroupSize() || g.localMemBytes() > d.localMemBytes());
        return all;
    }
}
