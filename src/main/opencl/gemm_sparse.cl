// gemm_sparse_a, gemm_packed for an op(A) that is mostly zeros: it skips them.
// needs: random.cl activations.cl gemm_common.cl gemm_packed.cl

// Blocks of MR rows a gemm_sparse_a work-item takes at most (ClDefines.SPARSE_BLOCKS passes it).
#ifndef SPARSE_BLOCKS
#define SPARSE_BLOCKS 16
#endif

// gemm_sparse_a's register block: block blk's MR rows of C x the strip's columns j0 .. j0 + cols,
// summed over the block's live values of p in the current panel (p0), into C. B_AT is op(B)'s
// vector c of the strip at the panel's row p: from the packed panel or read in place.
#define SPARSE_BLOCK(blk, j0, cols, B_AT) REGISTER_BLOCK(A + aOff + p0 * aCs, aRs, !first || beta != 0.0f, \
    iBeg + (blk) * MR, iEnd, j0, cols, count[(blk)], live[(blk) * KC + e], B_AT)

// gemm_packed for an op(A) that is mostly zeros, such as a batch of pixels (OpenClBackend picks
// it for the first layer of MNIST-like data), with B row-major (bCs == 1). A work-item takes
// `rows` rows of C (at most SPARSE_BLOCKS blocks of MR) and the get_group_id(0)-th of
// get_num_groups(0) equal runs of whole strips of NCOL columns (all of them when there is one).
// For each panel of KC values of p it first lists, for each block of MR rows, the values of p
// where one of the rows of op(A) is not zero, then sums over only those, strip by strip and block
// by block. Each strip's KC x NCOL part of B is packed as gemm_packed packs it, only the rows that
// some block reads (on MNIST's batches of 64, 62% of the pixels), and stays in L1 while every
// block of the item uses it. (Read in place, its rows lie n floats apart: with n a
// power of two they share a few cache sets and evict each other.) That is also why a wide C is
// split by columns (each item lists all of its blocks) rather than into items of fewer rows that
// each stream all of B.
// With inPlace set (ClGemm: one panel, k <= KC, and C wide, as in a weight gradient X^T * dZ), the
// item goes block by block instead, each block across all of its strips, and reads B's rows where
// they are: all of B (k x n) then stays in L2, and C is walked along MR rows at a time. Strip by
// strip, an item's C was as many streams as it had rows (112 rows 4 KB apart), more than the
// prefetcher follows (PoCL, 784x64x1024:tn+sums, Ice Lake: 943-1,081 against 622-672 us; at
// n = 128 the panel was still faster, 81-85 against 88-99). There a block without a live value of
// p leaves C alone where C is only added to (a later panel, or beta 1) and alpha < 0, as in an SGD
// step: its sums, alpha * +0 = -0, added to any c give c, to the bit (with alpha > 0, +0 would turn a -0 into +0, as gemm_packed
// does). MNIST's margins make many such blocks (784x64x512:tn+sums, relative to the forward
// 64x512x512 of the same runs: 1.32-1.33 against 1.43-1.57).
// A zero term adds a zero, so the sums are gemm_packed's.
// No dropout: OpenClBackend does not ask for it here.
__kernel void gemm_sparse_a(GEMM_PARAMS, const int rows, const int colSums, __global float* colSum, const int csOff,
                            const int inPlace)
{
    __local floatV panel[KC * NR];
    __local ushort live[SPARSE_BLOCKS * KC];
    int count[SPARSE_BLOCKS];
    const int iBeg = get_group_id(1) * rows, iEnd = min(iBeg + rows, m);
    const int strips = (n + NCOL - 1) / NCOL, runs = get_num_groups(0), run = (strips + runs - 1) / runs;
    const int jBeg = get_group_id(0) * run * NCOL, jEnd = min(n, jBeg + run * NCOL);
    if (iBeg >= m || jBeg >= n) return;
    const int blocks = min(SPARSE_BLOCKS, (iEnd - iBeg + MR - 1) / MR);

    for (int p0 = 0; p0 < k; p0 += KC) {
        const int kc = min(KC, k - p0), first = p0 == 0;
        uint used[(KC + 31) / 32]; // bit p: some block needs p (only those rows of B are packed)
        #pragma unroll
        for (int w = 0; w < (KC + 31) / 32; w++) used[w] = 0;
        for (int blk = 0; blk < blocks; blk++) { // the values of p each block of rows needs
            __global const float* a[MR];
            #pragma unroll
            for (int r = 0; r < MR; r++) a[r] = A + aOff + min(iBeg + blk * MR + r, iEnd - 1) * aRs + p0 * aCs;
            int c = 0, p = 0;
            if (aCs == 1) // 16 values of p at a time: a bit for each where one of the rows is not zero (NaN too)
                for (; p + 16 <= kc; p += 16) {
                    int16 nz = (int16)(0);
                    #pragma unroll
                    for (int r = 0; r < MR; r++) nz |= isnotequal(vload16(0, a[r] + p), (float16)(0.0f));
                    nz &= (int16)(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
                    const int8 h8 = nz.lo | nz.hi;
                    const int4 h4 = h8.lo | h8.hi;
                    const int2 h2 = h4.lo | h4.hi;
                    const int bits = h2.x | h2.y;
                    used[p >> 5] |= (uint)bits << (p & 31);
                    #pragma unroll
                    for (int q = 0; q < 16; q++) {
                        live[blk * KC + c] = p + q;
                        c += (bits >> q) & 1;
                    }
                }
            for (; p < kc; p++) {
                int nonzero = 0;
                #pragma unroll
                for (int r = 0; r < MR; r++) nonzero |= a[r][p * aCs] != 0.0f;
                used[p >> 5] |= (uint)nonzero << (p & 31);
                live[blk * KC + c] = p;
                c += nonzero;
            }
            count[blk] = c;
        }
        if (inPlace) { // block by block, each across the item's strips, B's rows read where they are
            for (int blk = 0; blk < blocks; blk++) {
                if (count[blk] == 0 && (!first || beta == 1.0f) && alpha < 0.0f) continue; // C += -0: as it is
                for (int j0 = jBeg; j0 < jEnd; j0 += NCOL) {
                    const int cols = min(NCOL, jEnd - j0);
                    __global const float* b = B + bOff + p0 * bRs + j0;
                    SPARSE_BLOCK(blk, j0, cols, loadV(b + (p) * bRs + (c) * VW, min(VW, cols - (c) * VW)));
                }
            }
            continue;
        }
        for (int j0 = jBeg; j0 < jEnd; j0 += NCOL) { // strip by strip, each packed, then block by block
            const int cols = min(NCOL, jEnd - j0);
            for (int p = 0; p < kc; p++)
                if ((used[p >> 5] >> (p & 31)) & 1) pack_row(panel, B + bOff + p0 * bRs + j0, bRs, p, cols);
            for (int blk = 0; blk < blocks; blk++) SPARSE_BLOCK(blk, j0, cols, panel[(p) * NR + (c)]);
        }
    }
    EPILOGUE_BLOCK(iBeg, iEnd, jBeg, jEnd);
    if (colSums && iBeg == 0) // column sums of the item's columns of B, in order of p as gemm_packed adds them
        for (int j = jBeg; j < jEnd; j += VW) {
            const int w = min(VW, jEnd - j);
            floatV s = (floatV)(0.0f);
            for (int p = 0; p < k; p++) s += loadV(B + bOff + p * bRs + j, w);
            storeV(s, colSum + csOff + j, w);
        }
}
