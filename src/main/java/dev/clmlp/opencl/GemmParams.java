package dev.clmlp.opencl;

import java.util.ArrayList;
import java.util.List;

/**
 * The tuning constants of gemm.cl, in one place (the CLBlast way): output tile TS_M x TS_N of a
 * work-group, depth TS_K of the local-memory tiles, WPT_M x WPT_N outputs per work-item.
 * {@link #candidates} lists them from fastest-where-it-fits to smallest; the backend builds the
 * first one the device's work-group and local-memory limits allow.
 */
public record GemmParams(int tsM, int tsN, int tsK, int wptM, int wptN) {

    public GemmParams {
        if (tsM % wptM != 0 || tsN % wptN != 0 || tsM <= 0 || tsN <= 0 || tsK <= 0)
            throw new IllegalArgumentException("GEMM tiling " + this + ": tiles must be positive multiples of the work per thread");
    }

    /** Work-items per work-group. */
    public int groupSize() { return (tsM / wptM) * (tsN / wptN); }

    public long localMemBytes() { return 4L * tsK * (tsM + tsN); }

    public String buildOptions() {
        return "-DTS_M=" + tsM + " -DTS_N=" + tsN + " -DTS_K=" + tsK + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN;
    }

    /** "64,64,16,4,4" (TS_M,TS_N,TS_K,WPT_M,WPT_N), the form of $CLMLP_GEMM. */
    public static GemmParams parse(String s) {
        String[] p = s.split(",");
        if (p.length != 5) throw new IllegalArgumentException("GEMM tiling '" + s + "': expected TS_M,TS_N,TS_K,WPT_M,WPT_N");
        int[] v = new int[5];
        for (int i = 0; i < 5; i++) v[i] = Integer.parseInt(p[i].trim());
        return new GemmParams(v[0], v[1], v[2], v[3], v[4]);
    }

    /**
     * The tilings to try on a device, best first, all within its limits. $CLMLP_GEMM (or the
     * system property clmlp.gemm) puts one of the user's choosing first.
     */
    static List<GemmParams> candidates(long maxWorkGroupSize, long localMemBytes) {
        List<GemmParams> all = new ArrayList<>();
        String override = System.getProperty("clmlp.gemm", System.getenv("CLMLP_GEMM"));
        if (override != null && !override.isBlank()) all.add(parse(override));
        all.add(new GemmParams(64, 64, 16, 4, 4));  // 256 work-items, 8 KiB local
        all.add(new GemmParams(32, 32, 16, 4, 4));  // 64 work-items
        all.add(new GemmParams(16, 16, 8, 2, 2));   // 64 work-items, 1 KiB
        all.add(new GemmParams(8, 8, 4, 2, 2));     // 16 work-items
        all.removeIf(g -> g.groupSize() > maxWorkGroupSize || g.localMemBytes() > localMemBytes);
        return all;
    }

    @Override public String toString() {
        return "TS_M=" + tsM + " TS_N=" + tsN + " TS_K=" + tsK + " WPT_M=" + wptM + " WPT_N=" + wptN;
    }
}
