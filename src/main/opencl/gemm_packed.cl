// gemm_packed, the GEMM for CPU devices (gemm_common.cl), and the pieces gemm_sparse.cl and
// gemm_backward.cl build on: the register block's macros (REGISTER_BLOCK, PANEL_BLOCKS), pack_row and pack_rows,
// the epilogue pass (EPILOGUE_BLOCK), the column sums.
// needs: random.cl activations.cl gemm_common.cl
//
// gemm_packed is the GotoBLAS structure in one work-item. A work-item owns the
// rows [i0, i0 + rows) of a strip of NCOL = NR*VW columns. For each block of KC values of p it
// packs the strip's KC x NCOL panel of op(B) into local memory, contiguous and zero-padded past
// n (PoCL gives each one-item work-group its own, so the panel stays in L1 whatever the caller's
// layout), then sweeps its rows MR at a time: MR x NR vector accumulators in registers, one
// vector load of the panel per NR and one broadcast of op(A)[i,p] per MR. Partial sums of
// earlier blocks wait in C; the epilogue runs over the item's block after the last one.
// With colSums set, colSum receives the column sums of op(B), taken from the packed panels by the
// items of the first row block: the bias gradient of a weight-gradient product X^T * dZ.
//
// Tuning constants (passed as -D build options by dev.clmlp.opencl.GemmParams.Vector): VW
// (vector width: 4, 8 or 16), MR and NR (register block), KC (panel depth).
// The loops over them are unrolled so that the accumulators stay in registers.
#ifndef VW
#define VW 16
#endif
#ifndef MR
#define MR 4
#endif
#ifndef NR
#define NR 2
#endif
#ifndef KC
#define KC 128
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VW)
#define vloadV CAT(vload, VW)
#define vstoreV CAT(vstore, VW)
#define NCOL (NR * VW)

// epilogue() on VW columns of a row: y is the bias there (EPI_BIAS_ACT) or the layer below's
// output, mk the mask (EPI_MASK_ACT_SLOPE); the formulas are activations.cl's
floatV epilogueV(const floatV v, const int epi, const int act, const floatV y, const floatV mk)
{
    if (epi == EPI_BIAS_ACT) {
        const floatV x = v + y;
        return ACTIVATE(floatV, x, act);
    }
    const floatV slope = ACTIVATION_SLOPE(floatV, y, act);
    return epi == EPI_MASK_ACT_SLOPE ? v * mk * slope : v * slope;
}

// The first w <= VW floats at p as a vector (lanes past w are 0), and the reverse: a strip's last
// columns when n is not a multiple of NCOL, so that its epilogue too runs VW lanes at a time.
floatV loadV(__global const float* p, const int w)
{
    if (w == VW) return vloadV(0, p);
    float l[VW];
    for (int q = 0; q < VW; q++) l[q] = q < w ? p[q] : 0.0f;
    return vloadV(0, l);
}

void storeV(const floatV v, __global float* p, const int w)
{
    if (w == VW) { vstoreV(v, 0, p); return; }
    float l[VW];
    vstoreV(v, 0, l);
    for (int q = 0; q < w; q++) p[q] = l[q];
}

// The epilogue over rows i0 .. i1 and columns j0 .. j1 of C, VW columns at a time, in a pass of
// its own over a finished block, which is still in cache (inside the register loop it spilled the
// accumulators). A macro, as LOAD_BLOCK: it reads the kernel's GEMM_PARAMS.
#define EPILOGUE_BLOCK(i0, i1, j0, j1) \
    if (epi != EPI_NONE) \
        for (int i = (i0); i < (i1); i++) { \
            __global float* ci = C + cOff + i * n; \
            for (int j = (j0); j < (j1); j += VW) { \
                const int w = min(VW, (j1) - j); \
                const floatV y = loadV(aux + auxOff + (epi == EPI_BIAS_ACT ? j : i * n + j), w); \
                const floatV mk = epi == EPI_MASK_ACT_SLOPE ? loadV(mask + maskOff + i * n + j, w) : (floatV)(1.0f); \
                storeV(epilogueV(loadV(ci + j, w), epi, act, y, mk), ci + j, w); \
            } \
        }

