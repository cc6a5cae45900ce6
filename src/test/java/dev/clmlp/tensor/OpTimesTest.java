package dev.clmlp.tensor;

import dev.clmlp.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --profile's bookkeeping: each operation counted once per call, parts apart from the total, pauses respected. */
class OpTimesTest {
    static Map<String, OpTimes.Entry> byName(OpTimes t) {
        return t.entries().stream().collect(Collectors.toMap(OpTimes.Entry::op, Function.identity()));
    }

    @Test
    void countsCallsPerOperationAndTheGemmsInsideAsParts() {
        try (CpuBackend b = new CpuBackend(2)) {
            assertNull(b.opTimes(), "off by default");
            Tensor x = b.zeros(40, 300), w = b.zeros(300, 50), bias = b.zeros(1, 50), y = b.zeros(40, 50);
            b.dense(x, w, bias, Activation.RELU, y);
            b.recordOpTimes(true);
            for (int i = 0; i < 3; i++) b.dense(x, w, bias, Activation.RELU, y);
            b.activation(Activation.TANH, y, y);
            b.opTimes().pause();
            b.dense(x, w, bias, Activation.RELU, y);
            b.opTimes().resume();
            Map<String, OpTimes.Entry> e = byName(b.opTimes());
            assertEquals(3, e.get("dense").calls(), "the call before recording and the paused one are not counted");
            assertEquals(1, e.get("activation").calls());
            OpTimes.Entry gemm = e.entrySet().stream().filter(k -> k.getKey().startsWith("GEMM")).findFirst().orElseThrow().getValue();
            assertTrue(gemm.part() && gemm.calls() == 3, gemm.toString());
            assertEquals(e.get("dense").nanos() + e.get("activation").nanos(), b.opTimes().totalNanos(), "parts are not added to the total");
            assertTrue(gemm.nanos() <= e.get("dense").nanos(), "a part takes no longer than the operations around it");
            String table = b.opTimes().table(3);
            assertTrue(table.contains("  of which GEMM") && table.lines().anyMatch(l -> l.startsWith("total")), table);
            b.recordOpTimes(false);
            assertNull(b.opTimes());
            b.dense(x, w, bias, Activation.RELU, y); // and nothing breaks with recording off
            b.recordOpTimes(true);
            assertFalse(byName(b.opTimes()).containsKey("dense"), "turning it on again starts afresh");
        }
    }
}
