package dev.clmlp.opencl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A program's kernels, handed out with their arguments already set. Each clSetKernelArg costs
 * about a microsecond of host time (JOCL plus the driver), a GEMM launch has 30 arguments (gemm) or 34 (gemm_packed, gemm_sparse_a), and a
 * training step launches the same dozen kernels with the same arguments step after step. So
 * each kernel keeps a few instances that remember their arguments: a launch takes the instance
 * whose arguments already match and sets none, or else the least recently used one and sets
 * only the arguments that differ.
 * <p>
 * Buffers match by identity, never by handle value: once a buffer is released the driver may
 * hand the same cl_mem value to the next allocation, and a cache that compared values would
 * skip clSetKernelArg and launch the kernel on the released buffer (Oclgrind showed zeros and
 * garbage; PoCL happens to forgive it).
 */
final class Kernels implements AutoCloseable {
    /** Instances per kernel: more than the call sites of one kernel in a training step. */
    static final int INSTANCES = 16;

    /** A local-memory argument of this many bytes. */
    record Local(long bytes) {}

    private static final class Instance {
        final Object kernel;
        Object[] args = new Object[0];
        long lastUse;

        Instance(Object kernel) { this.kernel = kernel; }
    }

    private final ClRuntime rt;
    private final Object program;
    private final Map<String, List<Instance>> byName = new HashMap<>();
    private long uses;

    Kernels(ClRuntime rt, Object program, String... names) {
        this.rt = rt;
        this.program = program;
        try {
            for (String name : names) byName.put(name, new ArrayList<>(List.of(new Instance(rt.createKernel(program, name)))));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** An instance of the kernel, for queries. */
    Object any(String name) { return instances(name).get(0).kernel; }

    /** An instance of the kernel with these arguments set (each a buffer handle, Integer, Float or Local). */
    Object with(String name, Object[] args) {
        List<Instance> list = instances(name);
        Instance pick = null;
        for (Instance in : list)
            if (sameArgs(in.args, args)) { pick = in; break; }
        if (pick == null) {
            if (list.size() < INSTANCES) {
                pick = new Instance(rt.createKernel(program, name));
                list.add(pick);
            } else {
                pick = list.get(0);
                for (Instance in : list) if (in.lastUse < pick.lastUse) pick = in;
            }
            for (int i = 0; i < args.length; i++)
                if (i >= pick.args.length || !same(args[i], pick.args[i])) set(pick.kernel, i, args[i]);
            pick.args = args;
        }
        pick.lastUse = ++uses;
        return pick.kernel;
    }

    private static boolean sameArgs(Object[] a, Object[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
        return true;
    }

    /** Numbers and local sizes by value; buffers (each storage owns one handle object) by identity. */
    private static boolean same(Object a, Object b) {
        return a instanceof Integer || a instanceof Float || a instanceof Local ? a.equals(b) : a == b;
    }

    private List<Instance> instances(String name) {
        List<Instance> list = byName.get(name);
        if (list == null) throw new IllegalArgumentException("no kernel " + name);
        return list;
    }

    private void set(Object k, int i, Object a) {
        if (a instanceof Integer v) rt.setInt(k, i, v);
        else if (a instanceof Float v) rt.setFloat(k, i, v);
        else if (a instanceof Local l) rt.setLocal(k, i, l.bytes());
        else rt.setBuffer(k, i, a);
    }

    @Override public void close() {
        for (List<Instance> list : byName.values())
            for (Instance in : list) rt.releaseKernel(in.kernel);
        byName.clear();
    }
}