// The register block's multiply-adds: fma() where it is one instruction (FAST_FMA, from the
// device's CL_FP_FMA: ClDevice.fastFma), else mad(). PoCL's mad() compiles to a multiply and an
// add, and PoCL does not define FP_FAST_FMAF. (On Zen 5, whose adds have pipes of their own, fma
// made 1024-1024's products 0-9% faster in two of three rounds and 4-9% slower in one; where adds
// share the FMA ports, the multiply and the add cost two instructions' throughput.)
#ifndef FAST_FMA
#define FAST_FMA 0
#endif
#if FAST_FMA || defined(FP_FAST_FMAF)
#define MADD(a, b, c) fma(a, b, c)
#else
#define MADD(a, b, c) mad(a, b, c)
#endif

// The register block's terms for one value of p: acc[r][c] += op(A)[row r, p] * bv[c]. A macro
// for the same reason as STORE_BLOCK below.
#define ADD_TERMS(acc, a, p, bv) \
    _Pragma("unroll") \
    for (int r = 0; r < MR; r++) { \
        const floatV av = (floatV)(a[r][(p) * aCs]); \
        _Pragma("unroll") \
        for (int c = 0; c < NR; c++) acc[r][c] = MADD(av, bv[c], acc[r][c]); \
    }

// The register block of C that STORE_BLOCK adds to (rows i0.., not past iEnd, columns j0 ..
// j0 + cols; 0 elsewhere), where it reads C (reads: an earlier panel's partial sums or beta != 0),
// loaded before the block's sums so that its cache misses overlap them: C's rows lie n floats
// apart, and read after the sums they stalled (PoCL, 1024x64x1024:tn with beta 1: 1,080-1,180 us
// against 865-873 loaded first).
#define LOAD_BLOCK(cin, reads, i0, iEnd, j0, cols) \
    _Pragma("unroll") \
    for (int r = 0; r < MR; r++) \
        _Pragma("unroll") \
        for (int c = 0; c < NR; c++) { \
            const int width = min(VW, (cols) - c * VW); \
            cin[r][c] = (reads) && (i0) + r < (iEnd) && width > 0 ? loadV(C + cOff + ((i0) + r) * n + (j0) + c * VW, width) : (floatV)(0.0f); \
        }

// A register block of gemm_packed and gemm_sparse_a into C, rows i0.. (not past iEnd) and
// columns j0 .. j0 + cols: alpha * acc, plus C (cin) where an earlier panel left its partial sums
// (first == 0), else plus beta * C where beta is not zero. A macro, not a function: PoCL kept the
// accumulators in memory for the call (gemm_sparse_a 784x32x128:tn 56-59 against 52-55 us).
#define STORE_BLOCK(acc, cin, i0, iEnd, j0, cols) \
    _Pragma("unroll") \
    for (int r = 0; r < MR; r++) { \
        if ((i0) + r >= (iEnd)) break; \
        __global float* cr = C + cOff + ((i0) + r) * n + (j0); \
        _Pragma("unroll") \
        for (int c = 0; c < NR; c++) { \
            const int width = min(VW, (cols) - c * VW); \
            if (width <= 0) break; \
            floatV v = alpha * acc[r][c]; \
            if (!first) v = cin[r][c] + v; \
            else if (beta != 0.0f) v = v + beta * cin[r][c]; \
            storeV(v, cr + c * VW, width); \
        } \
    }

// Row p of a strip's panel of a row-major op(B) at b (rows bRs apart) into local memory, its
// columns past `cols` zero (loadV)
void pack_row(__local floatV* panel, __global const float* b, const int bRs, const int p, const int cols)
{
    #pragma unroll
    for (int c = 0; c < NR; c++) panel[p * NR + c] = loadV(b + p * bRs + c * VW, min(VW, cols - c * VW));
}

// A strip's kc x NCOL panel of a row-major op(B), row by row (pack_row)
void pack_rows(__local floatV* panel, __global const float* b, const int bRs, const int kc, const int cols)
{
    for (int p = 0; p < kc; p++) pack_row(panel, b, bRs, p, cols);
}

// One register block: rows i0 .. of C (not past iEnd) x a strip's columns j0 .. j0 + cols, summed
// over `terms` values of p, the e-th of them P_OF, op(B)'s vector c of the strip at p being B_AT,
// into C (through LOAD_BLOCK and STORE_BLOCK; reads as there). op(A)'s row i starts at
// aPanel + i * aRs; edge blocks repeat row iEnd - 1. gemm_packed's terms are all of the panel's,
// gemm_sparse_a's the live ones.
#define REGISTER_BLOCK(aPanel, aRs, reads, i0, iEnd, j0, cols, terms, P_OF, B_AT) { \
    __global const float* a[MR]; \
    _Pragma("unroll") \
    for (int r = 0; r < MR; r++) a[r] = (aPanel) + min((i0) + r, (iEnd) - 1) * (aRs); \
    floatV acc[MR][NR], cin[MR][NR]; \
    _Pragma("unroll") \
    for (int r = 0; r < MR; r++) \
        _Pragma("unroll") \
        for (int c = 0; c < NR; c++) acc[r][c] = (floatV)(0.0f); \
    LOAD_BLOCK(cin, reads, i0, iEnd, j0, cols); \
    for (int e = 0; e < (terms); e++) { \
        const int p = P_OF; \
        floatV bv[NR]; \
        _Pragma("unroll") \
        for (int c = 0; c < NR; c++) bv[c] = B_AT; \
        ADD_TERMS(acc, a, p, bv); \
    } \
    STORE_BLOCK(acc, cin, i0, iEnd, j0, cols); \
}

