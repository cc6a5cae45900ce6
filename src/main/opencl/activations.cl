// Activation functions shared by the element-wise kernels and the GEMM epilogues.
// act: 0 linear, 1 relu, 2 sigmoid, 3 tanh (the order of dev.clmlp.tensor.Activation).

float activate(const float v, const int act)
{
    return act == 1 ? (v > 0.0f ? v : 0.0f)
         : act == 2 ? 1.0f / (1.0f + exp(-v))
         : act == 3 ? tanh(v)
         : v;
}

// f'(x) written in terms of the output y = f(x)
float activation_slope(const float y, const int act)
{
    return act == 1 ? (y > 0.0f ? 1.0f : 0.0f)
         : act == 2 ? y * (1.0f - y)
         : act == 3 ? 1.0f - y * y
         : 1.0f;
}

// GEMM epilogues: 0 none; 1 (dense forward) f(v + bias[j]); 2 (input gradient through the
// previous layer's activation) v * f'(x) from that layer's output y[i, j]; 3 (the same through a
// dropout between the layers) v * mask[i, j] * f'(x).
#define EPI_NONE 0
#define EPI_BIAS_ACT 1
#define EPI_ACT_SLOPE 2
#define EPI_MASK_ACT_SLOPE 3

float epilogue(const float v, const int epi, const int act, __global const float* aux, __global const float* mask,
               const int i, const int j, const int n)
{
    return epi == EPI_BIAS_ACT ? activate(v + aux[j], act)
         : epi == EPI_ACT_SLOPE ? v * activation_slope(aux[i * n + j], act)
         : epi == EPI_MASK_ACT_SLOPE ? v * mask[i * n + j] * activation_slope(aux[i * n + j], act)
         : v;
}
