package dev.clmlp.opencl;

import java.util.ArrayList;
import java.util.List;

/**
 * A GEMM kernel and its tuning constants (the CLBlast way): one of two precise records, each
 * with exactly the constants its kernel reads. {@link GemmChoices} lists a device's choices best
 * first; ClGemm builds the first that the device's work-group, local-memory and register limits
 * allow.
 */
public sealed interface GemmParams permits GemmParams.Tiled, GemmParams.Vector {
    /** The most outputs per work-item, in each direction, that {@link Tiled#withSmallerGroups} gives a tiling. */
    int MAX_WPT = 8;

    /**
     * gemm_tiled (gemm_tiled.cl, for GPUs): output tile TS_M x TS_N per work-group, depth TS_K of
     * the local-memory tiles, WPT_M x WPT_N outputs per work-item.
     *
     * @param tsM  output tile rows of a work-group
     * @param tsN  output tile columns
     * @param tsK  depth of the local-memory tiles
     * @param wptM output rows per work-item
     * @param wptN output columns per work-item
     */
    record Tiled(int tsM, int tsN, int tsK, int wptM, int wptN) implements GemmParams {
        /**
         * Checks the values.
         *
         * @param tsM  as the record
         * @param tsN  as the record
         * @param tsK  as the record
         * @param wptM as the record
         * @param wptN as the record
         */
        public Tiled {
            if (tsM <= 0 || tsN <= 0 || tsK <= 0 || wptM <= 0 || wptN <= 0 || tsM % wptM != 0 || tsN % wptN != 0)
                throw new IllegalArgumentException("GEMM parameters tiled TS_M=" + tsM + " TS_N=" + tsN + " TS_K=" + tsK + " WPT_M=" + wptM
                        + " WPT_N=" + wptN + ": sizes must be positive, tiles multiples of the work per item");
        }

        @Override public int groupSize() { return (tsM / wptM) * (tsN / wptN); }

        @Override public long localMemBytes() { return 4L * tsK * (tsM + tsN); }

        @Override public String buildOptions() { return "-DTS_M=" + tsM + " -DTS_N=" + tsN + " -DTS_K=" + tsK + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN; }

        @Override public String kernel() { return "gemm_tiled"; }

        @Override public String spec() { return "tiled:" + tsM + "," + tsN + "," + tsK + "," + wptM + "," + wptN; }

        /**
         * This tiling, then its variants with fewer work-items per group, in the order to try them
         * on a device that takes fewer items per group than this tiling has: the same tile with
         * more outputs per item (up to MAX_WPT x MAX_WPT), then the tile halved, and so on.
         *
         * @return this and its smaller-group variants, largest tile and least work per item first
         */
        @Override public List<Tiled> withSmallerGroups() {
            List<Tiled> out = new ArrayList<>(List.of(this));
            for (int tm = tsM, tn = tsN; tm >= 2 && tn >= 2; tm /= 2, tn /= 2) {
                int wm = Math.min(wptM, tm), wn = Math.min(wptN, tn);
                while (true) {
                    if (tm % wm == 0 && tn % wn == 0 && !out.contains(new Tiled(tm, tn, tsK, wm, wn))) out.add(new Tiled(tm, tn, tsK, wm, wn));
                    boolean growN = wn * 2 <= Math.min(MAX_WPT, tn), growM = wm * 2 <= Math.min(MAX_WPT, tm);
                    if (growN && (wn <= wm || !growM)) wn *= 2;
                    else if (growM) wm *= 2;
                    else break;
                }
                if (tm % 2 != 0 || tn % 2 != 0) break;
            }
            return out;
        }

        @Override public String toString() { return "tiled TS_M=" + tsM + " TS_N=" + tsN + " TS_K=" + tsK + " WPT_M=" + wptM + " WPT_N=" + wptN; }
    }

    /**
     * gemm_packed, gemm_sparse_a and dense_backward_sgd (gemm_packed.cl and the files built on
     * it, for CPU devices such as PoCL): explicit VW-wide vectors, MR rows x NR vectors of C in
     * registers, op(B) packed in panels of KC rows.
     * A work-group is one item.
     *
     * @param vw vector width, 4, 8 or 16
     * @param mr rows of C in registers
     * @param nr vectors of C per row in registers
     * @param kc rows of a packed panel of B
     */
    record Vector(int vw, int mr, int nr, int kc) implements GemmParams {
        /**
         * Checks the values.
         *
         * @param vw as the record
         * @param mr as the record
         * @param nr as the record
         * @param kc as the record
         */
        public Vector {
            if (mr <= 0 || nr <= 0 || kc <= 0 || (vw != 4 && vw != 8 && vw != 16))
                throw new IllegalArgumentException("GEMM parameters vector VW=" + vw + " MR=" + mr + " NR=" + nr + " KC=" + kc
                        + ": sizes must be positive, VW 4, 8 or 16");
        }

        @Override public int groupSize() { return 1; }

        /** gemm_sparse_a's, the larger: gemm_packed's panel of floats and a ushort list of live values of p for each block of rows. */
        @Override public long localMemBytes() { return 4L * kc * nr * vw + 2L * kc * ClDefines.SPARSE_BLOCKS; }

        @Override public String buildOptions() { return "-DVW=" + vw + " -DMR=" + mr + " -DNR=" + nr + " -DKC=" + kc; }

        @Override public String kernel() { return "gemm_packed"; }

        @Override public String spec() { return "vector:" + vw + "," + mr + "," + nr + "," + kc; }

        @Override public String toString() { return "vector VW=" + vw + " MR=" + mr + " NR=" + nr + " KC=" + kc; }
    }

    /** @return the work-items per work-group */
    int groupSize();

    /** @return the local memory a work-group needs, in bytes */
    long localMemBytes();

    /** @return the -D build options that set the kernel's constants (the other family's take their #ifndef defaults) */
    String buildOptions();

    /** @return the kernel that runs the products: gemm_tiled or gemm_packed */
    String kernel();

    /** @return the form {@link #parse} reads: "tiled:64,64,16,4,4" or "vector:16,4,2,128" */
    String spec();

    /** @return whether this is the tiled (GPU) kernel */
    default boolean isTiled() { return this instanceof Tiled; }

    /** @return this, then variants with fewer work-items per group (for the tiled kernel; the vector kernel has one) */
    default List<? extends GemmParams> withSmallerGroups() { return List.of(this); }

    /**
     * @param tsM  output tile rows of a work-group
     * @param tsN  output tile columns
     * @param tsK  depth of the local-memory tiles
     * @param wptM output rows per work-item
     * @param wptN output columns per work-item
     * @return the GPU kernel with these tiles
     */
    static Tiled tiled(int tsM, int tsN, int tsK, int wptM, int wptN) { return new Tiled(tsM, tsN, tsK, wptM, wptN); }

    /**
     * @param vw vector width, 4, 8 or 16
     * @param mr rows of C in registers
     * @param nr vectors of C per row in registers
     * @param kc rows of a packed panel of B
     * @return the CPU-device kernel with these blocks
     */
    static Vector vector(int vw, int mr, int nr, int kc) { return new Vector(vw, mr, nr, kc); }

    /**
     * @param s "tiled:TS_M,TS_N,TS_K,WPT_M,WPT_N" or "vector:VW,MR,NR,KC", the form of $CLMLP_GEMM
     * @return the parameters
     */
    static GemmParams parse(String s) {
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
}
