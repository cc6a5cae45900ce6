package dev.clmlp.tensor;

/**
 * What a backend implements: the {@code do*} method of each {@link Backend} operation, called
 * with arguments that {@link Backend} has checked (types, shapes, ownership), plus allocation
 * and transfer. {@link Backend} documents what each operation computes; the table says where
 * each lives. Sealed: {@link Backend} is the one subclass here, and backends extend it.
 *
 * <table>
 * <caption>Operations, their implementations, OpenCL kernels and contract tests</caption>
 * <tr><th>Backend operation</th><th>implemented by</th><th>OpenCL kernel (src/main/opencl)</th><th>BackendContract test</th></tr>
 * <tr><td>gemm</td><td>doGemm</td><td>gemm (GPUs), gemm_packed (CPU devices)</td><td>gemmMatchesReference, gemmOnAwkwardShapes</td></tr>
 * <tr><td>addBias, biasGrad</td><td>doAddBias, doBiasGrad</td><td>add_bias, bias_grad</td><td>addBiasAndBiasGrad</td></tr>
 * <tr><td>activation, activationGrad</td><td>doActivation, doActivationGrad</td><td>activation, activation_grad</td><td>activationsAndGradients, activationInPlace</td></tr>
 * <tr><td>softmax</td><td>doSoftmax</td><td>softmax</td><td>softmaxIsStableForHugeLogitsAndFlagsBadLabels</td></tr>
 * <tr><td>softmaxCrossEntropy</td><td>doSoftmaxCrossEntropy</td><td>softmax_xent_labels, softmax_xent_dense</td><td>softmaxCrossEntropyWithLabelsAndOneHot</td></tr>
 * <tr><td>dropout</td><td>doDropout</td><td>dropout</td><td>dropoutMatchesPhiloxAndKeepsExpectation, dropoutDropsTheRequestedFraction</td></tr>
 * <tr><td>multiply, copy</td><td>doMultiply, doCopy</td><td>multiply; a buffer copy</td><td>multiplyAndCopy</td></tr>
 * <tr><td>sgd</td><td>doSgd</td><td>sgd, sgd_momentum</td><td>sgdWithAndWithoutMomentum</td></tr>
 * <tr><td>adam</td><td>doAdam</td><td>adam</td><td>adamMatchesKeras, adamFlushesTinyGradientsAndMoments</td></tr>
 * <tr><td>rmsprop, weightDecay</td><td>doRmsprop, doWeightDecay</td><td>rmsprop, weight_decay</td><td>rmspropAndWeightDecayMatchKeras</td></tr>
 * <tr><td>gatherRows</td><td>doGatherRows</td><td>gather_rows, gather_rows_u8</td><td>gatherRowsOfFloatsIntsAndPixels, gatherOfALargeBatch, gatherFlagsIndicesOutsideTheSource</td></tr>
 * <tr><td>argmaxRows, countCorrect, sum</td><td>doArgmaxRows, doCountCorrect, doSum</td><td>argmax_rows, count_correct, sum_all</td><td>argmaxCountCorrectAndSum</td></tr>
 * <tr><td>dense, denseDropout</td><td>Backend.doDense, doDenseDropout (composed defaults)</td><td>the GEMM with its bias-activation epilogue (and dropout); gemm_sparse_a for mostly-zero inputs on CPU devices</td><td>denseAndDenseInputGradMatchTheReference, denseDropoutIsDenseThenDropout, aMostlyZeroPixelBatchGivesTheSameProductsAsFloats</td></tr>
 * <tr><td>denseInputGrad</td><td>Backend.doDenseInputGrad</td><td>the GEMM with its slope epilogue</td><td>denseAndDenseInputGradMatchTheReference</td></tr>
 * <tr><td>denseWeightGrad, denseSgd</td><td>Backend.doDenseWeightGrad, doDenseSgd (the GEMM into w, the bias gradient, sgd)</td><td>the GEMM, its column sums the bias gradient; denseSgd: the GEMM with beta 1 into w, then sgd on the bias</td><td>denseWeightGradMatchesTheReference, denseSgdIsTheWeightGradientAndAnSgdStep</td></tr>
 * <tr><td>denseBackwardSgd</td><td>Backend.doDenseBackwardSgd (denseInputGrad, then denseSgd; the Java backend from CpuBackend.FUSED_FROM outputs: both products a band of w's rows at a time, VectorGemm.inputGradThenUpdate; OpenCL on CPU devices from OpenClBackend.FUSED_FROM: the same in the kernel dense_backward_sgd, gemm_backward.cl)</td><td>those of denseInputGrad and denseSgd</td><td>denseBackwardSgdIsTheInputGradientThenDenseSgd</td></tr>
 * <tr><td>softmaxCrossEntropyStats</td><td>Backend.doSoftmaxCrossEntropyStats (with class weights: doScaleRowsByClass)</td><td>softmax_xent_stats; scale_rows_by_class</td><td>softmaxCrossEntropyStatsSumsLossAndHits, classWeightsScaleEachRowsLossAndGradient</td></tr>
 * <tr><td>regressionLossStats</td><td>doRegressionLossStats</td><td>regression_stats</td><td>regressionLossStatsMatchesTheReference</td></tr>
 * <tr><td>binaryCrossEntropyStats</td><td>doBinaryCrossEntropyStats</td><td>bce_stats</td><td>binaryCrossEntropyStatsMatchesTheReference</td></tr>
 * </table>
 * The Java backend implements each in {@code cpu/CpuBackend}; the OpenCL backend launches the
 * kernels from {@code opencl/OpenClBackend}. {@code ./clmlp check} ({@code check/SelfCheck})
 * runs every one of them on a device against the Java backend.
 */
