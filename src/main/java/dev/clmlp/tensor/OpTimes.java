package dev.clmlp.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Host time per backend operation ({@link Backend#recordOpTimes}): calls and nanoseconds per
 * operation name, plus parts measured inside operations (not added to the total).
 */
public final class OpTimes {
    /**
     * One operation or part.
     *
     * @param op    its name
     * @param calls how many times it ran
     * @param nanos the host time they took together
     * @param part  whether it is measured inside other operations (and so not part of the total)
     */
    public record Entry(String op, long calls, long nanos, boolean part) {}

    private final Map<String, long[]> ops = new LinkedHashMap<>(), parts = new LinkedHashMap<>();
    private volatile boolean paused;

    /** Stops adding times until {@link #resume()} (e.g. while a training loop evaluates, so that the times are the steps'). */
    public void pause() { paused = true; }

    /** Adds times again after {@link #pause()}. */
    public void resume() { paused = false; }

    boolean paused() { return paused; }

    /**
     * The start of an operation's timing: its clock, or 0 when times is null (not recording) or paused.
     * Backend times every public operation as {@code long t0 = start(times); ...; stop(times, op, t0)}.
     */
    static long start(OpTimes times) { return times == null || times.paused ? 0 : System.nanoTime(); }

    /** Adds the time since t0 to op, unless {@link #start} returned 0. */
    static void stop(OpTimes times, String op, long t0) {
        if (t0 != 0 && times != null) times.add(op, System.nanoTime() - t0);
    }

    synchronized void add(String op, long nanos) { bump(ops, op, nanos); }

    synchronized void addPart(String part, long nanos) { bump(parts, part, nanos); }

    private static void bump(Map<String, long[]> m, String k, long nanos) {
        long[] t = m.computeIfAbsent(k, x -> new long[2]);
        t[0]++;
        t[1] += nanos;
    }

    /** @return the operations by time, largest first, then the parts */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        ops.forEach((k, t) -> out.add(new Entry(k, t[0], t[1], false)));
        out.sort(Comparator.comparingLong(Entry::nanos).reversed());
        List<Entry> ps = new ArrayList<>();
        parts.forEach((k, t) -> ps.add(new Entry(k, t[0], t[1], true)));
        ps.sort(Comparator.comparingLong(Entry::nanos).reversed());
        out.addAll(ps);
        return out;
    }

    /** @return the total host time of the operations (parts excluded) */
    public synchronized long totalNanos() { return ops.values().stream().mapToLong(t -> t[1]).sum(); }

    /**
     * @param steps the training steps the times cover, to show each operation's time per step (0: leave that out)
     * @return a table: operation, calls, total ms, us per call, us per step, share of the total
     */
    public String table(long steps) {
        long all = totalNanos();
        StringBuilder sb = new StringBuilder(String.format("%-40s %9s %10s %9s %9s %7s%n", "operation", "calls", "total ms", "us/call",
                steps > 0 ? "us/step" : "", "share"));
        for (Entry e : entries()) {
            String name = e.part() ? "  of which " + e.op() : e.op();
            sb.append(String.format(Locale.ROOT, "%-40s %9d %10.1f %9.1f %9s %6.1f%%%n", name, e.calls(), e.nanos() / 1e6,
                    e.nanos() / 1e3 / e.calls(), steps > 0 ? String.format(Locale.ROOT, "%.1f", e.nanos() / 1e3 / steps) : "",
                    100.0 * e.nanos() / Math.max(1, all)));
        }
        sb.append(String.format(Locale.ROOT, "%-40s %9s %10.1f %9s %9s %6.1f%%%n", "total", "", all / 1e6, "",
                steps > 0 ? String.format(Locale.ROOT, "%.1f", all / 1e3 / steps) : "", 100.0));
        return sb.toString();
    }
}
