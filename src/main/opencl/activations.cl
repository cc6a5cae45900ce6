// Activation functions shared by the element-wise kernels and the GEMM epilogues.
// needs: nothing
//
// ACT_* and EPI_* come as -D build options from the Java enums (dev.clmlp.tensor.Activation,
// dev.clmlp.opencl.ClDefines.EpilogueCode; ClDefines.options): the defaults below let this file
// compile alone, and ClProgramTest checks that they are the ordinals Java passes.
#ifndef ACT_LINEAR
#define ACT_LINEAR 0
#endif
#ifndef ACT_RELU
#define ACT_RELU 1
#endif
#ifndef ACT_SIGMOID
#define ACT_SIGMOID 2
#endif
#ifndef ACT_TANH
#define ACT_TANH 3
#endif
#ifndef EPI_NONE
#define EPI_NONE 0
#endif
#ifndef EPI_BIAS_ACT
#define EPI_BIAS_ACT 1
#endif
#ifndef EPI_ACT_SLOPE
#define EPI_ACT_SLOPE 2
#endif
#ifndef EPI_MASK_ACT_SLOPE
#define EPI_MASK_ACT_SLOPE 3
#endif

// The activations and their slopes f'(x), written in terms of the output y = f(x): once, for the
// element-wise kernels and the scalar epilogue (T float) and for gemm_packed.cl's vector epilogue
// (T a vector of floats), where select() picks lanes and the ternaries on act whole values.
#define ACTIVATE(T, v, act) ((act) == ACT_RELU ? select((T)(0.0f), (v), (v) > (T)(0.0f)) \
    : (act) == ACT_SIGMOID ? 1.0f / (1.0f + exp(-(v))) \
    : (act) == ACT_TANH ? tanh(v) \
    : (v))
#define ACTIVATION_SLOPE(T, y, act) ((act) == ACT_RELU ? select((T)(0.0f), (T)(1.0f), (y) > (T)(0.0f)) \
    : (act) == ACT_SIGMOID ? (y) * (1.0f - (y)) \
    : (act) == ACT_TANH ? 1.0f - (y) * (y) \
    : (T)(1.0f))

float activate(const float v, const int act) { return ACTIVATE(float, v, act); }

float activation_slope(const float y, const int act) { return ACTIVATION_SLOPE(float, y, act); }

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