public abstract sealed class Implementation permits Backend {
    /** For {@link Backend} only. */
    Implementation() {}

    /**
     * A new zero-filled allocation of the backend.
     *
     * @param dtype    the element type
     * @param elements how many elements
     * @return the allocation
     */
    protected abstract Storage newStorage(DType dtype, long elements);

    /**
     * Copies a host array into t.
     *
     * @param t         the destination, checked
     * @param hostArray a float[], int[] or byte[] of exactly t.size() elements
     */
    protected abstract void doWrite(Tensor t, Object hostArray);

    /**
     * Copies t into a host array, waiting for the operations before it.
     *
     * @param t         the source, checked
     * @param hostArray a float[] or int[] of exactly t.size() elements
     */
    protected abstract void doRead(Tensor t, Object hostArray);

    /**
     * Releases the backend's own resources (queues, contexts, threads) after every storage was freed.
     */
    protected abstract void closeBackend();

    /**
     * The backend's {@link Backend#gemm}, its arguments checked. m, n and k are the sizes of op(A) (m x k), op(B) (k x n) and C (m x n).
     *
     * @param transA as in {@link Backend#gemm}
     * @param transB as in {@link Backend#gemm}
     * @param m as in {@link Backend#gemm}
     * @param n as in {@link Backend#gemm}
     * @param k as in {@link Backend#gemm}
     * @param alpha as in {@link Backend#gemm}
     * @param a as in {@link Backend#gemm}
     * @param b as in {@link Backend#gemm}
     * @param beta as in {@link Backend#gemm}
     * @param c as in {@link Backend#gemm}
     */
    protected abstract void doGemm(boolean transA, boolean transB, int m, int n, int k,
                                   float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * The backend's {@link Backend#addBias}, its arguments checked.
     *
     * @param x as in {@link Backend#addBias}
     * @param bias as in {@link Backend#addBias}
     * @param y as in {@link Backend#addBias}
     */
    protected abstract void doAddBias(Tensor x, Tensor bias, Tensor y);

    /**
     * The backend's {@link Backend#biasGrad}, its arguments checked.
     *
     * @param dy as in {@link Backend#biasGrad}
     * @param db as in {@link Backend#biasGrad}
     */
    protected abstract void doBiasGrad(Tensor dy, Tensor db);

    /**
     * The backend's {@link Backend#activation}, its arguments checked.
     *
     * @param f as in {@link Backend#activation}
     * @param x as in {@link Backend#activation}
     * @param y as in {@link Backend#activation}
     */
    protected abstract void doActivation(Activation f, Tensor x, Tensor y);

    /**
     * The backend's {@link Backend#activationGrad}, its arguments checked.
     *
     * @param f as in {@link Backend#activationGrad}
     * @param y as in {@link Backend#activationGrad}
     * @param dy as in {@link Backend#activationGrad}
     * @param dx as in {@link Backend#activationGrad}
     */
    protected abstract void doActivationGrad(Activation f, Tensor y, Tensor dy, Tensor dx);

    /**
     * The backend's {@link Backend#softmax}, its arguments checked.
     *
     * @param x as in {@link Backend#softmax}
     * @param y as in {@link Backend#softmax}
     */
    protected abstract void doSoftmax(Tensor x, Tensor y);

    /**
     * The backend's {@link Backend#softmaxCrossEntropy}, its arguments checked.
     *
     * @param logits as in {@link Backend#softmaxCrossEntropy}
     * @param targets as in {@link Backend#softmaxCrossEntropy}
     * @param probs as in {@link Backend#softmaxCrossEntropy}
     * @param dlogits as in {@link Backend#softmaxCrossEntropy}
     * @param rowLoss as in {@link Backend#softmaxCrossEntropy}
     */
    protected abstract void doSoftmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor dlogits, Tensor rowLoss);

    /**
     * The backend's {@link Backend#dropout}, its arguments checked. scale is 1 / (1 - rate).
     *
     * @param x as in {@link Backend#dropout}
     * @param y as in {@link Backend#dropout}
     * @param mask as in {@link Backend#dropout}
     * @param rate as in {@link Backend#dropout}
     * @param scale as in {@link Backend#dropout}
     * @param seed as in {@link Backend#dropout}
     * @param step as in {@link Backend#dropout}
     */
    protected abstract void doDropout(Tensor x, Tensor y, Tensor mask, float rate, float scale, long seed, long step);

    /**
     * The backend's {@link Backend#multiply}, its arguments checked.
     *
     * @param a as in {@link Backend#multiply}
     * @param b as in {@link Backend#multiply}
     * @param c as in {@link Backend#multiply}
     */
    protected abstract void doMultiply(Tensor a, Tensor b, Tensor c);

    /**
     * The backend's {@link Backend#copy}, its arguments checked.
     *
     * @param src as in {@link Backend#copy}
     * @param dst as in {@link Backend#copy}
     */
    protected abstract void doCopy(Tensor src, Tensor dst);

    /**
     * The backend's {@link Backend#sgd}, its arguments checked.
     *
     * @param param as in {@link Backend#sgd}
     * @param grad as in {@link Backend#sgd}
     * @param velocity as in {@link Backend#sgd}
     * @param lr as in {@link Backend#sgd}
     * @param momentum as in {@link Backend#sgd}
     */
    protected abstract void doSgd(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum);

    /**
     * The backend's {@link Backend#adam}, its arguments checked. lrT is the step size with the bias corrections of step t folded in.
     *
     * @param param as in {@link Backend#adam}
     * @param grad as in {@link Backend#adam}
     * @param m as in {@link Backend#adam}
     * @param v as in {@link Backend#adam}
     * @param lrT as in {@link Backend#adam}
     * @param beta1 as in {@link Backend#adam}
     * @param beta2 as in {@link Backend#adam}
     * @param eps as in {@link Backend#adam}
     */
    protected abstract void doAdam(Tensor param, Tensor grad, Tensor m, Tensor v, float lrT, float beta1, float beta2, float eps);

    /**
     * The backend's {@link Backend#rmsprop}, its arguments checked.
     *
     * @param param as in {@link Backend#rmsprop}
     * @param grad  as in {@link Backend#rmsprop}
     * @param v     as in {@link Backend#rmsprop}
     * @param lr    as in {@link Backend#rmsprop}
     * @param rho   as in {@link Backend#rmsprop}
     * @param eps   as in {@link Backend#rmsprop}
     */
    protected abstract void doRmsprop(Tensor param, Tensor grad, Tensor v, float lr, float rho, float eps);

    /**
     * The backend's {@link Backend#weightDecay}, its arguments checked.
     *
     * @param param as in {@link Backend#weightDecay}
     * @param rate  as in {@link Backend#weightDecay}
     */
    protected abstract void doWeightDecay(Tensor param, float rate);

    /**
     * The backend's {@link Backend#gatherRows}, its arguments checked.
     *
     * @param src as in {@link Backend#gatherRows}
     * @param indices as in {@link Backend#gatherRows}
     * @param start as in {@link Backend#gatherRows}
     * @param dst as in {@link Backend#gatherRows}
     */
    protected abstract void doGatherRows(Tensor src, Tensor indices, int start, Tensor dst);

    /**
     * The backend's {@link Backend#argmaxRows}, its arguments checked.
     *
     * @param x as in {@link Backend#argmaxRows}
     * @param out as in {@link Backend#argmaxRows}
     */
    protected abstract void doArgmaxRows(Tensor x, Tensor out);

    /**
     * The backend's {@link Backend#countCorrect}, its arguments checked.
     *
     * @param scores as in {@link Backend#countCorrect}
     * @param labels as in {@link Backend#countCorrect}
     * @param out as in {@link Backend#countCorrect}
     * @param index as in {@link Backend#countCorrect}
     */
    protected abstract void doCountCorrect(Tensor scores, Tensor labels, Tensor out, int index);

    /**
     * The backend's {@link Backend#sum}, its arguments checked.
     *
     * @param x as in {@link Backend#sum}
     * @param out as in {@link Backend#sum}
     * @param index as in {@link Backend#sum}
     */
    protected abstract void doSum(Tensor x, Tensor out, int index);

    /**
     * rows[r, :] *= weights[labels[r]] (class weights in {@link Backend#softmaxCrossEntropyStats}).
     *
     * @param rows    n x c, updated
     * @param labels  INT32 n x 1, each in [0, k)
     * @param weights FLOAT32 1 x k
     */
    protected abstract void doScaleRowsByClass(Tensor rows, Tensor labels, Tensor weights);

    /**
     * The backend's {@link Backend#regressionLossStats}, its arguments checked.
     *
     * @param pred     as there
     * @param targets  as there
     * @param dpred    as there
     * @param loss     as there
     * @param delta    as there
     * @param lossSums as there
     * @param absSums  as there
     * @param index    as there
     * @param absScale as there, or null
     */
    protected abstract void doRegressionLossStats(Tensor pred, Tensor targets, Tensor dpred, RegressionLoss loss, float delta,
                                                  Tensor lossSums, Tensor absSums, int index, Tensor absScale);

    /**
     * The backend's {@link Backend#binaryCrossEntropyStats}, its arguments checked.
     *
     * @param probs    as there
     * @param targets  as there
     * @param dlogits  as there
     * @param lossSums as there
     * @param hits     as there
     * @param index    as there
     */
    protected abstract void doBinaryCrossEntropyStats(Tensor probs, Tensor targets, Tensor dlogits, Tensor lossSums, Tensor hits, int index);
}
