package dev.clmlp.opencl;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.util.ArrayList;
import java.util.Arrays;
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
            if (Arrays.equals(in.args, args)) { pick = in; break; }
        if (pick == null) {
            if (list.size() < INSTANCES) {
                pick = new Instance(clCreateKernel(program, name, null));
                list.add(pick);
            } else {
                pick = list.get(0);
                for (Instance in : list) if (in.lastUse < pick.lastUse) pick = in;
            }
            for (int i = 0; i < args.length; i++)
                if (i >= pick.args.length || !args[i].equals(pick.args[i])) set(pick.kernel, i, args[i]);
            pick.args = args;
        }
        pick.lastUse = ++uses;
        return pick.kernel;
    }

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
