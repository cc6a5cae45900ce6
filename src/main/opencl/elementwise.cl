// Element-wise kernels: one work-item per element (or per row/column where noted); every
// kernel guards its range, so the global size may be rounded up.
// needs: random.cl activations.cl

// Rows of pixels per work-item of gather_rows_u8 (ClDefines.GATHER_ROWS passes it).
#ifndef GATHER_ROWS
#define GATHER_ROWS 4
#endif

// y[r,c] = x[r,c] + bias[c]
__kernel void add_bias(const int rows, const int cols, __global const float* x, const int xOff,
                       __global const float* bias, const int bOff, __global float* y, const int yOff)
{
    const int e = get_global_id(0);
    if (e < rows * cols) y[yOff + e] = x[xOff + e] + bias[bOff + e % cols];
}

// db[c] = sum_r dy[r,c]; one work-item per column
__kernel void bias_grad(const int rows, const int cols, __global const float* dy, const int dOff,
                        __global float* db, const int dbOff)
{
    const int c = get_global_id(0);
    if (c >= cols) return;
    float acc = 0.0f;
    for (int r = 0; r < rows; r++) acc += dy[dOff + r * cols + c];
    db[dbOff + c] = acc;
}

// t = a^T, a rows x cols, t cols x rows; one work-item per column of a (row of t): neighbouring
// items read neighbouring values of each row of a, and each writes its row of t in order
__kernel void transpose(const int rows, const int cols, __global const float* a, const int aOff,
                        __global float* t, const int tOff)
{
    const int j = get_global_id(0);
    if (j >= cols) return;
    for (int i = 0; i < rows; i++) t[tOff + j * rows + i] = a[aOff + i * cols + j];
}

__kernel void activation(const int size, const int fn, __global const float* x, const int xOff,
                         __global float* y, const int yOff)
{
    const int e = get_global_id(0);
    if (e < size) y[yOff + e] = activate(x[xOff + e], fn);
}

// dx = dy * f'(x), written in terms of the forward output y
__kernel void activation_grad(const int size, const int fn, __global const float* y, const int yOff,
                              __global const float* dy, const int dyOff, __global float* dx, const int dxOff)
{
    const int e = get_global_id(0);
    if (e < size) dx[dxOff + e] = dy[dyOff + e] * activation_slope(y[yOff + e], fn);
}

// c = a * b
__kernel void multiply(const int size, __global const float* a, const int aOff, __global const float* b,
                       const int bOff, __global float* c, const int cOff)
{
    const int e = get_global_id(0);
    if (e < size) c[cOff + e] = a[aOff + e] * b[bOff + e];
}

// Inverted dropout: mask = keep ? scale : 0, y = x * mask. One work-item per Philox block of
// four elements, so that no random word is computed and thrown away.
__kernel void dropout(const int size, const float rate, const float scale,
                      const uint seedLo, const uint seedHi, const uint stepLo, const uint stepHi,
                      __global const float* x, const int xOff, __global float* y, const int yOff,
                      __global float* mask, const int mOff)
{
    const int block = get_global_id(0), e0 = block * 4;
    if (e0 >= size) return;
    const float4 u = philox_uniform4(seedLo, seedHi, stepLo, stepHi, (uint)block);
    for (int j = 0; j < 4 && e0 + j < size; j++) {
        const float keep = dropout_factor(philox_word(u, j), rate, scale);
        mask[mOff + e0 + j] = keep;
        y[yOff + e0 + j] = x[xOff + e0 + j] * keep;
    }
}

// dst row r = src row idx[start + r]; 32-bit words, so it serves float and int tensors alike.
// An index outside src fills the row with `bad` (NaN bits or -1).
__kernel void gather_rows(const int rows, const int cols, const int srcRows,
                          __global const uint* src, const int sOff, __global const int* idx, const int iOff,
                          __global uint* dst, const int dOff, const uint bad)
{
    const int e = get_global_id(0);
    if (e >= rows * cols) return;
    const int r = e / cols, c = e % cols, row = idx[iOff + r];
    dst[dOff + e] = (row >= 0 && row < srcRows) ? src[sOff + row * cols + c] : bad;
}

// Same from uint8 pixels to float in [0, 1], 16 pixels per vector op: one work-item per
// GATHER_ROWS rows (a -D option from OpenClBackend), their loads side by side, so that the rows'
// cache misses overlap instead of following one another.
__kernel void gather_rows_u8(const int rows, const int cols, const int srcRows,
                             __global const uchar* src, const int sOff, __global const int* idx, const int iOff,
                             __global float* dst, const int dOff)
{
    const int r0 = get_global_id(0) * GATHER_ROWS;
    if (r0 >= rows) return;
    const int n = min(GATHER_ROWS, rows - r0);
    __global const uchar* s[GATHER_ROWS];
    __global float* d[GATHER_ROWS];
    int ok[GATHER_ROWS];
    for (int q = 0; q < GATHER_ROWS; q++) {
        const int row = q < n ? idx[iOff + r0 + q] : -1;
        ok[q] = q < n && row >= 0 && row < srcRows;
        s[q] = src + sOff + (ok[q] ? row : 0) * cols;
        d[q] = dst + dOff + (r0 + min(q, n - 1)) * cols;
    }
    const int wide = cols / 16 * 16;
    for (int c = 0; c < wide; c += 16)
        for (int q = 0; q < GATHER_ROWS; q++)
            if (ok[q]) vstore16(convert_float16(vload16(0, s[q] + c)) * (1.0f / 255.0f), 0, d[q] + c);
    for (int q = 0; q < n; q++) // the columns past the last 16, and NaN rows for indices outside src
        for (int c = ok[q] ? wide : 0; c < cols; c++) d[q][c] = ok[q] ? (float)s[q][c] * (1.0f / 255.0f) : NAN;
}
