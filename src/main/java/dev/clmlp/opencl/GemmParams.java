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

    /** The most outputs per work-item, in each direction, that {@link #withSmallerGroups} gives a tiling. */
    static final int MAX_WPT = 8;

    /**
     * This tiling, then its variants with fewer work-items per group, in the order to try them on
     * a device that takes fewer items per group than this tiling has: the same tile with more
     * outputs per item (up to MAX_WPT x MAX_WPT), then the tile halved, and so on. The vector
     * kernel has one item per group: just this.
     *
     * @return this and its smaller-group variants, largest tile and least work per item first
     */
    public List<GemmParams> withSmallerGroups() {
        List<GemmParams> out = new ArrayList<>(List.of(this));
        if (!isTiled()) return out;
        for (int tm = tsM, tn = tsN; tm >= 2 && tn >= 2; tm /= 2, tn /= 2) {
            int wm = Math.min(wptM, tm), wn = Math.min(wptN, tn);
            while (true) {
                if (tm % wm == 0 && tn % wn == 0 && !out.contains(tiled(tm, tn, tsK, wm, wn))) out.add(tiled(tm, tn, tsK, wm, wn));
                boolean growN = wn * 2 <= Math.min(MAX_WPT, tn), growM = wm * 2 <= Math.min(MAX_WPT, tm);
                if (growN && (wn <= wm || !growM)) wn *= 2;
                else if (growM) wm *= 2;
                else break;
            }
            if (tm % 2 != 0 || tn % 2 != 0) break;
        }
        return out;
    }

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
        if (override != null && !override.isBlank()) all.add(new Choice(parse(override), "$CLMLP_GEMM"));
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
        List<GemmParams> tiled = List.of(tiled(64, 64, 16, 4, 4), tiled(32, 32, 16, 4, 4), tiled(16, 16, 8, 2, 2), tiled(8, 8, 4, 2, 2));
        // vectors of the device's own width; 4 rows of C at a time, which divide the batch sizes
        // people use (32, 64, 128) where 6 pads them: on PoCL (AMD EPYC, AVX-512) 4 x 2 vectors
        // trained keras 5% and scratch 2% faster than 6 x 2 (README, Speed)
        int vw = d.floatVectorWidth() >= 16 ? 16 : d.floatVectorWidth() >= 8 ? 8 : 4;
        List<GemmParams> vector = loopsLimited ? List.of() : List.of(vector(vw, 4, 2, 128), vector(8, 4, 2, 128), vector(4, 4, 2, 64));
        if (d.kind() != ClDevice.Kind.GPU && !loopsLimited) { all.addAll(vector); all.addAll(tiled); } else { all.addAll(tiled); all.addAll(vector); }
        all.removeIf(g -> g.groupSize() > d.maxWorkGroupSize() || g.localMemBytes() > d.localMemBytes());
        return all;
    }

    @Override public String toString() {
        return isTiled() ? "tiled TS_M=" + tsM + " TS_N=" + tsN + " TS_K=" + tsK + " WPT_M=" + wptM + " WPT_N=" + wptN
                : "vector VW=" + vw + " MR=" + mr + " NR=" + nr + " KC=" + kc;
    }
}
