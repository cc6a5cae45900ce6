package dev.clmlp.nn;

import dev.clmlp.data.Dataset;
import dev.clmlp.tensor.DType;
import dev.clmlp.tensor.Philox;
import dev.clmlp.tensor.OpTimes;
import dev.clmlp.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The training loop of a {@link Sequential}, top to bottom: per epoch a shuffle, the steps
 * (gather, forward, loss, backward, update), checkpoints and stop requests, then the epoch's
 * statistics and validation. Loss and hits accumulate on the device and are read once per
 * epoch (and at checkpoints, which also check that everything is finite).
 */
final class Training {
    private final Sequential m;
    private final boolean fusedUpdates; // each layer updated inside its weight-gradient product (Backend.denseSgd)

    Training(Sequential m) {
        this.m = m;
        fusedUpdates = m.backend.prefersFusedUpdates() && m.optimizer.updatesInsideProducts();
    }

    /** {@link Sequential#fit(Dataset, Dataset, FitOptions, TrainingListener, TrainingState)}: the loop itself. */
    History fit(Dataset train, Dataset validation, FitOptions opts, TrainingListener listener, TrainingState from) {
        m.checkData("fit", train);
        if (validation != null) m.checkData("fit", validation);
        TrainingListener l = listener != null ? listener : new TrainingListener() {};
        int n = train.rows(), steps = (n + opts.batchSize() - 1) / opts.batchSize();
        Network net = m.trainNetwork(Math.min(opts.batchSize(), n));
        boolean regression = m.regression(), targets = m.usesTargets() || m.binary(); // a binary model's labels come as 0/1 targets
        History history = new History(regression);
        int firstEpoch = 1, firstStep = 0;
        if (from != null) {
            restore(from, steps);
            from.history().forEach(history::add);
            firstEpoch = from.epoch();
            firstStep = from.step();
        }
        try (Resident data = Resident.of(m.backend, train); Resident val = validation == null ? null : Resident.of(m.backend, validation);
             Tensor lossSums = m.backend.zeros(1, steps); Tensor metricSums = m.backend.allocate(targets ? DType.FLOAT32 : DType.INT32, 1, steps);
             Tensor labels = targets ? m.backend.allocate(DType.FLOAT32, n, m.outputs()) : m.backend.allocate(DType.INT32, n, 1);
             Tensor lossWeights = lossWeights()) {
            for (int epoch = firstEpoch; epoch <= opts.epochs(); epoch++) {
                long t0 = System.nanoTime();
                int s0 = epoch == firstEpoch ? firstStep : 0, checked = s0;
                l.epochStarted(epoch, steps);
                data.order().upload(Philox.permutation(n, opts.shuffleSeed(), epoch));
                m.backend.gatherRows(data.y(), data.order(), 0, labels); // the epoch's labels (or targets) in shuffled order
                if (s0 > 0) { // the resumed epoch's statistics so far
                    lossSums.view(0, 1, s0).upload(from.lossSums());
                    upload(metricSums.view(0, 1, s0), from.metricSums());
                }
                for (int s = s0; s < steps; s++) {
                    int start = s * opts.batchSize(), rows = Math.min(opts.batchSize(), n - start);
                    trainStep(net, data, labels.rows(start, rows), start, rows, lossSums, metricSums, s, lossWeights);
                    if (opts.syncEvery() > 0 && (s + 1) % opts.syncEvery() == 0) m.backend.finish();
                    l.stepDone(epoch, s);
                    boolean stop = l.stopRequested();
                    if (s + 1 < steps && (stop || opts.checkpointEvery() > 0 && (s + 1) % opts.checkpointEvery() == 0)) {
                        float[] stepLoss = checkedLosses(lossSums.view(0, 1, s + 1), epoch, checked, steps);
                        l.checkpoint(checkedState(epoch, s + 1, checked, steps, stepLoss, download(metricSums.view(0, 1, s + 1)), history));
                        checked = s + 1;
                        if (stop) return history;
                    }
                }
                float[] stepLoss = checkedLosses(lossSums, epoch, checked, steps);
                float[] stepMetric = download(metricSums);
                double loss = Inference.sum(stepLoss) / n, metric = Inference.sum(stepMetric) / ((double) n * (targets ? m.outputs() : 1)); // accuracy (per output for multi-label) or MAE
                OpTimes times = m.backend.opTimes(); // --profile: the steps' budget, without the evaluation
                if (times != null) times.pause();
                double[] v = val != null ? Inference.evaluate(m, val, validation.rows()) : new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
                if (times != null) times.resume();
                if (val != null && !Double.isFinite(v[0]))
                    throw new TrainingDivergedException(epoch, checked + 1, steps, steps, "the validation loss is " + v[0]
                            + " (weights finite, but so large that the outputs overflow)");
                double seconds = (System.nanoTime() - t0) / 1e9;
                History.Epoch e = regression ? History.Epoch.regression(epoch, loss, v[0], seconds, new History.Errors(metric, v[1], v[2], v[3]))
                        : new History.Epoch(epoch, loss, metric, v[0], v[1], seconds);
                TrainingState end = checkedState(epoch, steps, checked, steps, stepLoss, stepMetric, history);
                history.add(e);
                l.epochEnded(e, m);
                l.checkpoint(new TrainingState(epoch + 1, 0, end.globalStep(), end.optimizerSteps(), end.params(),
                        end.optimizerState(), new float[0], new float[0], history.epochs()));
                if (epoch < opts.epochs() && l.stopRequested()) return history;
            }
        }
        return history;
    }