// The blocks of MR rows i0 = iBeg, iBeg + MR, .. below iEnd of a strip, over all kc values of p of
// the packed panel
#define PANEL_BLOCKS(aPanel, aRs, reads, iBeg, iEnd, j0, cols, kc) \
    for (int i0 = (iBeg); i0 < (iEnd); i0 += MR) REGISTER_BLOCK(aPanel, aRs, reads, i0, iEnd, j0, cols, kc, e, panel[p * NR + c])

// Column sums of op(B) from its packed panels: sum[c] += the panel's rows, in the order of p
void add_panel_sums(floatV* sum, __local const floatV* panel, const int kc)
{
    for (int p = 0; p < kc; p++)
        #pragma unroll
        for (int c = 0; c < NR; c++) sum[c] += panel[p * NR + c];
}

// ... and the strip's first `cols` of them into out
void store_sums(const floatV* sum, __global float* out, const int cols)
{
    #pragma unroll
    for (int c = 0; c < NR; c++) {
        float lanes[VW];
        vstoreV(sum[c], 0, lanes);
        for (int l = 0; l < VW && c * VW + l < cols; l++) out[c * VW + l] = lanes[l];
    }
}

__kernel void gemm_packed(GEMM_PARAMS, const int rows, const int colSums, __global float* colSum, const int csOff)
{
    __local floatV panel[KC * NR];
    __local float* pf = (__local float*) panel;
    const int j0 = get_group_id(0) * NCOL, iBeg = get_group_id(1) * rows;
    const int iEnd = min(iBeg + rows, m), cols = min(NCOL, n - j0);
    if (iBeg >= m || cols <= 0) return;
    const int sums = colSums && iBeg == 0;
    floatV sum[NR];
    #pragma unroll
    for (int c = 0; c < NR; c++) sum[c] = (floatV)(0.0f);

    for (int p0 = 0; p0 < k; p0 += KC) {
        const int kc = min(KC, k - p0);
        __global const float* b = B + bOff + p0 * bRs + j0 * bCs;
        if (bCs == 1) {
            pack_rows(panel, b, bRs, kc, cols);
        } else { // column by column: contiguous reads when B is transposed (bRs == 1)
            for (int jj = 0; jj < NCOL; jj++)
                for (int p = 0; p < kc; p++) pf[p * NCOL + jj] = jj < cols ? b[p * bRs + jj * bCs] : 0.0f;
        }
        if (sums) add_panel_sums(sum, panel, kc);
        const int first = p0 == 0;
        PANEL_BLOCKS(A + aOff + p0 * aCs, aRs, !first || beta != 0.0f, iBeg, iEnd, j0, cols, kc);
    }
    EPILOGUE_BLOCK(iBeg, iEnd, j0, j0 + cols);
    // a dropout after the dense layer: mask and dropped as the dropout kernel writes them, the
    // random words eight Philox blocks at a time, over each row's columns of the strip (or over
    // all of the item's rows at once when the strip is the whole width)
    if (drop) {
        const int flat = cols == n;
        for (int i = iBeg; i < (flat ? iBeg + 1 : iEnd); i++) {
            const uint e0 = i * n + j0, e1 = flat ? iEnd * n : e0 + cols;
            for (uint block = e0 / 4; 4 * block < e1; block += 8) {
                float u[32];
                philox_uniforms32(seedLo, seedHi, stepLo, stepHi, block, u);
                for (uint e = max(e0, 4 * block); e < min(e1, 4 * block + 32); e++) {
                    const float keep = dropout_factor(u[e - 4 * block], rate, scale);
                    mask[maskOff + e] = keep;
                    dropped[droppedOff + e] = C[cOff + e] * keep;
                }
            }
        }
    }
    if (sums) store_sums(sum, colSum + csOff + j0, cols);
}
