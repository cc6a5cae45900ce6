package dev.clmlp.nn;

import java.util.List;

/**
 * Where a run stands between two steps: all it takes to continue it bit for bit. The next step
 * to run is {@code step} (0-based) of {@code epoch} (1-based); shuffles and dropout masks are
 * pure functions of the seed, the epoch and {@code globalStep}, so they need no state of their own.
 *
 * @param params         every parameter, in the model's flat layout
 * @param optimizerState the optimizer's state tensors (Adam: m then v; SGD with momentum: velocity)
 * @param lossSums       the loss sum of each step of this epoch done so far (step entries)
 * @param metricSums     per step of this epoch done so far: its correct predictions (a classifier),
 *                       or its sum of |prediction - target| (a regression)
 * @param history        the epochs completed
 */
public record TrainingState(int epoch, int step, long globalStep, long optimizerSteps, float[] params,
                            List<float[]> optimizerState, float[] lossSums, float[] metricSums, List<History.Epoch> history) {
    /**
     * Checks the counters and the lengths of the epoch's statistics.
     *
     * @param epoch          the epoch in progress, from 1
     * @param step           the steps of it done, from 0
     * @param globalStep     the steps done since the start: the dropout stream's counter
     * @param optimizerSteps the optimizer's update count
     * @param params         every parameter
     * @param optimizerState the optimizer's state tensors
     * @param lossSums       the loss sum of each step of this epoch so far
     * @param metricSums     the correct predictions, or the |error| sums, of each step of this epoch so far
     * @param history        the epochs completed
     */
    public TrainingState {
        if (epoch < 1 || step < 0 || globalStep < 0 || optimizerSteps < 0)
            throw new IllegalArgumentException("training state: epoch " + epoch + ", step " + step + ", global step " + globalStep
                    + ", optimizer steps " + optimizerSteps + ": expected epoch >= 1 and the rest >= 0");
        if (lossSums.length != step || metricSums.length != step)
            throw new IllegalArgumentException("training state: " + lossSums.length + " loss sums and " + metricSums.length
                    + " metric sums for " + step + " steps done in epoch " + epoch);
        optimizerState = List.copyOf(optimizerState);
        history = List.copyOf(history);
    }
}
