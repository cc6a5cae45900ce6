// What the three GEMM kernels share: C = epilogue(alpha * op(A) * op(B) + beta * C), with
// op(A)[i,p] = A[aOff + i*aRs + p*aCs] and op(B)[p,j] = B[bOff + p*bRs + j*bCs] (the strides
// express either operand transposed), C row-major with ld = n, then the epilogue (activations.cl)
// and the dropout that may follow it. gemm_tiled.cl runs it on GPUs, gemm_packed.cl on CPU devices.
// needs: nothing

// The parameters the three kernels (gemm_tiled, gemm_packed, gemm_sparse_a) start with, in the
// order ClGemm.run passes them: the product, then the epilogue and the dropout.
#define GEMM_PARAMS const int m, const int n, const int k, const float alpha, \
    __global const float* A, const int aOff, const int aRs, const int aCs, \
    __global const float* B, const int bOff, const int bRs, const int bCs, \
    const float beta, __global float* C, const int cOff, \
    __global const float* aux, const int auxOff, __global float* mask, const int maskOff, \
    const int epi, const int act, const int drop, const float rate, const float scale, \
    const uint seedLo, const uint seedHi, const uint stepLo, const uint stepHi, \
    __global float* dropped, const int droppedOff
