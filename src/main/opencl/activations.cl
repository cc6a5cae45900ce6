// Activation functions shared by the element-wise kernels and the GEMM epilogues.
// needs: nothing; ACT_* and EPI_* come as -D build options from the Java enums
// (dev.clmlp.tensor.Activation, OpenClBackend.EpilogueCode), so the codes are written once.

float activate(const float v, const int act)
{
    return act == ACT_RELU ? (v > 0.0f ? v : 0.0f)
         : act == ACT_SIGMOID ? 1.0f / (1.0f + exp(-v))
         : act == ACT_TANH ? tanh(v)
         : v;
}

// f'(x) written in terms of the output y = f(x)
float activation_slope(const float y, const int act)
{
    return act == ACT_RELU ? (y > 0.0f ? 1.0f : 0.0f)
         : act == ACT_SIGMOID ? y * (1.0f - y)
         : act == ACT_TANH ? 1.0f - y * y
         : 1.0f;
}

// GEMM epilogues: EPI_NONE; EPI_BIAS_ACT (dense forward) f(v + bias[j]); EPI_ACT_SLOPE (input
// gradient through the previous layer's activation) v * f'(x) from that layer's output y[i, j];
// EPI_MASK_ACT_SLOPE (the same through a dropout between the layers) v * mask[i, j] * f'(x).

float epilogue(const float v, const int epi, const int act, __global const float* aux, __global const float* mask,
               const int i, const int j, const int n)
{
    return epi == EPI_BIAS_ACT ? activate(v + aux[j], act)
         : epi == EPI_ACT_SLOPE ? v * activation_slope(aux[i * n + j], act)
         : epi == EPI_MASK_ACT_SLOPE ? v * mask[i * n + j] * activation_slope(aux[i * n + j], act)
         : v;
}
