package dev.clmlp.opencl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Sums OpenCL event profiling times per kernel name (events are read and released in batches). */
public final class Profiler {
    /** One kernel: launches and total device nanoseconds. */
    public record Entry(String kernel, long launches, long nanos) {}

    private final ClRuntime rt;
    private final List<String> names = new ArrayList<>();
    private final List<Object> events = new ArrayList<>();
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    Profiler(ClRuntime rt) { this.rt = rt; }

    void add(String kernel, Object event) {
        names.add(kernel);
        events.add(event);
        if (events.size() >= 4096) drain();
    }

    /** Waits for the pending events and adds their START..END times. */
    void drain() {
        if (events.isEmpty()) return;
        long[] nanos = rt.eventNanos(events);
        for (int i = 0; i < nanos.length; i++) {
            long[] t = totals.computeIfAbsent(names.get(i), k -> new long[2]);
            t[0]++;
            t[1] += nanos[i];
        }
        names.clear();
        events.clear();
    }

    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        totals.forEach((k, t) -> out.add(new Entry(k, t[0], t[1])));
        out.sort(Comparator.comparingLong(Entry::nanos).reversed());
        return out;
    }

    /**
     * @param entries kernel times, as {@link OpenClBackend#profile()} returns them
     * @return a table: kernel, launches, total ms, mean us, share of the total
     */
    public static String table(List<Entry> entries) {
        long all = entries.stream().mapToLong(Entry::nanos).sum();
        StringBuilder sb = new StringBuilder(String.format("%-36s %10s %12s %10s %7s%n", "kernel", "launches", "total ms", "mean us", "share"));
        for (Entry e : entries)
            sb.append(String.format(Locale.ROOT, "%-36s %10d %12.1f %10.1f %6.1f%%%n", e.kernel(), e.launches(), e.nanos() / 1e6,
                    e.nanos() / 1e3 / e.launches(), 100.0 * e.nanos() / Math.max(1, all)));
        return sb.toString();
    }
}
