package dev.clmlp.opencl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits of a device that its info queries do not report, measured by running a probe kernel
 * (limits.cl) once per device and driver in a JVM.
 */
final class ClLimits {
    /** Iterations the probe asks for: twice Mesa llvmpipe's 65535, the one limit of this kind known. */
    static final int PROBE_ITERATIONS = 1 << 17;

    /** No loop limit was found up to PROBE_ITERATIONS. */
    static final long UNLIMITED = Long.MAX_VALUE;

    private static final Map<String, Long> LOOP_LIMITS = new ConcurrentHashMap<>();

    private ClLimits() {}

    /**
     * @return the loop iterations a work-item of rt's device runs before its loops stop early
     *         (counted over all its loops), or UNLIMITED when the probe's loop ran to its end
     */
    static long loopLimit(ClRuntime rt) {
        ClDevice d = rt.device();
        String key = String.join("\0", d.platformName(), d.name(), d.vendor(), d.driver(), d.version());
        return LOOP_LIMITS.computeIfAbsent(key, k -> probeLoopLimit(rt));
    }

    private static long probeLoopLimit(ClRuntime rt) {
        Object program = ClProgram.build(rt, ClProgram.text("limits.cl"), "-cl-std=CL1.2");
        Object kernel = null, ones = null, count = null;
        try {
            kernel = rt.createKernel(program, "loop_limit");
            ones = rt.createBuffer(8);
            count = rt.createBuffer(4);
            rt.write(ones, 0, new int[] {1, 1});
            rt.setInt(kernel, 0, PROBE_ITERATIONS);
            rt.setBuffer(kernel, 1, ones);
            rt.setBuffer(kernel, 2, count);
            Object event = rt.launch(kernel, new long[] {1}, new long[] {1});
            if (event != null) rt.eventNanos(java.util.List.of(event)); // releases it (profiling runtimes return one)
            int[] ran = new int[1];
            rt.read(count, 0, ran);
            return ran[0] >= PROBE_ITERATIONS ? UNLIMITED : ran[0];
        } finally {
            if (count != null) rt.releaseBuffer(count);
            if (ones != null) rt.releaseBuffer(ones);
            if (kernel != null) rt.releaseKernel(kernel);
            rt.releaseProgram(program);
        }
    }
}
