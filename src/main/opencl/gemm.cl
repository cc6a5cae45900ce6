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
          const float beta, __global float* C, const int cOff,
          __global const float* aux, const int auxOff, const int epi, const int act)
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
                const float v = beta == 0.0f ? alpha * acc[wm][wn] : alpha * acc[wm][wn] + beta * C[c];
                C[c] = epilogue(v, epi, act, aux + auxOff, i, j, n);
            }
        }
    }
}

// Dot-product SGEMM for CPU-like devices: C[i,j] = alpha * dot(A row i, Bt row j) + beta * C[i,j]
// with A (m x k) and Bt (n x k) both row-major, so each work-item streams contiguous rows with
// explicit VW-wide vector loads, and computes a DMR x DNR block of C (register blocking).
// The host transposes an operand into scratch when the caller's layout differs.
#ifndef VW
#define VW 16
#endif
#ifndef MR
#define MR 4
#endif
#ifndef NR
#define NR 2
#endif
#ifndef DMR
#define DMR 4
#endif
#ifndef DNR
#define DNR 4
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VW)
#define vloadV CAT(vload, VW)

float hsum(floatV v)
{
#if VW == 16
    float8 h8 = v.lo + v.hi;
    float4 h4 = h8.lo + h8.hi;
#elif VW == 8
    float4 h4 = v.lo + v.hi;
#else
    float4 h4 = v;
#endif
    float2 h2 = h4.lo + h4.hi;
    return h2.x + h2.y;
}

__kernel void gemm_dot(const int m, const int n, const int k, const float alpha,
                       __global const float* A, const int aOff, __global const float* Bt, const int bOff,
                       const float beta, __global float* C, const int cOff,
                       __global const float* aux, const int auxOff, const int epi, const int act)
{
    const int j0 = get_global_id(0) * DNR, i0 = get_global_id(1) * DMR;
    if (i0 >= m || j0 >= n) return;
    __global const float* a[DMR];
    __global const float* b[DNR];
    for (int r = 0; r < DMR; r++) a[r] = A + aOff + min(i0 + r, m - 1) * k; // edge blocks repeat the last row
    for (int c = 0; c < DNR; c++) b[c] = Bt + bOff + min(j0 + c, n - 1) * k;
    floatV acc[DMR][DNR];
    for (int r = 0; r < DMR; r++)
        for (int c = 0; c < DNR; c++) acc[r][c] = (floatV)(0.0f);
    const int kv = k / VW * VW;
    for (int p = 0; p < kv; p += VW) {
        floatV av[DMR], bv[DNR];
        for (int r = 0; r < DMR; r++) av[r] = vloadV(0, a[r] + p);
        for (int c = 0; c < DNR; c++) bv[c] = vloadV(0, b[c] + p);
        for (int r = 0; r < DMR; r++)
            for (int c = 0; c < DNR; c++) acc[r][c] = mad(av[r], bv[c], acc[r][c]);
    }
    for (int r = 0; r < DMR; r++) {
        for (int c = 0; c < DNR; c++) {
            float s = hsum(acc[r][c]);
            for (int p = kv; p < k; p++) s = mad(a[r][p], b[c][p], s);
            const int i = i0 + r, j = j0 + c;
            if (i < m && j < n) {
                const int o = cOff + i * n + j;
                C[o] = epilogue(beta == 0.0f ? alpha * s : alpha * s + beta * C[o], epi, act, aux + auxOff, i, j, n);
            }
        }
    }
}

// Axpy-form SGEMM for CPU-like devices: C = alpha * op(A) * B + beta * C with B row-major
// (k x n, contiguous along j) and op(A) read as scalars with any strides. Each work-item owns
// MR rows x NR vectors of VW columns and, for every p, broadcasts op(A)[i,p] against a vector
// load of B[p, j..]: no transposes for X*W (forward) or X^T*dZ (weight gradient).
// The work-item holding the last, partial column block takes a scalar path with the same
// summation order.
#define NCOL (NR * VW)

__kernel void gemm_axpy(const int m, const int n, const int k, const float alpha,
                        __global const float* A, const int aOff, const int aRs, const int aCs,
                        __global const float* B, const int bOff,
                        const float beta, __global float* C, const int cOff,
                        __global const float* aux, const int auxOff, const int epi, const int act)
{
    const int j0 = get_global_id(0) * NCOL, i0 = get_global_id(1) * MR;
    if (i0 >= m || j0 >= n) return;
    __global const float* a[MR];
    for (int r = 0; r < MR; r++) a[r] = A + aOff + min(i0 + r, m - 1) * aRs; // edge blocks repeat the last row
    __global const float* b = B + bOff + j0;
    if (j0 + NCOL <= n) {
        floatV acc[MR][NR];
        for (int r = 0; r < MR; r++)
            for (int c = 0; c < NR; c++) acc[r][c] = (floatV)(0.0f);
        for (int p = 0; p < k; p++) {
            floatV bv[NR];
            for (int c = 0; c < NR; c++) bv[c] = vloadV(c, b + p * n);
            for (int r = 0; r < MR; r++) {
                const floatV av = (floatV)(a[r][p * aCs]);
                for (int c = 0; c < NR; c++) acc[r][c] = mad(av, bv[c], acc[r][c]);
            }
        }
        for (int r = 0; r < MR && i0 + r < m; r++) {
            __global float* cr = C + cOff + (i0 + r) * n + j0;
            for (int c = 0; c < NR; c++) {
                const floatV v = beta == 0.0f ? alpha * acc[r][c] : alpha * acc[r][c] + beta * vloadV(c, cr);
                if (epi == EPI_NONE) {
                    CAT(vstore, VW)(v, c, cr);
                } else {
                    float lanes[VW];
                    CAT(vstore, VW)(v, 0, lanes);
                    for (int l = 0; l < VW; l++)
                        cr[c * VW + l] = epilogue(lanes[l], epi, act, aux + auxOff, i0 + r, j0 + c * VW + l, n);
                }
            }
        }
    } else {
        const int cols = n - j0;
        for (int r = 0; r < MR && i0 + r < m; r++) {
            for (int jj = 0; jj < cols; jj++) {
                float s = 0.0f;
                for (int p = 0; p < k; p++) s = mad(a[r][p * aCs], b[p * n + jj], s);
                const int o = cOff + (i0 + r) * n + j0 + jj;
                C[o] = epilogue(beta == 0.0f ? alpha * s : alpha * s + beta * C[o], epi, act, aux + auxOff, i0 + r, j0 + jj, n);
            }
        }
    }
}

// dst (cols x rows) = transpose of src (rows x cols)
__kernel void transpose(const int rows, const int cols, __global const float* src, const int sOff,
                        __global float* dst, const int dOff)
{
    const int e = get_global_id(0);
    if (e >= rows * cols) return;
    const int r = e / cols, c = e % cols;
    dst[dOff + c * rows + r] = src[sOff + e];
}
