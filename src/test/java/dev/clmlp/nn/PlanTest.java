package dev.clmlp.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layout every consumer reads: widths, names, parameter offsets. */
class PlanTest {
    @Test
    void theKerasNotebooksLayout() {
        Plan p = Plan.of(784, Preset.KERAS.model().layers());
        assertEquals(103_826, p.parameterCount(), "Keras' summary of notebook B");
        assertEquals(List.of("dense", "dense_1", "dropout", "dense_2"), p.steps().stream().map(Plan.Step::name).toList());
        Plan.Step d1 = p.step(1), drop = p.step(2), out = p.step(3);
        assertEquals(List.of(128, 24), List.of(d1.in(), d1.out()));
        assertEquals(784L * 128 + 128, d1.weightOffset(), "after dense's weights and bias");
        assertEquals(d1.weightOffset() + 128L * 24, d1.biasOffset());
        assertEquals(List.of(24, 24, -1L), List.of(drop.in(), drop.out(), drop.weightOffset()));
        assertEquals(d1.biasOffset() + 24, out.weightOffset(), "dropout holds no parameters");
        assertEquals(10, p.outputSize());
        assertEquals("dense.kernel", p.parameterName(0));
        assertEquals("dense.bias", p.parameterName(784L * 128));
        assertEquals("dense_1.kernel", p.parameterName(784L * 128 + 128));
        assertEquals("dense_2.bias", p.parameterName(p.parameterCount() - 1));
    }
}
