package dev.clmlp.opencl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GemmParamsTest {
    static ClDevice fake(String type, int floatVectorWidth, long maxWorkGroup, long localMem) {
        return new ClDevice(ClBinding.jocl(), 0, null, "Fake platform", "fake " + type + " " + floatVectorWidth, type, "nobody", "0.0",
                "OpenCL 1.2", 4, 1L << 30, localMem, maxWorkGroup, floatVectorWidth, true);
    }

    @Test
    void cpuDevicesGetVectorsOfTheirOwnWidthFirst() {
        assertEquals("vector:16,8,2,256", GemmChoices.defaults(fake("CPU", 16, 4096, 1 << 20)).get(0).spec());
        // 32 KiB of local memory (rusticl): the 256-deep panel and its live-row lists need more, the 128-deep one fits
        assertEquals("vector:16,8,2,128", GemmChoices.defaults(fake("CPU", 16, 4096, 32768)).get(0).spec());
        assertEquals("vector:8,4,2,128", GemmChoices.defaults(fake("CPU", 8, 4096, 32768)).get(0).spec());
        assertEquals("vector:4,4,2,128", GemmChoices.defaults(fake("CPU", 4, 4096, 32768)).get(0).spec());
        assertEquals("vector:4,4,2,128", GemmChoices.defaults(fake("CPU", 1, 4096, 32768)).get(0).spec());
    }

    @Test
    void gpusGetTheLargestTilingTheirLimitsAllow() {
        assertEquals("tiled:64,64,16,4,4", GemmChoices.defaults(fake("GPU", 1, 1024, 49152)).get(0).spec());
        // 64 work-items at most: the 64x64 tiling with 4x4 per item needs 256, the 32x32 one 64
        assertEquals("tiled:32,32,16,4,4", GemmChoices.defaults(fake("GPU", 1, 64, 49152)).get(0).spec());
        // 4 KB of local memory: the 64x64x16 tile needs 8 KB, the 32x32x16 one 4 KB
        assertEquals("tiled:32,32,16,4,4", GemmChoices.defaults(fake("GPU", 1, 1024, 4096)).get(0).spec());
    }

    @Test
    void specsParseBackAndBadOnesAreNamed() {
        for (String spec : new String[] {"vector:16,6,2,128", "vector:4,4,2,64", "tiled:64,64,16,4,4"})
            assertEquals(spec, GemmParams.parse(spec).spec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmParams.parse("vector:16,4,2,4,4"));
        assertTrue(e.getMessage().contains("vector:VW,MR,NR,KC"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GemmParams.parse("vector:12,6,2,128"));
        assertTrue(e.getMessage().contains("VW=12") && e.getMessage().contains("VW 4, 8 or 16"), e.getMessage());
    }

    /** A tiling's smaller-group variants: more work per item first, then smaller tiles, each valid, down to one item. */
    @Test
    void aTilingShrinksItsGroupsByMoreWorkPerItemThenSmallerTiles() {
        java.util.List<GemmParams.Tiled> v = GemmParams.tiled(16, 16, 8, 2, 2).withSmallerGroups();
        assertEquals(GemmParams.tiled(16, 16, 8, 2, 2), v.get(0));
        assertEquals(GemmParams.tiled(16, 16, 8, 2, 4), v.get(1)); // 32 items: the first that rusticl's llvmpipe takes
        assertEquals(GemmParams.tiled(16, 16, 8, 4, 4), v.get(2));
        assertTrue(v.stream().anyMatch(g -> g.groupSize() == 1), "down to one item per group: " + v);
        for (int i = 1; i < v.size(); i++) {
            GemmParams.Tiled g = v.get(i), prev = v.get(i - 1);
            assertTrue(g.tsM() <= prev.tsM() && (g.tsM() < prev.tsM() || g.groupSize() < prev.groupSize()), prev + " then " + g);
            assertTrue(g.wptM() <= GemmParams.MAX_WPT && g.wptN() <= GemmParams.MAX_WPT, g.toString());
        }
        // the first with at most 32 items for the 64x64 default is a 32x32 tile with 4 x 8 per item
        assertEquals(GemmParams.tiled(32, 32, 16, 4, 8),
                GemmParams.tiled(64, 64, 16, 4, 4).withSmallerGroups().stream().filter(g -> g.groupSize() <= 32).findFirst().orElseThrow());
        assertEquals(java.util.List.of(GemmParams.vector(8, 4, 2, 128)), GemmParams.vector(8, 4, 2, 128).withSmallerGroups());
    }

    /** A device whose loops stop early gets tilings only: a vector-kernel item loops over its rows and the whole depth. */
    @Test
    void loopLimitedDevicesGetNoVectorKernel() {
        java.util.List<GemmParams> d = GemmChoices.defaults(fake("CPU", 8, 1024, 32768), true);
        assertFalse(d.isEmpty());
        assertTrue(d.stream().allMatch(GemmParams::isTiled), d.toString());
        assertFalse(GemmChoices.defaults(fake("CPU", 8, 1024, 32768), false).get(0).isTiled());
    }
}
