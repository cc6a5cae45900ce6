// Probes of what a device really does, run once when a backend opens (dev.clmlp.opencl.ClLimits).
// needs: nothing; built as a program of its own, before the GEMM constants are chosen.

// How many loop iterations one work-item may run. Mesa's llvmpipe (rusticl's CPU device, Mesa
// 22-23) ends every loop of an invocation after 65535 iterations counted over all its loops
// (gallivm's LP_MAX_TGSI_LOOP_ITERATIONS, a guard meant for graphics shaders), silently: the
// kernel goes on with whatever the loops had done. The loop reads memory so that no compiler can
// fold it; count[0] receives the iterations it ran, n on a device without such a limit.
__kernel void loop_limit(const int n, __global const int* ones, __global int* count)
{
    int c = 0;
    for (int i = 0; i < n; i++) c += ones[i & 1];
    count[0] = c;
}
