// dense_backward_sgd: a hidden dense layer's backward step under plain SGD for CPU devices, in
// one pass over its weights (OpenClBackend.doDenseBackwardSgd):
//   dx = (dz w^T) * mask * f'(yPrev)     rows x in, from w as it was
//   w += alpha x^T dz (alpha = -lr)     in x out
//   db = column sums of dz              1 x out
// needs: random.cl activations.cl gemm_common.cl gemm_packed.cl
//
// A work-item owns a band of w's rows [iBeg, iEnd). It first computes the band's columns of dx as
// dx^T = w[band, :] dz^T, with w's rows as op(A) (read along them) and dzT, a copy of dz^T that the
// host makes, as op(B); then it writes them into dx through the epilogue, and updates the band,
// which it has just read, while it is still in cache. Bands do not overlap, so no item reads
// what another writes. (As two gemm_packed launches, dz w^T packs w^T a float at a time, and the
// update streams w again: PoCL on Ice Lake, 1024-1024, took 1.29 + 1.11 ms for the two products,
// against 1.54-1.63 here plus 0.05 for each copy.)
//
// Every sum is gemm_packed's, to the bit: terms in the order of p from zero within each panel of
// KC, a panel's sum added to the earlier panels' (kept in dxT, in x rows, as gemm_packed keeps
// them in C), and the epilogue on the finished value. The products are written with gemm_packed's
// macros, which name the product's C, cOff, n, alpha, beta, first and aCs: each phase declares them.
__kernel void dense_backward_sgd(const int rows, const int in, const int out, const int band, const float lr,
                                 __global const float* dz, const int dzOff, __global const float* dzT, const int dzTOff,
                                 __global const float* xT, const int xTOff, const int xTRs, const int xTCs,
                                 __global float* w, const int wOff, __global float* dxT, const int dxTOff,
                                 __global float* dx, const int dxOff, __global const float* yPrev, const int yOff,
                                 __global const float* mask, const int maskOff, const int epi, const int act,
                                 __global float* db, const int dbOff)
{
    __local floatV panel[KC * NR];
    const int iBeg = get_group_id(0) * band, iEnd = min(iBeg + band, in);
    if (iBeg >= in) return;

    { // dxT[band, :] = w[band, :] dz^T: w's rows are op(A), dz^T's strips of NCOL rows of dz op(B)
        __global float* const C = dxT;
        const int cOff = dxTOff, n = rows, aCs = 1;
        const float alpha = 1.0f, beta = 0.0f;
        for (int j0 = 0; j0 < rows; j0 += NCOL) {
            const int cols = min(NCOL, rows - j0);
            for (int p0 = 0; p0 < out; p0 += KC) {
                const int kc = min(KC, out - p0), first = p0 == 0;
                pack_rows(panel, dzT + dzTOff + p0 * rows + j0, rows, kc, cols);
                PANEL_BLOCKS(w + wOff + p0, out, !first, iBeg, iEnd, j0, cols, kc);
            }
        }
    }
    // dx[:, band] = dxT[band, :]^T through the epilogue, along dx's rows (dxT's block is in L1)
    for (int j = 0; j < rows; j++)
        for (int i = iBeg; i < iEnd; i++) {
            const int e = j * in + i;
            const float v = dxT[dxTOff + i * rows + j], slope = activation_slope(yPrev[yOff + e], act);
            dx[dxOff + e] = epi == EPI_MASK_ACT_SLOPE ? v * mask[maskOff + e] * slope : v * slope;
        }

    { // w[band, :] += alpha x^T[band, :] dz: op(A) = x^T (strides xTRs, xTCs), op(B) = dz; db from the first band's panels
        __global float* const C = w;
        const int cOff = wOff, n = out, aCs = xTCs, sums = iBeg == 0;
        const float alpha = -lr, beta = 1.0f;
        for (int j0 = 0; j0 < out; j0 += NCOL) {
            const int cols = min(NCOL, out - j0);
            floatV sum[NR];
            #pragma unroll
            for (int c = 0; c < NR; c++) sum[c] = (floatV)(0.0f);
            for (int p0 = 0; p0 < rows; p0 += KC) {
                const int kc = min(KC, rows - p0), first = p0 == 0;
                pack_rows(panel, dz + dzOff + p0 * out + j0, out, kc, cols);
                if (sums) add_panel_sums(sum, panel, kc);
                PANEL_BLOCKS(xT + xTOff + p0 * aCs, xTRs, 1, iBeg, iEnd, j0, cols, kc);
            }
            if (sums) store_sums(sum, db + dbOff + j0, cols);
        }
    }
}
