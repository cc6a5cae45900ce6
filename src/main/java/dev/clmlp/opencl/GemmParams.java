package dev.clmlp.opencl;

import java.util.ArrayList;
import java.util.List;

/**
 * The GEMM kernel and its tuning constants for a device, in one place (the CLBlast way).
 * <ul>
 * <li>{@code tiled} (gemm in gemm.cl, for GPUs): output tile TS_M x TS_N per work-group, depth
 *     TS_K of the local-memory tiles, WPT_M x WPT_N outputs per work-item.</li>
 * <li>{@code vector} (gemm_packed, for CPU devices such as PoCL): explicit VW-wide vectors, MR rows
 *     x NR vectors of C in registers, op(B) packed in panels of KC rows.</li>
 * </ul>
 * {@link #candidates} lists them best first; the backend builds the first that the device's
 * work-group, local-memory and register limits allow.
 */
public record GemmParams(String kernel, int tsM, int tsN, int tsK, int wptM, int wptN, int vw, int mr, int nr, int kc) {

    /**
     * Checks the values.
     *
     * @param kernel "tiled" or "vector"
     * @param tsM    tiled: output tile rows of a work-group
     * @param tsN    tiled: output tile columns
     * @param tsK    tiled: depth of the local-memory tiles
     * @param wptM   tiled: output rows per work-item
     * @param wptN   tiled: output columns per work-item
     * @param vw     vector: vector width, 4, 8 or 16
     * @param mr     vector: rows of C in registers
     * @param nr     vector: vectors of C per row in registers
     * @param kc     vector: rows of a packed panel of B
     */
    public GemmParams {
        if (!kernel.equals("tiled") && !kernel.equals("vector"))
            throw new IllegalArgumentException("GEMM kernel '" + kernel + "': expected tiled or vector");
        if (tsM <= 0 || tsN <= 0 || tsK <= 0 || wptM <= 0 || wptN <= 0 || tsM % wptM != 0 || tsN % wptN != 0
                || mr <= 0 || nr <= 0 || kc <= 0 || (vw != 4 && vw != 8 && vw != 16))
            throw new IllegalArgumentException("GEMM parameters " + kernel + " TS_M=" + tsM + " TS_N=" + tsN + " TS_K=" + tsK + " WPT_M=" + wptM
                    + " WPT_N=" + wptN + " VW=" + vw + " MR=" + mr + " NR=" + nr + " KC=" + kc
                    + ": sizes must be positive, tiles multiples of the work per thread, VW 4, 8 or 16"); // not `this`: fields unset here
    }

    /**
     * @param tsM  output tile rows of a work-group
     * @param tsN  output tile columns
     * @param tsK  depth of the local-memory tiles
     * @param wptM output rows per work-item
     * @param wptN output columns per work-item
     * @return the GPU kernel with these tiles
     */
    public static GemmParams tiled(int tsM, int tsN, int tsK, int wptM, int wptN) {
        return new GemmParams("tiled", tsM, tsN, tsK, wptM, wptN, 16, 6, 2, 128);
    }

    /**
     * @param vw vector width, 4, 8 or 16
     * @param mr rows of C in registers
     * @param nr vectors of C per row in registers
     * @param kc rows of a packed panel of B
     * @return the CPU-device kernel with these blocks
     */
    public static GemmParams vector(int vw, int mr, int nr, int kc) {
        return new GemmParams("vector", 64, 64, 16, 4, 4, vw, mr, nr, kc);
    }

    /** @return whether this is the tiled (GPU) kernel */
    public boolean isTiled() { return kernel.equals("tiled"); }

    /** @return the work-items per work-group */
    public int groupSize() { return isTiled() ? (tsM / wptM) * (tsN / wptN) : 1; }

    /** @return the local memory a work-group needs, in bytes */
    public long localMemBytes() { return isTiled() ? 4L * tsK * (tsM + tsN) : 4L * kc * nr * vw; }

    /** @return the -D build options that set the kernel's constants */
    public String buildOptions() {
        return "-DTS_M=" + tsM + " -DTS_N=" + tsN + " -DTS_K=" + tsK + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN + " -DVW=" + vw + " -DMR=" + mr + " -DNR=" + nr + " -DKC=" + kc;
    }

