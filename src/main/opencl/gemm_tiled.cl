// gemm_tiled, the GEMM for GPUs (gemm_common.cl): each work-group stages TS_K-deep tiles of
// op(A) and op(B) in local memory and computes a TS_M x TS_N tile of C, each work-item
// WPT_M x WPT_N of it in registers. Any m, n, k: edge tiles are zero-padded.
// needs: random.cl activations.cl gemm_common.cl
//
// Tuning constants (passed as -D build options by dev.clmlp.opencl.GemmParams.Tiled):
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
void gemm_tiled(GEMM_PARAMS)
{
    __local float As[TS_K][TS_M];
    __local float Bs[TS_K][TS_N];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * RTS_N + tx;
    const int i0 = get_group_id(1) * TS_M, j0 = get_group_id(0) * TS_N;

    float acc[WPT_M][WPT_N];
    #pragma unroll
    for (int wm = 0; wm < WPT_M; wm++)
        #pragma unroll
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
        #pragma unroll
        for (int pp = 0; pp < TS_K; pp++) {
            float a[WPT_M], b[WPT_N];
            #pragma unroll
            for (int wm = 0; wm < WPT_M; wm++) a[wm] = As[pp][ty + wm * RTS_M];
            #pragma unroll
            for (int wn = 0; wn < WPT_N; wn++) b[wn] = Bs[pp][tx + wn * RTS_N];
            #pragma unroll
            for (int wm = 0; wm < WPT_M; wm++)
                #pragma unroll
                for (int wn = 0; wn < WPT_N; wn++) acc[wm][wn] = mad(a[wm], b[wn], acc[wm][wn]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    #pragma unroll

    for (int wm = 0; wm < WPT_M; wm++) {
        const int i = i0 + ty + wm * RTS_M;
        #pragma unroll
        for (int wn = 0; wn < WPT_N; wn++) {
            const int j = j0 + tx + wn * RTS_N;
            if (i < m && j < n) {
                const int c = cOff + i * n + j;
                const float v = beta == 0.0f ? alpha * acc[wm][wn] : alpha * acc[wm][wn] + beta * C[c];
                const float y = epilogue(v, epi, act, aux + auxOff, mask + maskOff, i, j, n);
                C[c] = y;
                if (drop) {
                    const float keep = dropout_keep(seedLo, seedHi, stepLo, stepHi, rate, scale, i * n + j);
                    mask[maskOff + i * n + j] = keep;
                    dropped[droppedOff + i * n + j] = y * keep;
                }
            }
        }
    }
}
