package dev.clmlp.data;

import dev.clmlp.io.JsonFields;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feature scaling against statistics computed here in float64; a constant feature is left alone. */
class ScalingTest {
    // feature 0: 1..4; feature 1: constant 7; feature 2: large values
    static final float[] X = {1, 7, 1000, 2, 7, 3000, 3, 7, 2000, 4, 7, 6000};
    static final Dataset D = Dataset.ofFloats("d", X, 4, 3, new int[] {0, 1, 0, 1}, 2);

    @Test
    void minmaxMapsTheTrainingRangeToZeroOne() {
        Scaling s = Scaling.fit("MinMax", D);
        assertEquals("minmax", s.kind());
        Dataset t = s.apply(D);
        assertArrayEquals(new float[] {0, 0, 0}, t.example(0), 1e-6f);
        assertArrayEquals(new float[] {1, 0, 1}, t.example(3), 1e-6f);
        assertArrayEquals(new float[] {1 / 3f, 0, 0.4f}, t.example(1), 1e-6f); // (3000 - 1000) / (6000 - 1000)
        assertArrayEquals(D.labels(), t.labels());
    }

    @Test
    void standardGivesMeanZeroAndPopulationDeviationOne() {
        Dataset t = Scaling.fit("standard", D).apply(D);
        for (int j = 0; j < 3; j++) {
            double sum = 0, sq = 0;
            for (int r = 0; r < 4; r++) { sum += t.example(r)[j]; sq += t.example(r)[j] * t.example(r)[j]; }
            assertEquals(0, sum / 4, 1e-6, "mean of feature " + j);
            assertEquals(j == 1 ? 0 : 1, sq / 4, 1e-5, "variance of feature " + j + " (0 for the constant one)");
        }
        double mean = 2.5, sd = Math.sqrt((1.5 * 1.5 * 2 + 0.5 * 0.5 * 2) / 4);
        assertEquals((float) ((1 - mean) / sd), t.example(0)[0], 1e-6f);
    }

    @Test
    void noneIsTheIdentityAndJsonRoundTrips() {
        assertSame(D, Scaling.fit("none", D).apply(D));
        Scaling s = Scaling.fit("standard", D);
        Scaling back = Scaling.fromJson(JsonFields.parse(s.toJson().toString()));
        assertArrayEquals(s.offset(), back.offset());
        assertArrayEquals(s.factor(), back.factor());
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Scaling.fromJson(JsonFields.parse("{\"kind\":\"log\",\"offset\":[],\"factor\":[]}"))).getMessage();
        assertTrue(msg.contains("field 'kind': expected none, minmax or standard, found \"log\""), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Scaling.fromJson(JsonFields.parse("{\"kind\":\"minmax\",\"offset\":[1,2],\"factor\":[1]}"))).getMessage();
        assertTrue(msg.contains("field 'factor': expected 2 numbers"), msg);
        assertThrows(IllegalArgumentException.class, () -> s.apply(Dataset.ofFloats("e", new float[2], 1, 2, new int[1], 1)));
    }
}
