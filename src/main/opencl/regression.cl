// Losses against float targets: a regression's, and a multi-label model's binary cross-entropy.
//
// The training step's loss for a regression: per element e = prediction - target,
//   mse:   e^2,                                   slope 2e
//   mae:   |e|,                                   slope sign(e)
//   huber: |e| <= delta ? e^2 / 2 : delta (|e| - delta / 2),   slope clamp(e, -delta, delta)
// (Keras' definitions), averaged over the row's k outputs and then over the batch's rows, so the
// gradient written is slope / (rows k). The batch's summed row losses and summed |e| go to
// lossSums[0] and absSums[0]; with `scaled`, each output's |e| times absScale[j] (a standardised
// target's error in its own units). One work-group of get_local_size(0) (a power of two) work-items,
// fixed-order reductions.
// needs: softmax.cl

#define LOSS_MSE 0
#define LOSS_MAE 1
#define LOSS_HUBER 2

__kernel void regression_stats(const int rows, const int k, const int loss, const float delta,
                               __global const float* y, const int yOff, __global const float* t, const int tOff,
                               __global float* d, const int dOff,
                               __global float* lossSums, const int lsOff, __global float* absSums, const int asOff,
                               const int scaled, __global const float* absScale, const int scOff,
                               __local float* lossScratch, __local float* absScratch)
{
    const int lid = get_local_id(0), lsz = get_local_size(0);
    const float invK = 1.0f / k, scale = 1.0f / ((float) rows * k);
    float lossAcc = 0.0f, absAcc = 0.0f;
    for (int r = lid; r < rows; r += lsz) {
        float row = 0.0f;
        for (int j = 0; j < k; j++) {
            const float e = y[yOff + r * k + j] - t[tOff + r * k + j], a = fabs(e);
            float l, slope;
            if (loss == LOSS_MSE) { l = e * e; slope = 2.0f * e; }
            else if (loss == LOSS_MAE) { l = a; slope = e > 0.0f ? 1.0f : e < 0.0f ? -1.0f : 0.0f; }
            else { l = a <= delta ? 0.5f * e * e : delta * (a - 0.5f * delta); slope = clamp(e, -delta, delta); }
            d[dOff + r * k + j] = slope * scale;
            row += l;
            absAcc += scaled ? a * absScale[scOff + j] : a;
        }
        lossAcc += row * invK;
    }
    const float lossTotal = tree_sum_float(lossScratch, lossAcc);
    const float absTotal = tree_sum_float(absScratch, absAcc);
    if (lid == 0) {
        lossSums[lsOff] = lossTotal;
        absSums[asOff] = absTotal;
    }
}

// A multi-label (or one-output binary) model's binary cross-entropy on its sigmoid outputs p
// against 0/1 targets t, as Keras computes it from probabilities: p clipped to [BCE_EPS, 1 - BCE_EPS],
// loss -(t log p + (1 - t) log(1 - p)), averaged over the row's k outputs and then over the rows;
// the gradient with respect to the pre-activation, (p - t) / (rows k); the batch's summed row
// losses and its count of outputs on the right side of 0.5 (Keras' binary_accuracy) to
// lossSums[0] and hits[0]. One work-group, fixed-order reductions. BCE_EPS: Backend.BCE_EPS, 1e-7.
#ifndef BCE_EPS
#define BCE_EPS 0x1.ad7f2ap-24f
#endif

__kernel void bce_stats(const int rows, const int k, __global const float* p, const int pOff, __global const float* t, const int tOff,
                        __global float* d, const int dOff, __global float* lossSums, const int lsOff, __global float* hits, const int hOff,
                        __local float* lossScratch, __local float* hitScratch)
{
    const int lid = get_local_id(0), lsz = get_local_size(0);
    const float invK = 1.0f / k, scale = 1.0f / ((float) rows * k);
    float lossAcc = 0.0f, hitAcc = 0.0f;
    for (int r = lid; r < rows; r += lsz) {
        float row = 0.0f;
        for (int j = 0; j < k; j++) {
            const float pe = p[pOff + r * k + j], te = t[tOff + r * k + j], c = clamp(pe, BCE_EPS, 1.0f - BCE_EPS);
            row -= te * log(c) + (1.0f - te) * log(1.0f - c);
            d[dOff + r * k + j] = (pe - te) * scale;
            hitAcc += (pe > 0.5f) == (te > 0.5f) ? 1.0f : 0.0f;
        }
        lossAcc += row * invK;
    }
    const float lossTotal = tree_sum_float(lossScratch, lossAcc);
    const float hitTotal = tree_sum_float(hitScratch, hitAcc);
    if (lid == 0) {
        lossSums[lsOff] = lossTotal;
        hits[hOff] = hitTotal;
    }
}