    /**
     * The loss's weights on the device, or null: a classifier's class weights, or the deviations of a
     * regression's standardised targets (its MAE in their own units), as {@link Network#loss} takes them.
     */
    private Tensor lossWeights() {
        if (m.classWeights() != null) return m.backend.upload(m.classWeights(), 1, m.classes());
        if (m.targetScaling() == null) return null;
        float[] factor = m.targetScaling().factor(), deviation = new float[factor.length];
        for (int j = 0; j < factor.length; j++) deviation[j] = 1f / factor[j];
        return m.backend.upload(deviation, 1, deviation.length);
    }

    /** Puts a checkpoint's parameters, optimizer state and step counter back on the device. */
    private void restore(TrainingState from, int steps) {
        if (from.params().length != m.params.flat.size())
            throw new IllegalArgumentException("fit: the checkpoint holds " + from.params().length + " parameters, the model has " + m.params.flat.size());
        if (from.step() >= steps)
            throw new IllegalArgumentException("fit: the checkpoint is at step " + from.step() + " of an epoch of " + steps
                    + " steps: resume with the batch size and data it was written with");
        m.params.flat.upload(from.params());
        m.optimizer.restore(from.optimizerSteps(), from.optimizerState());
        m.step = from.globalStep();
    }

    /** The loss sums of the epoch's first sums.size() steps, once those since step `checked` are finite. */
    private static float[] checkedLosses(Tensor sums, int epoch, int checked, int steps) {
        float[] stepLoss = sums.download();
        for (int s = checked; s < stepLoss.length; s++)
            if (!Float.isFinite(stepLoss[s]))
                throw new TrainingDivergedException(epoch, s + 1, s + 1, steps, "the loss is " + stepLoss[s]);
        return stepLoss;
    }

    /**
     * The state after `done` steps of the epoch (their checked losses and hits given), once all
     * parameters, optimizer state and last gradients are finite.
     */
    private TrainingState checkedState(int epoch, int done, int checked, int steps, float[] stepLoss, float[] stepMetric, History history) {
        float[] p = m.params.flat.download();
        requireFinite("weights", p, epoch, checked, done, steps);
        requireFinite("gradients", m.grads.flat.download(), epoch, checked, done, steps);
        List<float[]> state = new ArrayList<>();
        for (Tensor t : m.optimizer.state()) {
            float[] values = t.download();
            requireFinite(m.optimizer.name() + " state", values, epoch, checked, done, steps);
            state.add(values);
        }
        return new TrainingState(epoch, done, m.step, m.optimizer.steps(), p, state, stepLoss, stepMetric, history.epochs());
    }

    private void requireFinite(String what, float[] values, int epoch, int checked, int done, int steps) {
        for (int i = 0; i < values.length; i++)
            if (!Float.isFinite(values[i]))
                throw new TrainingDivergedException(epoch, checked + 1, done, steps,
                        what + " of " + parameterName(i) + " are non-finite (" + values[i] + " at element " + i + ")");
    }

    /** "dense_1.kernel" or "dense_1.bias": the tensor that holds flat parameter i. */
    private String parameterName(int i) { return m.plan("fit").parameterName(i); }

    /** A step's metric sums as floats: hit counts (INT32 on the device, exact as floats) or |error| sums. */
    private static float[] download(Tensor metricSums) {
        if (metricSums.dtype() == DType.FLOAT32) return metricSums.download();
        int[] hits = metricSums.downloadInts();
        float[] out = new float[hits.length];
        for (int i = 0; i < hits.length; i++) out[i] = hits[i];
        return out;
    }

    private static void upload(Tensor metricSums, float[] values) {
        if (metricSums.dtype() == DType.FLOAT32) { metricSums.upload(values); return; }
        int[] hits = new int[values.length];
        for (int i = 0; i < hits.length; i++) hits[i] = (int) values[i];
        metricSums.upload(hits);
    }

    /** One step: gather the batch, forward, loss, backward, update. Loss and hits (or |error|) go to slot s. */
    private void trainStep(Network net, Resident data, Tensor labels, int start, int rows, Tensor lossSums, Tensor metricSums, int s, Tensor lossWeights) {
        m.backend.gatherRows(data.x(), data.order(), start, net.input.rows(0, rows));
        m.step++;
        net.forward(m.params, rows, true, m.seed, m.step);
        net.loss(m, labels, rows, lossSums, metricSums, s, lossWeights);
        if (fusedUpdates) { // the optimizer inside the weight-gradient products: no separate pass over the gradients
            m.optimizer.startUpdate();
            net.backward(m.params, m.grads, rows, m.optimizer);
        } else {
            net.backward(m.params, m.grads, rows);
            m.optimizer.update(m.params.flat, m.grads.flat);
        }
    }
}
