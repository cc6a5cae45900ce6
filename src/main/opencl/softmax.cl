// Row-wise kernels (one work-item per row) and single-work-group reductions.
// needs: nothing

// The sum of v over the work-group (get_local_size(0) a power of two, scratch one T per item),
// returned to every work-item: a fixed-order tree, so the result is bit-identical run to run.
#define DEFINE_TREE_SUM(T) \
T tree_sum_##T(__local T* scratch, const T v) \
{ \
    const int lid = get_local_id(0); \
    scratch[lid] = v; \
    barrier(CLK_LOCAL_MEM_FENCE); \
    for (int s = get_local_size(0) / 2; s > 0; s /= 2) { \
        if (lid < s) scratch[lid] += scratch[lid + s]; \
        barrier(CLK_LOCAL_MEM_FENCE); \
    } \
    return scratch[0]; \
}
DEFINE_TREE_SUM(float)
DEFINE_TREE_SUM(int)

float row_max(__global const float* x, const int k)
{
    float mx = -INFINITY;
    for (int j = 0; j < k; j++) mx = fmax(mx, x[j]);
    return mx;
}

// Writes softmax of row x[0..k) to y and returns log(sum_j exp(x_j - mx)).
float softmax_row(__global const float* x, __global float* y, const int k, const float mx)
{
    float sum = 0.0f;
    for (int j = 0; j < k; j++) {
        const float e = exp(x[j] - mx);
        y[j] = e;
        sum += e;
    }
    const float inv = 1.0f / sum;
    for (int j = 0; j < k; j++) y[j] *= inv;
    return log(sum);
}

__kernel void softmax(const int rows, const int k, __global const float* x, const int xOff,
                      __global float* y, const int yOff)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = x + xOff + r * k;
    softmax_row(xr, y + yOff + r * k, k, row_max(xr, k));
}

// Cross-entropy terms use -log p_j = logSum - (x_j - max): exact for huge logits.
// One row: writes p = softmax(x) and d = (p - onehot(label)) * invN; returns the row's loss.
float xent_label_row(__global const float* xr, const int label, __global float* pr, __global float* dr, const int k, const float invN)
{
    const float mx = row_max(xr, k), logSum = softmax_row(xr, pr, k, mx);
    for (int j = 0; j < k; j++) dr[j] = (pr[j] - (j == label ? 1.0f : 0.0f)) * invN;
    return (label >= 0 && label < k) ? logSum - (xr[label] - mx) : NAN;
}

// probs = softmax(logits); dlogits = (probs - onehot(label)) / rows
__kernel void softmax_xent_labels(const int rows, const int k, __global const float* x, const int xOff,
                                  __global const int* labels, const int lOff,
                                  __global float* p, const int pOff, __global float* d, const int dOff,
                                  __global float* loss, const int lossOff)
{
    const int r = get_global_id(0);
    if (r < rows)
        loss[lossOff + r] = xent_label_row(x + xOff + r * k, labels[lOff + r], p + pOff + r * k, d + dOff + r * k, k, 1.0f / rows);
}

// Same with float target rows y (one-hot or probabilities): loss[r] = -sum_j y_j log p_j
__kernel void softmax_xent_dense(const int rows, const int k, __global const float* x, const int xOff,
                                 __global const float* y, const int yOff,
                                 __global float* p, const int pOff, __global float* d, const int dOff,
                                 __global float* loss, const int lossOff)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = x + xOff + r * k;
    __global const float* yr = y + yOff + r * k;
    __global float* pr = p + pOff + r * k;
    __global float* dr = d + dOff + r * k;
    const float mx = row_max(xr, k), logSum = softmax_row(xr, pr, k, mx), invN = 1.0f / rows;
    float l = 0.0f;
    for (int j = 0; j < k; j++) {
        l += yr[j] * (logSum - (xr[j] - mx));
        dr[j] = (pr[j] - yr[j]) * invN;
    }
    loss[lossOff + r] = l;
}

int argmax_row(__global const float* x, const int k)
{
    int best = 0;
    for (int j = 1; j < k; j++) if (x[j] > x[best]) best = j;
    return best;
}

__kernel void argmax_rows(const int rows, const int k, __global const float* x, const int xOff,
                          __global int* out, const int oOff)
{
    const int r = get_global_id(0);
    if (r < rows) out[oOff + r] = argmax_row(x + xOff + r * k, k);
}

// One work-group of get_local_size(0) (a power of two) work-items: a fixed-order tree
// reduction, so the result is bit-identical from run to run.
__kernel void count_correct(const int rows, const int k, __global const float* x, const int xOff,
                            __global const int* labels, const int lOff, __global int* out, const int oOff,
                            __local int* scratch)
{
    const int lid = get_local_id(0), lsz = get_local_size(0);
    int count = 0;
    for (int r = lid; r < rows; r += lsz) count += argmax_row(x + xOff + r * k, k) == labels[lOff + r];
    const int total = tree_sum_int(scratch, count);
    if (lid == 0) out[oOff] = total;
}

__kernel void sum_all(const int size, __global const float* x, const int xOff, __global float* out, const int oOff,
                      __local float* scratch)
{
    const int lid = get_local_id(0), lsz = get_local_size(0);
    float acc = 0.0f;
    for (int e = lid; e < size; e += lsz) acc += x[xOff + e];
    const float total = tree_sum_float(scratch, acc);
    if (lid == 0) out[oOff] = total;
}

// The training step's loss in one launch: probs, dlogits = (probs - onehot) / rows, and the
// batch's summed loss and count of correct predictions into lossSums[0] and correct[0].
// One work-group of get_local_size(0) (a power of two) work-items, fixed-order reductions.
__kernel void softmax_xent_stats(const int rows, const int k, __global const float* x, const int xOff,
                                 __global const int* labels, const int lOff,
                                 __global float* p, const int pOff, __global float* d, const int dOff,
                                 __global float* lossSums, const int lsOff, __global int* correct, const int cOff,
                                 __local float* lossScratch, __local int* hitScratch)
{
    const int lid = get_local_id(0), lsz = get_local_size(0);
    const float invN = 1.0f / rows;
    float loss = 0.0f;
    int hits = 0;
    for (int r = lid; r < rows; r += lsz) {
        __global float* pr = p + pOff + r * k;
        const int label = labels[lOff + r];
        loss += xent_label_row(x + xOff + r * k, label, pr, d + dOff + r * k, k, invN);
        hits += argmax_row(pr, k) == label;
    }
    const float lossTotal = tree_sum_float(lossScratch, loss);
    const int hitTotal = tree_sum_int(hitScratch, hits);
    if (lid == 0) {
        lossSums[lsOff] = lossTotal;
        correct[cOff] = hitTotal;
    }
}

// Class weights: rows[r, :] *= weights[labels[r]], one work-item per row
__kernel void scale_rows_by_class(const int rows, const int c, __global float* x, const int xOff,
                                  __global const int* labels, const int lOff, __global const float* w, const int wOff)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    const float wr = w[wOff + labels[lOff + r]];
    for (int j = 0; j < c; j++) x[xOff + r * c + j] *= wr;
}
