// Tiled SGEMM: C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C (C row-major, ld = n).
// op(A)[i,p] = A[aOff + i*aRs + p*aCs], op(B)[p,j] = B[bOff + p*bRs + j*bCs]: the strides
// express either operand transposed. Any m, n, k: edge tiles are zero-padded.
//
// Tuning constants (passed as -D build options by dev.clmlp.opencl.GemmParams):
//   TS_M x TS_N   output tile of one work-group
//   TS_K          depth of the A and B tiles staged in local memory
//   WPT_M x WPT_N outputs per work-item (register blocking)
// A work-group is (TS_N/WPT_N) x (TS_M/WPT_M) work-items; local memory TS_K*(TS_M+TS_N) floats.
#ifndef TS_M
#define TS_M 64
#endif
#ifndef TS_N
#define TS_N 64
#endif
#ifndef TS_K
#define TS_K 16
#endif
#ifndef WPT_M
#define WPT_M 4
#endif
#ifndef WPT_N
#define WPT_N 4
#endif
#define RTS_M (TS_M / WPT_M)
#define RTS_N (TS_N / WPT_N)
#define GROUP_SIZE (RTS_M * RTS_N)

__kernel __attribute__((reqd_work_group_size(RTS_N, RTS_M, 1)))
void gemm(const int m, const int n, const int k, const float alpha,
          __global const float* A, const int aOff, const int aRs, const int aCs,
          __global const float* B, const int bOff, const int bRs, const int bCs,
          const float beta, __global float* C, const int cOff)
{
    __local float As[TS_K][TS_M];
    __local float Bs[TS_K][TS_N];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * RTS_N + tx;
    const int i0 = get_group_id(1) * TS_M, j0 = get_group_id(0) * TS_N;

    float acc[WPT_M][WPT_N];
    for (int wm = 0; wm < WPT_M; wm++)
        for (int wn = 0; wn < WPT_N; wn++) acc[wm][wn] = 0.0f;

    for (int p0 = 0; p0 < k; p0 += TS_K) {
        for (int e = tid; e < TS_M * TS_K; e += GROUP_SIZE) {
            const int ii = e % TS_M, pp = e / TS_M, gi = i0 + ii, gp = p0 + pp;
            As[pp][ii] = (gi < m && gp < k) ? A[aOff + gi * aRs + gp * aCs] : 0.0f;
        }
        for (int e = tid; e < TS_N * TS_K; e += GROUP_SIZE) {
            const int jj = e % TS_N, pp = e / TS_N, gj = j0 + jj, gp = p0 + pp;
            Bs[pp][jj] = (gj < n && gp < k) ? B[bOff + gp * bRs + gj * bCs] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int pp = 0; pp < TS_K; pp++) {
            float a[WPT_M], b[WPT_N];
            for (int wm = 0; wm < WPT_M; wm++) a[wm] = As[pp][ty + wm * RTS_M];
            for (int wn = 0; wn < WPT_N; wn++) b[wn] = Bs[pp][tx + wn * RTS_N];
            for (int wm = 0; wm < WPT_M; wm++)
                for (int wn = 0; wn < WPT_N; wn++) acc[wm][wn] = mad(a[wm], b[wn], acc[wm][wn]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int wm = 0; wm < WPT_M; wm++) {
        const int i = i0 + ty + wm * RTS_M;
        for (int wn = 0; wn < WPT_N; wn++) {
            const int j = j0 + tx + wn * RTS_N;
            if (i < m && j < n) {
                const int c = cOff + i * n + j;
                C[c] = beta == 0.0f ? alpha * acc[wm][wn] : alpha * acc[wm][wn] + beta * C[c];
            }
        }
    }
}
