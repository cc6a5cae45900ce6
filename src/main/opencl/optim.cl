// Optimizer updates. Work-item i updates elements [i*chunk, (i+1)*chunk): on GPUs chunk is 1
// (neighbouring items touch neighbouring elements, so accesses coalesce); on CPU devices each
// item streams a contiguous run, which the compiler vectorises and the prefetcher follows.
// needs: nothing

// Adam's flush of tiny squares to zero, as the Java backend does (dev.clmlp.tensor.Tuning.ADAM_FLUSH and its
// square root, passed by ClDefines.options).
#ifndef ADAM_FLUSH
#define ADAM_FLUSH 0x1.4484cp-100f
#endif
#ifndef ADAM_FLUSH_ROOT
#define ADAM_FLUSH_ROOT 0x1.203afap-50f
#endif

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

inline float flushed(const float x) { return fabs(x) < ADAM_FLUSH ? 0.0f : x; }

// Keras Adam; lrT = lr * sqrt(1 - beta2^t) / (1 - beta1^t) is computed on the host.
__kernel void adam(const int size, const int chunk, const float lrT, const float beta1, const float beta2,
                   const float eps, __global float* p, const int pOff, __global const float* g, const int gOff,
                   __global float* m, const int mOff, __global float* v, const int vOff)
{
    const int lo = get_global_id(0) * chunk, hi = min(size, lo + chunk);
    for (int e = lo; e < hi; e++) {
        // below ADAM_FLUSH (Backend.ADAM_FLUSH) a gradient or moment counts as 0: no denormal arithmetic
        const float ge = flushed(g[gOff + e]), m0 = flushed(m[mOff + e]), v0 = flushed(v[vOff + e]);
        const float me = m0 + (ge - m0) * (1.0f - beta1);
        const float ve = v0 + ((fabs(ge) < ADAM_FLUSH_ROOT ? 0.0f : ge * ge) - v0) * (1.0f - beta2);
        m[mOff + e] = me;
        v[vOff + e] = ve;
        p[pOff + e] -= lrT * me / (sqrt(ve) + eps);
    }
}

// Keras RMSprop (no momentum, not centred): v = rho v + (1 - rho) g^2; p -= lr g / sqrt(v + eps)
__kernel void rmsprop(const int size, const int chunk, const float lr, const float rho, const float eps,
                      __global float* p, const int pOff, __global const float* g, const int gOff,
                      __global float* v, const int vOff)
{
    const int lo = get_global_id(0) * chunk, hi = min(size, lo + chunk);
    for (int e = lo; e < hi; e++) {
        const float ge = g[gOff + e];
        const float ve = rho * v[vOff + e] + (1.0f - rho) * (ge * ge);
        v[vOff + e] = ve;
        p[pOff + e] -= lr * ge / sqrt(ve + eps);
    }
}

// Keras' weight decay, before an optimizer's step: p -= p * rate (rate = weight_decay * lr)
__kernel void weight_decay(const int size, const int chunk, const float rate, __global float* p, const int pOff)
{
    const int lo = get_global_id(0) * chunk, hi = min(size, lo + chunk);
    for (int e = lo; e < hi; e++) p[pOff + e] -= p[pOff + e] * rate;
}
