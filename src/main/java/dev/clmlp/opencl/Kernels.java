package dev.clmlp.opencl;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * A program's kernels, handed out with their arguments already set. Each clSetKernelArg costs
 * about a microsecond of host time (JOCL plus the driver), a GEMM launch has 25 arguments, and a
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
        final cl_kernel kernel;
        Object[] args = new Object[0];
        long lastUse;

        Instance(cl_kernel kernel) { this.kernel = kernel; }
    }

    private final cl_program program;
    private final Map<String, List<Instance>> byName = new HashMap<>();
    private long uses;

    Kernels(cl_program program, String... names) {
        this.program = program;
        try {
            for (String name : names) byName.put(name, new ArrayList<>(List.of(new Instance(clCreateKernel(program, name, null)))));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** An instance of the kernel, for queries. */
    cl_kernel any(String name) { return instances(name).get(0).kernel; }

    /** An instance of the kernel with these arguments set (each a cl_mem, Integer, Float or Local). */
    cl_kernel with(String name, Object[] args) {
        List<Instance> list = instances(name);
        Instance pick = null;
        for (Instance in : list)
            if (sameArgs(in.args, args)) { pick = in; break; }
        if (pick == null) {
            if (list.size() < INSTANCES) {
                pick = new Instance(clCreateKernel(program, name, null));
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

    /** Buffers (each storage owns one cl_mem object) by identity; numbers and sizes by value. */
    private static boolean same(Object a, Object b) { return a instanceof cl_mem ? a == b : a.equals(b); }

    private List<Instance> instances(String name) {
        List<Instance> list = byName.get(name);
        if (list == null) throw new IllegalArgumentException("no kernel " + name);
        return list;
    }

    private static void set(cl_kernel k, int i, Object a) {
        if (a instanceof cl_mem m) clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
        else if (a instanceof Integer v) clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
        else if (a instanceof Float v) clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
        else if (a instanceof Local l) clSetKernelArg(k, i, l.bytes(), null);
        else throw new IllegalArgumentException("kernel argument of type " + a.getClass());
    }

    @Override public void close() {
        for (List<Instance> list : byName.values())
            for (Instance in : list) clReleaseKernel(in.kernel);
        byName.clear();
    }
}