    /** @return the form {@link #parse} reads: "tiled:64,64,16,4,4" or "vector:16,4,2,128" */
    public String spec() {
        return isTiled() ? "tiled:" + tsM + "," + tsN + "," + tsK + "," + wptM + "," + wptN
                : "vector:" + vw + "," + mr + "," + nr + "," + kc;
    }

    /**
     * @param s "tiled:TS_M,TS_N,TS_K,WPT_M,WPT_N" or "vector:VW,MR,NR,KC", the form of $CLMLP_GEMM
     * @return the parameters
     */
    public static GemmParams parse(String s) {
        String[] kv = s.trim().split(":");
        String[] p = kv.length == 2 ? kv[1].split(",") : new String[0];
        int[] v = new int[p.length];
        try {
            for (int i = 0; i < p.length; i++) v[i] = Integer.parseInt(p[i].trim());
        } catch (NumberFormatException e) {
            v = new int[0];
        }
        if (kv[0].equals("tiled") && v.length == 5) return tiled(v[0], v[1], v[2], v[3], v[4]);
        if (kv[0].equals("vector") && v.length == 4) return vector(v[0], v[1], v[2], v[3]);
        throw new IllegalArgumentException("GEMM parameters '" + s + "': expected tiled:TS_M,TS_N,TS_K,WPT_M,WPT_N or vector:VW,MR,NR,KC");
    }

    /**
     * The choices for a device, best first: $CLMLP_GEMM (or the system property clmlp.gemm) if
     * set, then the winner of ./clmlp tune for this device and workload (or the latest tuned for
     * the device, {@link GemmTuner#cached}), then {@link #defaults}. The first two are not checked
     * against the device's limits here; ClGemm.build skips any choice that does not fit.
     *
     * @param workload the model's {@link GemmTuner#workload}, or null when not known
     */
    static List<GemmParams> candidates(ClDevice d, String workload) {
        List<GemmParams> all = new ArrayList<>();
        String override = System.getProperty("clmlp.gemm", System.getenv("CLMLP_GEMM"));
        if (override != null && !override.isBlank()) all.add(parse(override));
        GemmParams tuned = GemmTuner.cached(d, workload);
        if (tuned != null) all.add(tuned);
        all.addAll(defaults(d));
        return all;
    }

    /** The untuned choices for a device's type, best first: the vector kernel on CPU devices, the tilings elsewhere. */
    static List<GemmParams> defaults(ClDevice d) {
        List<GemmParams> all = new ArrayList<>();
        List<GemmParams> tiled = List.of(tiled(64, 64, 16, 4, 4), tiled(32, 32, 16, 4, 4), tiled(16, 16, 8, 2, 2), tiled(8, 8, 4, 2, 2));
        // vectors of the device's own width; 4 rows of C at a time, which divide the batch sizes
        // people use (32, 64, 128) where 6 pads them: on PoCL (AMD EPYC, AVX-512) 4 x 2 vectors
        // trained keras 5% and scratch 2% faster than 6 x 2 (README, Speed)
        int vw = d.floatVectorWidth() >= 16 ? 16 : d.floatVectorWidth() >= 8 ? 8 : 4;
        List<GemmParams> vector = List.of(vector(vw, 4, 2, 128), vector(8, 4, 2, 128), vector(4, 4, 2, 64));
        if (d.type().contains("CPU")) { all.addAll(vector); all.addAll(tiled); } else { all.addAll(tiled); all.addAll(vector); }
        all.removeIf(g -> g.groupSize() > d.maxWorkGroupSize() || g.localMemBytes() > d.localMemBytes());
        return all;
    }

    @Override public String toString() {
        return isTiled() ? "tiled TS_M=" + tsM + " TS_N=" + tsN + " TS_K=" + tsK + " WPT_M=" + wptM + " WPT_N=" + wptN
                : "vector VW=" + vw + " MR=" + mr + " NR=" + nr + " KC=" + kc;
    }
}
