package dev.clmlp.opencl;

import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenCL backend's GEMM: which kernel and tuning constants a device gets (selection, from
 * {@link GemmChoices#candidates}), what the kernel does after the product (the epilogue), and
 * how a product is cut into work-items (geometry). {@link OpenClBackend} keeps the table of
 * operations; {@link ClRuntime} the driver calls.
 */
final class ClGemm {
    /** A launch of a kernel by name, with the row of the --profile table it counts in (OpenClBackend.launchAs). */
    interface Launcher {
        void launch(String label, String kernel, long[] global, long[] local, Object... args);
    }

    private final GemmParams params;
    private final ClDevice device;
    private final Launcher launcher;
    private final boolean profiling;

    ClGemm(GemmParams params, ClDevice device, Launcher launcher, boolean profiling) {
        this.params = params;
        this.device = device;
        this.launcher = launcher;
        this.profiling = profiling;
    }

    GemmParams params() { return params; }

    /**
     * The GEMM parameters chosen for a device, the program built with them, and why: where the
     * choice came from and what was skipped before it ("devices" and "bench" print it).
     */
    record Built(GemmParams params, Object program, String source, List<String> skipped) {}

    /**
     * Selection: the program built with the first GEMM parameters that fit rt's device (its
     * work-group and local-memory limits, and the work-items per group the kernel of that tiling
     * allows, CL_KERNEL_WORK_GROUP_SIZE): gemmFirst if given, then the candidates for the device
     * and workload (nullable). A tiling with more items per group than fit is followed by its
     * variants with fewer (GemmParams.withSmallerGroups), so the GPU kernel degrades to smaller
     * groups before any CPU-style kernel. On a device whose loops stop early (loopLimit finite)
     * the vector kernels are skipped.
     */
    static Built build(ClRuntime rt, GemmParams gemmFirst, String workload, long loopLimit) {
        ClDevice device = rt.device();
        String source = ClProgram.source();
        boolean loopsLimited = loopLimit != ClLimits.UNLIMITED;
        List<GemmChoices.Choice> choices = new ArrayList<>(GemmChoices.candidates(device, workload, loopsLimited));
        if (gemmFirst != null) choices.add(0, new GemmChoices.Choice(gemmFirst, "requested"));
        List<String> skipped = new ArrayList<>();
        java.util.Set<GemmParams> tried = new java.util.HashSet<>();
        long itemsFit = device.maxWorkGroupSize(); // lowered by what a built kernel reports
        for (GemmChoices.Choice choice : choices) {
            for (GemmParams g : choice.params().withSmallerGroups()) {
                if (!tried.add(g)) continue;
                String why = g == choice.params() ? choice.source() : choice.source() + ", with smaller work-groups";
                if (loopsLimited && !g.isTiled()) {
                    skipped.add(skip(g, choice.source(), "this device ends a work-item's loops after " + loopLimit + " iterations"));
                    continue;
                }
                if (g.localMemBytes() > device.localMemBytes()) {
                    skipped.add(skip(g, choice.source(), "needs " + g.localMemBytes() + " bytes of local memory, the device has " + device.localMemBytes()));
                    continue;
                }
                if (g.groupSize() > itemsFit) {
                    if (g == choice.params()) skipped.add(skip(g, choice.source(), g.groupSize() + " work-items per group, the device takes " + itemsFit));
                    continue;
                }
                Object p = ClProgram.build(rt, source, ClDefines.options(g, device.fastFma()));
                Object k = rt.createKernel(p, g.kernel());
                long fits = rt.kernelWorkGroupSize(k);
                rt.releaseKernel(k);
                if (fits >= g.groupSize()) return new Built(g, p, why, List.copyOf(skipped));
                rt.releaseProgram(p); // too many registers or items for this tiling on this device: try a smaller one
                skipped.add(skip(g, why, g.groupSize() + " work-items per group, the kernel takes " + fits + " (CL_KERNEL_WORK_GROUP_SIZE)"));
                itemsFit = Math.min(itemsFit, fits);
            }
        }
        throw new IllegalStateException("no GEMM tiling fits device " + device.name() + " (max work-group "
                + device.maxWorkGroupSize() + ", local memory " + device.localMemBytes() + " bytes): " + String.join("; ", skipped));
    }

    /** A skipped choice for the reason line: "tiled:64,64,16,4,4 (the default for a GPU): why". */
    private static String skip(GemmParams g, String source, String why) { return g.spec() + " (" + source + "): " + why; }

    /**
     * What the GEMM does to C after the product: code with activation f, reading
     * aux (bias, or the layer below's output) and mask; then, with dropped set, the dropout that
     * follows a dense layer, writing mask and dropped.
     */
    record Epilogue(ClDefines.EpilogueCode code, Activation f, Tensor aux, Tensor mask, Tensor dropped, float rate, float scale, long seed, long step) {
        static final Epilogue NONE = new Epilogue(ClDefines.EpilogueCode.NONE, Activation.LINEAR, null, null, null, 0f, 0f, 0, 0);

        static Epilogue biasAct(Tensor bias, Activation f) { return new Epilogue(ClDefines.EpilogueCode.BIAS_ACT, f, bias, null, null, 0f, 0f, 0, 0); }

        static Epilogue slope(Tensor yPrev, Activation f, Tensor mask) {
            return new Epilogue(mask == null ? ClDefines.EpilogueCode.ACT_SLOPE : ClDefines.EpilogueCode.MASK_ACT_SLOPE, f, yPrev, mask, null, 0f, 0f, 0, 0);
        }

        /** The kernel arguments from aux to dropped: aux defaults to c, and unused mask and dropped to aux (no extra buffers). */
        Object[] args(Tensor c) {
            Tensor a = aux == null ? c : aux;
            return new Object[] {a, mask == null ? a : mask, code.ordinal(), f.ordinal(), dropped == null ? 0 : 1, rate, scale,
                    (int) seed, (int) (seed >>> 32), (int) step, (int) (step >>> 32), dropped == null ? a : dropped};
        }
    }

    /**
     * Geometry: C = epilogue(alpha * op(A) * op(B) + beta * C), and colSums = column sums of
     * op(B) unless null. On GPUs the tiled kernel; on CPU devices gemm_packed, which takes the
     * column sums from its packed panels, or gemm_sparse_a where sparseA says op(A) is probably
     * mostly zeros (B not transposed, no dropout). Returns whether colSums was written (false
     * with the tiled kernel, whose caller sums the columns in a launch of its own).
     */
    boolean run(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c,
                Epilogue epi, Tensor colSums, boolean sparseA) {
        int aRs = transA ? 1 : k, aCs = transA ? m : 1, bRs = transB ? 1 : n, bCs = transB ? k : 1;
        Object[] args = concat(new Object[] {m, n, k, alpha, a, aRs, aCs, b, bRs, bCs, beta, c}, epi.args(c));
        if (params instanceof GemmParams.Tiled t) {
            int rtsM = t.tsM() / t.wptM(), rtsN = t.tsN() / t.wptN();
            long[] global = {(long) ((n + t.tsN() - 1) / t.tsN()) * rtsN, (long) ((m + t.tsM() - 1) / t.tsM()) * rtsM};
            launcher.launch(label("gemm_tiled", transA, transB, m, n, k, null, epi), "gemm_tiled", global, new long[] {rtsN, rtsM}, args);
            return false;
        }
        GemmParams.Vector v = (GemmParams.Vector) params;
        if (sparseA && !transB && epi.dropped() == null) {
            boolean inPlace = k <= v.kc() && strips(v, n) >= SPARSE_WIDE; // see gemm_sparse_a
            int rows = sparseRowsPerItem(v, m, n, inPlace), rowItems = (m + rows - 1) / rows;
            Object[] sums = {rows, colSums == null ? 0 : 1, colSums == null ? c : colSums, inPlace ? 1 : 0};
            launcher.launch(label("gemm_sparse_a", transA, transB, m, n, k, colSums, epi), "gemm_sparse_a",
                    new long[] {inPlace ? 1 : sparseColumnItems(v, n, rowItems), rowItems}, new long[] {1, 1}, concat(args, sums));
            return true;
        }
        int strips = strips(v, n), rows = packedRowsPerItem(v, m, n, k, strips);
        Object[] sums = {rows, colSums == null ? 0 : 1, colSums == null ? c : colSums};
        launcher.launch(label("gemm_packed", transA, transB, m, n, k, colSums, epi), "gemm_packed",
                new long[] {strips, (m + rows - 1) / rows}, new long[] {1, 1}, concat(args, sums));
        return true;
    }

    /** "gemm_packed 64x784x128:nn+sums" (M x K x N, the layout and what else it does) when profiling, else the kernel. */
    private String label(String kernel, boolean transA, boolean transB, int m, int n, int k, Tensor colSums, Epilogue epi) {
        if (!profiling) return kernel;
        return kernel + " " + m + "x" + k + "x" + n + ":" + (transA ? "t" : "n") + (transB ? "t" : "n")
                + (colSums != null ? "+sums" : "") + (epi.dropped() != null ? "+dropout" : "");
    }

    /** The fewest FLOPs a gemm_packed work-item takes (packedRowsPerItem): an item costs the runtime a few microseconds to schedule. */
    private static final long MIN_FLOPS_PER_ITEM = 1 << 18;

    /** Strips of C from which gemm_sparse_a splits the work by columns (sparseColumnItems), as the Java backend's SparseGemm.WIDE. */
    static final int SPARSE_WIDE = 8;

    /**
     * Rows of C per gemm_sparse_a work-item: about four items per compute unit, at most
     * ClDefines.SPARSE_BLOCKS blocks; but as many blocks as one item may take where C is wide and
     * B is packed (sparseColumnItems splits it by columns then). Read in place, B is shared by all
     * rows from L2, and the items split the rows alone.
     */
    private int sparseRowsPerItem(GemmParams.Vector v, int m, int n, boolean inPlace) {
        int blocks = (m + v.mr() - 1) / v.mr(), fewest = (blocks + ClDefines.SPARSE_BLOCKS - 1) / ClDefines.SPARSE_BLOCKS;
        int items = !inPlace && strips(v, n) >= SPARSE_WIDE ? fewest : Math.max(fewest, Math.min(blocks, 4 * Math.max(1, device.computeUnits())));
        return (blocks + items - 1) / items * v.mr();
    }

    /**
     * Runs of strips gemm_sparse_a splits C's columns into: one where C is narrow, else enough for
     * about two items per compute unit with the rowItems items down the rows. Each run's strip of B
     * then serves all of the item's blocks of rows from L1, where items of fewer rows and all the
     * columns would each stream all of B (64x784x1024: 3 MB). Every run lists the live values of p
     * of all its rows again, so fewer runs list less: on PoCL, two threads, 64x784x1024 took
     * 387-430 us in two runs, 409-416 in four and 438-450 in eight.
     */
    private int sparseColumnItems(GemmParams.Vector v, int n, int rowItems) {
        int strips = strips(v, n), wanted = 2 * Math.max(1, device.computeUnits());
        return strips < SPARSE_WIDE ? 1 : Math.max(1, Math.min(strips, (wanted + rowItems - 1) / rowItems));
    }

    /**
     * Rows of w per dense_backward_sgd work-item: about four items per compute unit, whole
     * blocks of MR rows.
     */
    int backwardBand(int in) {
        GemmParams.Vector v = (GemmParams.Vector) params;
        int items = 4 * Math.max(1, device.computeUnits()), rows = (in + items - 1) / items;
        return (rows + v.mr() - 1) / v.mr() * v.mr();
    }

    /** Strips of NCOL = NR x VW columns across C's n. */
    private static int strips(GemmParams.Vector v, int n) { return (n + v.nr() * v.vw() - 1) / (v.nr() * v.vw()); }

    /**
     * Rows of C per gemm_packed work-item: as many as keep every compute unit busy with about
     * four work-items, since each packed panel of B is reused across all of an item's rows, but
     * no more items than there is work for (MIN_FLOPS_PER_ITEM each).
     * (Work-groups are of one item: PoCL then runs the kernel as written, with no work-item loop.)
     */
    private int packedRowsPerItem(GemmParams.Vector v, int m, int n, int k, int strips) {
        int wanted = 4 * Math.max(1, device.computeUnits());
        wanted = (int) Math.max(1, Math.min(wanted, 2L * m * n * k / MIN_FLOPS_PER_ITEM));
        int rowBlocks = Math.max(1, Math.min((wanted + strips - 1) / strips, (m + v.mr() - 1) / v.mr()));
        int rows = (m + rowBlocks - 1) / rowBlocks;
        return (rows + v.mr() - 1) / v.mr() * v.mr();
    }

    static Object[] concat(Object[] a, Object[] b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
