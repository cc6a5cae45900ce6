// Optimizer updates. Work-item i updates elements [i*chunk, (i+1)*chunk): on GPUs chunk is 1
// (neighbouring items touch neighbouring elements, so accesses coalesce); on CPU devices each
// item streams a contiguous run, which the compiler vectorises and the prefetcher follows.
// needs: nothing

// p -= lr * g
__kernel void sgd(const int size, const int chunk, const float lr, __global float* p, const int pOff,
                  __global const float* g, const int gOff)
{
    const int lo = get_global_id(0) * chunk, hi = min(size, lo + chunk);
    for (int e = lo; e < hi; e++) p[pOff + e] -= lr * g[gOff + e];
}

// v = momentum * v - lr * g; p += v
__kernel void sgd_momentum(const int size, const int chunk, const float lr, const float momentum,
                           __global float* p, const int pOff, __global const float* g, const int gOff,
                           __global float* v, const int vOff)
{
    const int lo = get_global_id(0) * chunk, hi = min(size, lo + chunk);
    for (int e = lo; e < hi; e++) {
        const float ve = momentum * v[vOff + e] - lr * g[gOff + e];
        v[vOff + e] = ve;
        p[pOff + e] += ve;
    }
}

// Keras Adam; lrT = lr * sqrt(1 - beta2^t) / (1 - beta1^t) is computed on the host.
__kernel void adam(const int size, const int chunk, const float lrT, const float beta1, const float beta2,
                   const float eps, __global float* p, const int pOff, __global const float* g, const int gOff,
                   __global float* m, const int mOff, __global float* v, const int vOff)
{
    const int lo = get_global_id(0) * chunk, hi = min(size, lo + chunk);
    for (int e = lo; e < hi; e++) {
        const float ge = g[gOff + e];
        const float me = m[mOff + e] + (ge - m[mOff + e]) * (1.0f - beta1);
        const float ve = v[vOff + e] + (ge * ge - v[vOff + e]) * (1.0f - beta2);
        m[mOff + e] = me;
        v[vOff + e] = ve;
        p[pOff + e] -= lrT * me / (sqrt(ve) + eps);
    }
}
