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
        History history = new History();
        int firstEpoch = 1, firstStep = 0;
        if (from != null) {
            restore(from, steps);
            from.history().forEach(history::add);
            firstEpoch = from.epoch();
            firstStep = from.step();
        }
        try (Resident data = Resident.of(m.backend, train); Resident val = validation == null ? null : Resident.of(m.backend, validation);
             Tensor lossSums = m.backend.zeros(1, steps); Tensor correct = m.backend.allocate(DType.INT32, 1, steps);
             Tensor labels = m.backend.allocate(DType.INT32, n, 1)) {
            for (int epoch = firstEpoch; epoch <= opts.epochs(); epoch++) {
                long t0 = System.nanoTime();
                int s0 = epoch == firstEpoch ? firstStep : 0, checked = s0;
                l.epochStarted(epoch, steps);
                data.order().upload(Philox.permutation(n, opts.shuffleSeed(), epoch));
                m.backend.gatherRows(data.y(), data.order(), 0, labels); // the epoch's labels in shuffled order
                if (s0 > 0) { // the resumed epoch's statistics so far
                    lossSums.view(0, 1, s0).upload(from.lossSums());
                    correct.view(0, 1, s0).upload(from.correct());
                }
                for (int s = s0; s < steps; s++) {
                    int start = s * opts.batchSize(), rows = Math.min(opts.batchSize(), n - start);
                    trainStep(net, data, labels.rows(start, rows), start, rows, lossSums, correct, s);
                    if (opts.syncEvery() > 0 && (s + 1) % opts.syncEvery() == 0) m.backend.finish();
                    l.stepDone(epoch, s);
                    boolean stop = l.stopRequested();
                    if (s + 1 < steps && (stop || opts.checkpointEvery() > 0 && (s + 1) % opts.checkpointEvery() == 0)) {
                        float[] stepLoss = checkedLosses(lossSums.view(0, 1, s + 1), epoch, checked, steps);
                        l.checkpoint(checkedState(epoch, s + 1, checked, steps, stepLoss, correct.view(0, 1, s + 1).downloadInts(), history));
                        checked = s + 1;
                        if (stop) return history;
                    }
                }
                float[] stepLoss = checkedLosses(lossSums, epoch, checked, steps);
                int[] hits = correct.downloadInts();
                double loss = Inference.sum(stepLoss) / n, acc = Inference.sum(hits) / (double) n;
                OpTimes times = m.backend.opTimes(); // --profile: the steps' budget, without the evaluation
                if (times != null) times.pause();
                double[] v = val == null ? new double[] {Double.NaN, Double.NaN} : Inference.evaluate(m, val, validation.rows());
                if (times != null) times.resume();
                if (val != null && !Double.isFinite(v[0]))
                    throw new TrainingDivergedException(epoch, checked + 1, steps, steps, "the validation loss is " + v[0]
                            + " (weights finite, but so large that the outputs overflow)");
                History.Epoch e = new History.Epoch(epoch, loss, acc, v[0], v[1], (System.nanoTime() - t0) / 1e9);
                TrainingState end = checkedState(epoch, steps, checked, steps, stepLoss, hits, history);
                history.add(e);
                l.epochEnded(e, m);
                l.checkpoint(new TrainingState(epoch + 1, 0, end.globalStep(), end.optimizerSteps(), end.params(),
                        end.optimizerState(), new float[0], new int[0], history.epochs()));
                if (epoch < opts.epochs() && l.stopRequested()) return history;
            }
        }
        return history;
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
    private TrainingState checkedState(int epoch, int done, int checked, int steps, float[] stepLoss, int[] hits, History history) {
        float[] p = m.params.flat.download();
        requireFinite("weights", p, epoch, checked, done, steps);
        requireFinite("gradients", m.grads.flat.download(), epoch, checked, done, steps);
        List<float[]> state = new ArrayList<>();
        for (Tensor t : m.optimizer.state()) {
            float[] values = t.download();
            requireFinite(m.optimizer.name() + " state", values, epoch, checked, done, steps);
            state.add(values);
        }
        return new TrainingState(epoch, done, m.step, m.optimizer.steps(), p, state, stepLoss, hits, history.epochs());
    }

    private void requireFinite(String what, float[] values, int epoch, int checked, int done, int steps) {
        for (int i = 0; i < values.length; i++)
            if (!Float.isFinite(values[i]))
                throw new TrainingDivergedException(epoch, checked + 1, done, steps,
                        what + " of " + parameterName(i) + " are non-finite (" + values[i] + " at element " + i + ")");
    }

    /** "dense_1.kernel" or "dense_1.bias": the tensor that holds flat parameter i. */
    private String parameterName(int i) { return m.plan("fit").parameterName(i); }

    /** One step: gather the batch, forward, loss, backward, update. Loss and hits go to slot s. */
    private void trainStep(Network net, Resident data, Tensor labels, int start, int rows, Tensor lossSums, Tensor correct, int s) {
        m.backend.gatherRows(data.x(), data.order(), start, net.input.rows(0, rows));
        m.step++;
        net.forward(m.params, rows, true, m.seed, m.step);
        net.loss(labels, rows, lossSums, correct, s);
        if (fusedUpdates) { // the optimizer inside the weight-gradient products: no separate pass over the gradients
            m.optimizer.startUpdate();
            net.backward(m.params, m.grads, rows, m.optimizer);
        } else {
            net.backward(m.params, m.grads, rows);
            m.optimizer.update(m.params.flat, m.grads.flat);
        }
    }
}
