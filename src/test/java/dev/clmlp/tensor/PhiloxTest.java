package dev.clmlp.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhiloxTest {
    /** Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors). */
    @Test
    void matchesRandom123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, Philox.block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                Philox.block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void uniformIsInUnitIntervalAndDependsOnSeedStepAndIndex() {
        float a = Philox.uniform(1, 2, 3);
        assertTrue(a >= 0f && a < 1f);
        assertTrue(a != Philox.uniform(2, 2, 3) || a != Philox.uniform(1, 3, 3) || a != Philox.uniform(1, 2, 4));
        double mean = 0;
        for (int i = 0; i < 100_000; i++) mean += Philox.uniform(9, 0, i);
        mean /= 100_000;
        assertTrue(Math.abs(mean - 0.5) < 0.005, "mean of uniforms " + mean);
    }

    /** The batched draw is the per-element one, from any start (blocks of four cut anywhere) and into any offset. */
    @Test
    void uniformsDrawsWhatUniformDraws() {
        java.util.Random r = new java.util.Random(5);
        for (int t = 0; t < 200; t++) {
            long seed = r.nextLong(), step = r.nextInt(1 << 20);
            int from = r.nextInt(50), n = r.nextInt(40), off = r.nextInt(3);
            float[] out = new float[off + n + 2], expected = new float[off + n + 2];
            for (int i = 0; i < n; i++) expected[off + i] = Philox.uniform(seed, step, from + i);
            Philox.uniforms(seed, step, from, n, out, off);
            assertArrayEquals(expected, out, "from " + from + ", n " + n + ", offset " + off);
        }
    }
}
