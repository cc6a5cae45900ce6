package dev.clmlp.cli;

import com.google.gson.JsonObject;
import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.data.Scaling;
import dev.clmlp.table.Schema;
import dev.clmlp.tensor.RegressionLoss;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;
import dev.clmlp.nn.Checkpoint;
import dev.clmlp.nn.EarlyStopping;
import dev.clmlp.nn.ModelCheckpoint;
import dev.clmlp.nn.Monitor;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Preset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.nn.TrainingListener;
import dev.clmlp.nn.TrainingState;
import dev.clmlp.opencl.GemmTuner;
import dev.clmlp.optim.Optimizer;
import dev.clmlp.optim.Schedule;
import dev.clmlp.report.Charts;
import dev.clmlp.report.Report;
import dev.clmlp.report.WeightTracker;
import dev.clmlp.tensor.Backend;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * ./clmlp train: the two notebooks as presets, every hyperparameter overridable. Every option is
 * checked before any data is loaded; the run directory is locked, receives a checkpoint after
 * every epoch (and every --checkpoint-every steps), and --resume DIR continues from the last good
 * one. Ctrl-C or SIGTERM stops at the next step boundary with a checkpoint.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an MLP on MNIST and write history.csv, config.json, model.safetensors and plots to --out.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "scratch",
            description = "scratch: 784-128-64-10 ReLU, He-normal, SGD 0.01, batch 64, 20 epochs; keras: 784-128 ReLU-24 sigmoid-Dropout 0.1-10, Glorot, Adam 0.001, batch 32, 10 epochs (default: ${DEFAULT-VALUE})")
    String preset;
    @Option(names = "--layers", split = ",", paramLabel = "N", description = "hidden layer sizes, e.g. 128,64") List<Integer> layers;
    @Option(names = "--activation", split = ",", paramLabel = "F", description = "hidden activations (relu, sigmoid, tanh, linear), one or one per layer") List<String> activations;
    @Option(names = "--dropout", paramLabel = "RATE", description = "dropout rate after the last hidden layer (0: none)") Float dropout;
    @Option(names = "--init", description = "he_normal or glorot_uniform") String init;
    @Option(names = "--optimizer", description = "sgd, adam, adamw (Adam with weight decay 0.004, as Keras) or rmsprop") String optimizer;
    @Option(names = "--weight-decay", paramLabel = "W", description = "decay every weight by W x the learning rate before each step, as Keras' weight_decay"
            + " (with sgd: an L2 penalty of W/2 |w|^2; default 0, adamw 0.004)") Float weightDecay;
    @Option(names = "--loss", description = "categorical_crossentropy (classes); mse (default), mae or huber (a regression); binary_crossentropy (multi-label, or two classes through one sigmoid output)") String loss;
    @Option(names = "--lr", description = "learning rate") Float lr;
    @Option(names = "--momentum", description = "SGD momentum (default: 0)") Float momentum;
    @Option(names = "--lr-schedule", paramLabel = "SPEC",
            description = "constant (default), step:EPOCHS:FACTOR (multiply the rate by FACTOR every EPOCHS epochs) or cosine[:ALPHA] (down to ALPHA x the rate over the run)")
    String lrSchedule;
    @Option(names = "--batch", description = "batch size") Integer batch;
    @Option(names = "--epochs", description = "epochs (with --resume: the new total)") Integer epochs;
    @Option(names = "--seed", description = "seed of initial weights, shuffles and dropout (default: 1)") Long seed;
    @Option(names = "--limit", paramLabel = "N", description = "train on the first N training examples only") Integer limit;
    @Option(names = "--scale", paramLabel = "KIND",
            description = "scale the features: standard (mean 0, deviation 1: the default for your own data), minmax (to [0, 1]) or none (the default for MNIST), fitted on the training data and saved with the model")
    String scale;
    @Option(names = "--scale-target", paramLabel = "KIND",
            description = "a regression's targets: standard (train on mean 0, deviation 1 per target; MAE, RMSE, R^2 and predict stay in the targets' units), minmax or none (default)")
    String scaleTarget;
    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu, opencl[:N] (JOCL) or lwjgl[:N] (LWJGL) (default: ${DEFAULT-VALUE})") String backend;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: runs/<time>-<preset>)") Path out;
    @Option(names = "--resume", paramLabel = "DIR", description = "continue the run in DIR from its last good checkpoint") Path resume;
    @Option(names = "--overwrite", description = "replace the run already in --out") boolean overwrite;
    @Option(names = "--checkpoint-every", paramLabel = "STEPS", defaultValue = "0",
            description = "also checkpoint every STEPS steps within an epoch (default: after each epoch only)") int checkpointEvery;
    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "stop when val_loss has not improved for PATIENCE epochs, and keep the best epoch's weights") Integer earlyStopping;
    @Option(names = "--save-best", description = "also save the model of the epoch with the best val_loss into DIR/best") boolean saveBest;
    @Option(names = "--no-plots", description = "skip the PNG plots") boolean noPlots;
    @Option(names = "--progress", negatable = true, description = "progress bar (default: on a terminal)") Boolean progress;
    @Option(names = "--profile", description = "print the time of every operation per training step after training (and on OpenCL, every kernel's device time)") boolean profile;
    @Mixin DataOptions data;
    @Spec CommandSpec spec;

    /** What a run needs besides its model: written into every checkpoint and read back by --resume. */
    record RunOptions(String command, String preset, int batch, int epochs, long seed, Integer limit, JsonObject data, int checkpointEvery,
                      int earlyStopping, boolean saveBest) {
        RunOptions withEpochs(int n) {
            return new RunOptions(command, preset, batch, n, seed, limit, data, checkpointEvery, earlyStopping, saveBest);
        }

        RunOptions withCheckpointEvery(int steps) {
            return new RunOptions(command, preset, batch, epochs, seed, limit, data, steps, earlyStopping, saveBest);
        }

        String json(WeightTracker weights) { return jsonObject(weights).toString(); }

        JsonObject jsonObject(WeightTracker weights) {
            JsonObject o = new JsonObject();
            o.addProperty("command", command);
            o.addProperty("preset", preset);
            o.addProperty("batch", batch);
            o.addProperty("epochs", epochs);
            o.addProperty("seed", seed);
            if (limit != null) o.addProperty("limit", limit);
            o.add("data", data);
            o.addProperty("checkpoint_every", checkpointEvery);
            o.addProperty("early_stopping", earlyStopping);
            o.addProperty("save_best", saveBest);
            o.add("weights", weights.toJson());
            return o;
        }

        static RunOptions of(JsonFields o) {
            JsonObject data = o.has("data") ? o.object("data").object() : new JsonObject();
            if (!o.has("data")) data.addProperty("dataset", o.string("dataset")); // a checkpoint of clmlp 0.1, MNIST only
            return new RunOptions(o.has("command") ? o.string("command") : "(not recorded)", o.string("preset"), o.integer("batch", 1, Integer.MAX_VALUE), o.integer("epochs", 1, Integer.MAX_VALUE),
                    o.integer("seed"), o.has("limit") ? o.integer("limit", 1, Integer.MAX_VALUE) : null, data,
                    o.integer("checkpoint_every", 0, Integer.MAX_VALUE), o.has("early_stopping") ? o.integer("early_stopping", 0, Integer.MAX_VALUE) : 0,
                    o.has("save_best") && o.bool("save_best"));
        }
    }

    /** The model described by the preset and the overrides, for data of this width and number of classes (a regression's targets). */
    Sequential model(Preset p, int inputs, int outputs, String output) {
        Sequential m = Preset.model(layers != null ? layers : p.layers(), activations != null ? activations : p.activations(),
                init != null ? init : p.init(), dropout != null ? dropout : p.dropout(), inputs, outputs, output);
        if (loss != null) m.loss(loss);
        return m;
    }

    /** What a run starts from; a fresh run's model is built once the data gives its sizes (model null until then). */
    private record Plan(Sequential model, Optimizer optimizer, RunOptions run, Checkpoint.Loaded from) {}

    /** A fresh run's model, optimizer and options, or a usage error naming the first bad option. */
    private Plan fresh() throws UsageError, IOException {
        try {
            Preset p = Preset.named(preset);
            String output = loss == null || loss.equals(Sequential.CROSSENTROPY) ? "softmax" : loss.equals(Sequential.BINARY_CROSSENTROPY) ? "sigmoid" : "linear";
            if (output.equals("linear")) RegressionLoss.named(loss); // the name checked; which task it fits, once the data is read
            model(p, Preset.MNIST_INPUTS, Preset.MNIST_CLASSES, output); // the layer options checked; built for the data's sizes once it is read
            if (scale != null) Scaling.checkKind(scale);
            if (scaleTarget != null) Scaling.checkKind(scaleTarget);
            Optimizer opt = Optimizer.named(optimizer != null ? optimizer : p.optimizer(), lr != null ? lr : p.lr(),
                    momentum != null ? momentum : 0f);
            if (weightDecay != null) opt.withWeightDecay(weightDecay);
            if (lrSchedule != null) Schedule.parse(lrSchedule, 1, 1); // the form, before any data is read
            RunOptions run = new RunOptions(commandLine(), preset, positive("--batch", batch != null ? batch : p.batch()),
                    positive("--epochs", epochs != null ? epochs : p.epochs()), seed != null ? seed : 1,
                    limit == null ? null : positive("--limit", limit), data.toJson(), checkpointEvery,
                    earlyStopping == null ? 0 : positive("--early-stopping", earlyStopping), saveBest);
            return new Plan(null, opt, run, null);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private static boolean sameJson(String a, String b) {
        try {
            return com.google.gson.JsonParser.parseString(a).equals(com.google.gson.JsonParser.parseString(b));
        } catch (com.google.gson.JsonParseException e) {
            return false;
        }
    }

    /** The run in --resume DIR: its last good checkpoint, its model and options, --epochs raised if given. */
    private Plan resumed() throws UsageError, IOException {
        List<String> fixed = new ArrayList<>();
        if (layers != null) fixed.add("--layers");
        if (activations != null) fixed.add("--activation");
        if (dropout != null) fixed.add("--dropout");
        if (init != null) fixed.add("--init");
        if (loss != null) fixed.add("--loss");
        if (optimizer != null) fixed.add("--optimizer");
        if (weightDecay != null) fixed.add("--weight-decay");
        if (lr != null) fixed.add("--lr");
        if (momentum != null) fixed.add("--momentum");
        if (lrSchedule != null) fixed.add("--lr-schedule");
        if (batch != null) fixed.add("--batch");
        if (seed != null) fixed.add("--seed");
        if (earlyStopping != null) fixed.add("--early-stopping");
        if (saveBest) fixed.add("--save-best");
        if (limit != null) fixed.add("--limit");
        if (scale != null) fixed.add("--scale");
        if (scaleTarget != null) fixed.add("--scale-target");
        if (out != null) fixed.add("--out");
        if (overwrite) fixed.add("--overwrite");
        if (!fixed.isEmpty())
            throw new UsageError("--resume continues a run as it was started; " + String.join(", ", fixed) + " cannot change it");
        if (Checkpoint.list(resume).isEmpty())
            throw new UsageError("--resume " + resume + ": no checkpoint-*.safetensors in it (a directory written by clmlp train)");
        Checkpoint.Loaded c = Checkpoint.latest(resume, msg -> System.err.println("clmlp: " + msg)).orElseThrow(() ->
                new DataFileException(resume, "every checkpoint in it is damaged (see above); the run cannot be resumed"));
        Sequential.Config config;
        RunOptions run;
        try {
            config = Sequential.fromJson(c.modelConfig());
            run = RunOptions.of(JsonFields.parse(c.run()));
        } catch (IllegalArgumentException e) {
            throw new DataFileException(c.file(), e.getMessage());
        }
        Path edited = RunDirectory.Artefact.CONFIG.in(resume);
        if (Files.isRegularFile(edited) && !sameJson(Files.readString(edited), c.modelConfig()))
            System.out.println("note: " + edited + " differs from the model in " + c.file().getFileName() + ": --resume continues the checkpoint's model"
                    + " and writes its config.json again (a run's model does not change: start a new run for another)");
                if (epochs != null) {
            if (epochs < c.state().epoch() - 1)
                throw new UsageError("--epochs " + epochs + ": the run in " + resume + " has already done " + (c.state().epoch() - 1));
            run = run.withEpochs(epochs);
        }
        if (checkpointEvery > 0) run = run.withCheckpointEvery(checkpointEvery);
        data.resume(new JsonFields(run.data(), "data"));
        return new Plan(config.model(), config.optimizer(), run, c);
    }

    /** @return the command as typed, for the report: "clmlp train" and the arguments, quoted where a shell needs it */
    private String commandLine() {
        StringBuilder sb = new StringBuilder("clmlp train");
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        for (String a : args.subList(!args.isEmpty() && args.get(0).equals("train") ? 1 : 0, args.size()))
            sb.append(' ').append(a.matches("[A-Za-z0-9_./:=,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        return sb.toString();
    }

    /** --profile's table: the steps of the epochs from the second one this run trained (the first warms the JIT and caches up). */
    private static String opTimesTable(Backend b, int fromEpoch, int lastEpoch, int steps) {
        long n = (long) steps * (lastEpoch - fromEpoch + 1);
        return "Time per operation per training step, epochs " + fromEpoch + ".." + lastEpoch + " (" + n + " steps; "
                + (b instanceof dev.clmlp.cpu.CpuBackend ? "the CPU backend computes in these calls" : "on OpenCL, the host's time to check and enqueue")
                + "; evaluation left out):\n" + b.opTimes().table(n);
    }

    private static int positive(String option, int value) {
        if (value < 1) throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        return value;
    }

    @Override public Integer call() throws Exception {
        // everything a user typed is checked here, before any data is loaded
        if (checkpointEvery < 0) throw new UsageError("--checkpoint-every must be 0 or more steps, got " + checkpointEvery);
        UsageError.check(() -> Backends.checkSpec(backend));
        data.check();
        Plan plan = resume != null ? resumed() : fresh();
        Path dir = resume != null ? resume
                : out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + preset);
        try (RunDirectory run = RunDirectory.claim(dir, resume != null, overwrite); StopSignal stop = new StopSignal()) {
            return train(plan, run, stop);
        }
    }

    /** One run, top to bottom: data and model, backend, compile, fit, then the run directory's files. */
    private int train(Plan plan, RunDirectory run, StopSignal stop) throws IOException, UsageError {
        RunOptions opts = plan.run();
        DataOptions.Loaded loaded = data.load(opts.seed(), plan.model() != null ? plan.model().table() : null);
        Dataset.Split split = loaded.split();
        Dataset train = opts.limit() != null ? split.train().head(Math.min(opts.limit(), split.train().rows())) : split.train(),
                test = split.validation();
        Sequential model = UsageError.value(() -> modelFor(plan, train, test, loaded.table())); // --loss or --layers that do not fit the data
        weighClasses(model, train);
        int steps = (train.rows() + opts.batch() - 1) / opts.batch();
        if (lrSchedule != null) plan.optimizer().withSchedule(Schedule.parse(lrSchedule, steps, (long) steps * opts.epochs()));
        boolean bar = progress != null ? progress : System.console() != null;
        try (Backend b = Backends.open(backend, profile, GemmTuner.workload(opts.batch(), model.denseWidths()))) {
            printHeader(b, plan, model, train, test);
            model.compile(b, plan.optimizer(), opts.seed());
            run.writeConfig(model);
            WeightTracker weights = weightsFor(plan, model, run.dir);
            Listener listener = new Listener(opts, bar, weights, run.dir, model, stop);
            EarlyStopping early = opts.earlyStopping() > 0 ? new EarlyStopping(new Monitor("val_loss", 0), opts.earlyStopping(), true) : null;
            ModelCheckpoint best = opts.saveBest() ? new ModelCheckpoint(run.path(RunDirectory.Artefact.BEST), new Monitor("val_loss", 0), true) : null;
            FitOptions fit = new FitOptions(opts.epochs(), opts.batch(), opts.seed(), bar ? Math.max(1, steps / 100) : 0, opts.checkpointEvery());
            History h = fit(model, train, test, fit, plan.from() != null ? plan.from().state() : null, run.dir, listener, early, best);
            if (listener.stopped != null && (h.epochs().isEmpty() || h.last().epoch() < opts.epochs())) {
                TrainingState at = listener.stopped;
                System.out.printf("stopped %s; checkpoint %s%nresume with: ./clmlp train --resume %s%n",
                        at.step() == 0 ? "after epoch " + (at.epoch() - 1) : "in epoch " + at.epoch() + " after step " + at.step() + " of " + steps,
                        listener.lastCheckpoint, run.dir);
                model.close();
                return 130;
            }
            String opTable = profile ? opTimesTable(b, listener.profiledFrom(h.last().epoch()), h.last().epoch(), steps) : null; // before more work runs
            printFinal(model, h, test, early, best, run);
            List<RunDirectory.Artefact> wrote = writeOutputs(run, plan, b, model, h, weights, test);
            if (profile) {
                System.out.print("\n" + opTable);
                if (b instanceof dev.clmlp.opencl.OpenClBackend cl)
                    System.out.print("\nOpenCL kernel times (event profiling, evaluation included):\n" + dev.clmlp.opencl.Profiler.table(cl.profile()));
            }
            System.out.println("wrote " + run.dir + ": " + String.join(" ", wrote.stream().map(a -> a.file).toList()));
            model.close();
        }
        return 0;
    }

    /**
     * The model to train: the resumed one, or a fresh one whose first and last layers fit the data,
     * with the table's schema and class names, and its input scaling: --scale, else standard for
     * own data (a table's numeric columns only: not one-hot or missing flags), none for MNIST.
     */
    private Sequential modelFor(Plan plan, Dataset train, Dataset test, Schema table) {
        if (plan.model() != null) return plan.model();
        boolean multiLabel = table != null && table.task() == Schema.Task.MULTILABEL;
        boolean binary = !train.hasTargets() && Sequential.BINARY_CROSSENTROPY.equals(loss); // Keras' Dense(1, "sigmoid") for two classes
        int outputs = Math.max(train.outputs(), test.outputs());
        if (multiLabel && outputs == 1)
            throw new IllegalArgumentException("--task multilabel: one 0/1 target is two classes: give it as --label (with --loss binary_crossentropy for one sigmoid output)");
        if (binary && outputs != 2)
            throw new IllegalArgumentException("--loss " + loss + ": one sigmoid output classifies two classes, the label has " + outputs);
        String output = multiLabel || binary ? "sigmoid" : train.hasTargets() ? "linear" : "softmax";
        String fits = multiLabel ? Sequential.BINARY_CROSSENTROPY : train.hasTargets() ? "mse, mae or huber"
                : Sequential.CROSSENTROPY + " (or " + Sequential.BINARY_CROSSENTROPY + " for two classes)";
        boolean lossFits = loss == null || (multiLabel ? loss.equals(Sequential.BINARY_CROSSENTROPY) : train.hasTargets()
                ? !loss.equals(Sequential.CROSSENTROPY) && !loss.equals(Sequential.BINARY_CROSSENTROPY)
                : loss.equals(Sequential.CROSSENTROPY) || binary);
        if (!lossFits)
            throw new IllegalArgumentException("--loss " + loss + ": the data is for " + (table != null ? table.task().key() : train.hasTargets() ? "regression" : "classification")
                    + ", which trains with " + fits);
        Sequential model = model(Preset.named(preset), train.features(), binary ? 1 : outputs, output);
        if (table != null) model.readTables(table);
        else model.nameClasses(train.classNames());
        String kind = scale != null ? scale : data.format() != null ? Scaling.STANDARD : null;
        if (kind != null) model.scaleInputs(Scaling.fit(kind, train, table != null ? table.scaledInputs() : null));
        if (scaleTarget != null && !model.regression())
            throw new IllegalArgumentException("--scale-target: only a regression's targets are scaled, the data is for " + (model.multiLabel() ? "multilabel" : "classification"));
        if (scaleTarget != null) model.scaleTargets(Scaling.fitTargets(scaleTarget, train));
        return model;
    }

    /** --class-weight on the model (a fresh or a resumed run: a training option, kept with the data options). */
    private void weighClasses(Sequential model, Dataset train) throws UsageError {
        float[] w = data.classWeights(train, model);
        if (w == null) return;
        if (model.binary())
            throw new UsageError("--class-weight: one sigmoid output (--loss binary_crossentropy) does not weigh classes; the default two-way softmax does");
        model.classWeights(w);
    }

    private void printHeader(Backend b, Plan plan, Sequential model, Dataset train, Dataset test) {
        RunOptions opts = plan.run();
        System.out.println("backend " + b.name() + ": " + b.description()
                + (backend.equalsIgnoreCase("auto") ? " [auto: " + Backends.autoReason() + "]" : ""));
        System.out.println("data: " + train + ", validation: " + test);
        if (model.table() != null) System.out.println("table: " + model.table().describe());
        if (model.regression() && data.task == null && data.format() == DataOptions.Format.CSV && (data.targets == null || data.targets.size() == 1))
            System.out.println("task: regression, loss " + model.loss() + " (inferred: the target holds real numbers; --task classification treats whole numbers as classes)");
        if (model.multiLabel() && data.task == null)
            System.out.println("task: multilabel, loss " + model.loss() + " (inferred: every target column holds only 0 and 1; --task regression fits them as numbers)");
        if (model.binary()) System.out.println("task: binary classification, one sigmoid output (" + model.loss() + "), the probability of class " + model.className(1));
        if (model.classNames() != null) System.out.println("classes: " + String.join(", ", model.classNames()));
        float[] w = model.classWeights();
        if (w != null) {
            List<String> shown = new ArrayList<>();
            for (int c = 0; c < w.length; c++) shown.add(model.className(c) + " " + String.format(Locale.ROOT, "%.3g", w[c]));
            System.out.println("class weights: " + String.join(", ", shown));
        }
        if (plan.model() == null && data.format() != null)
            System.out.println("scaling: " + (model.inputScaling() == null ? "none" : model.inputScaling().kind() + (scale == null ? " (the default for own data; --scale none keeps the features as they are)" : "")));
        if (model.targetScaling() != null)
            System.out.println("target scaling: " + model.targetScaling().kind() + " (the loss is on the scaled targets; MAE, RMSE, R^2 and predict in their own units)");
        System.out.println("optimizer: " + plan.optimizer() + ", batch " + opts.batch() + ", epochs " + opts.epochs() + ", seed " + opts.seed());
        System.out.print(model.summary());
    }

    /** The weight-evolution samples: a resumed run's so far, or a fresh run's first (before any step). */
    private static WeightTracker weightsFor(Plan plan, Sequential model, Path dir) {
        if (plan.from() == null) {
            WeightTracker weights = new WeightTracker();
            weights.record(0, model);
            return weights;
        }
        TrainingState from = plan.from().state();
        System.out.printf("resuming %s from %s: epoch %d, step %d%n", dir, plan.from().file().getFileName(), from.epoch(), from.step());
        return WeightTracker.fromJson(JsonFields.parse(plan.from().run()).object("weights"));
    }

    /** Fits with every listener; a divergence names the last good checkpoint, which it keeps. */
    private static History fit(Sequential model, Dataset train, Dataset test, FitOptions fit, TrainingState from, Path dir,
                               TrainingListener... listeners) throws IOException {
        TrainingListener all = TrainingListener.of(java.util.Arrays.stream(listeners).filter(java.util.Objects::nonNull).toArray(TrainingListener[]::new));
        try {
            return model.fit(train, test, fit, all, from);
        } catch (dev.clmlp.nn.TrainingDivergedException e) {
            Path last = Checkpoint.list(dir).stream().findFirst().orElse(null);
            throw e.withNote(last == null ? "no checkpoint had been written yet" : "the last good checkpoint is kept: " + last);
        }
    }

    /** The final test loss and accuracy (a regression's errors): of the kept weights when early stopping put the best epoch's back. */
    private static void printFinal(Sequential model, History h, Dataset test, EarlyStopping early, ModelCheckpoint best, RunDirectory run) {
        History.Errors r = h.last().errors();
        double[] last = r != null ? new double[] {h.last().valLoss(), r.valMae(), r.valRmse(), r.valR2()} : new double[] {h.last().valLoss(), h.last().valAccuracy()};
        if (early != null && early.stoppedEpoch() > 0) {
            System.out.printf(Locale.ROOT, "early stopping after epoch %d: val_loss last improved in epoch %d (%.4f); its weights are kept%n",
                    early.stoppedEpoch(), early.bestEpoch(), early.best());
            last = model.evaluate(test); // the kept weights, not the last epoch's
        }
        if (best != null) System.out.println("best model (epoch " + best.savedEpoch() + ") in " + run.path(RunDirectory.Artefact.BEST));
        System.out.println("final: " + EvaluateCommand.results(model, last));
    }

    /** A finished run's files: results, report and plots; returns what it wrote. */
    private List<RunDirectory.Artefact> writeOutputs(RunDirectory run, Plan plan, Backend b, Sequential model, History h, WeightTracker weights, Dataset test) throws IOException {
        RunOptions opts = plan.run();
        JsonObject info = opts.jsonObject(weights);
        info.addProperty("backend", b.name() + ": " + b.description());
        run.writeResults(h, model, info);
        boolean images = data.format() == null; // MNIST: 28 x 28 pictures to draw
        Report.write(new Report.Training(run.dir.toString(), opts.command() + (plan.from() != null ? "\n(resumed: clmlp train --resume " + run.dir + ")" : ""),
                info.get("backend").getAsString(), model, History.readCsv(run.path(RunDirectory.Artefact.HISTORY)), weights, test, images),
                run.path(RunDirectory.Artefact.REPORT)); // the history as saved, so that ./clmlp report DIR draws the same page
        List<RunDirectory.Artefact> wrote = new ArrayList<>(List.of(RunDirectory.Artefact.REPORT, RunDirectory.Artefact.HISTORY,
                RunDirectory.Artefact.CONFIG, RunDirectory.Artefact.RUN, RunDirectory.Artefact.WEIGHTS));
        if (!noPlots) {
            Charts.history(h, run.path(RunDirectory.Artefact.HISTORY_PLOT));
            Charts.weights(weights, run.path(RunDirectory.Artefact.WEIGHTS_PLOT), run.path(RunDirectory.Artefact.BIASES_PLOT));
            wrote.addAll(List.of(RunDirectory.Artefact.HISTORY_PLOT, RunDirectory.Artefact.WEIGHTS_PLOT, RunDirectory.Artefact.BIASES_PLOT));
            if (images) {
                Charts.predictions(test, model.predictClasses(test.head(Math.min(32, test.rows()))), 32, run.path(RunDirectory.Artefact.PREDICTIONS_PLOT));
                wrote.add(RunDirectory.Artefact.PREDICTIONS_PLOT);
            }
        }
        return wrote;
    }

    /** Progress bar on a terminal, one line per epoch always; weights for the plots; checkpoints; the stop signal. */
    private static final class Listener implements TrainingListener {
        final RunOptions opts;
        final boolean bar;
        final WeightTracker weights;
        final Path dir;
        final Sequential model;
        final StopSignal stop;
        ProgressBar pb;
        int firstEpoch; // the first epoch this run trains (later than 1 when resumed)
        TrainingState stopped;
        Path lastCheckpoint;

        Listener(RunOptions opts, boolean bar, WeightTracker weights, Path dir, Sequential model, StopSignal stop) {
            this.opts = opts;
            this.bar = bar;
            this.weights = weights;
            this.dir = dir;
            this.model = model;
            this.stop = stop;
        }

        /** @return the first epoch whose steps --profile's times cover: the second of this run, if it trained one */
        int profiledFrom(int lastEpoch) { return lastEpoch > firstEpoch ? firstEpoch + 1 : firstEpoch; }

        @Override public void epochStarted(int epoch, int steps) {
            if (firstEpoch == 0) firstEpoch = epoch;
            else if (epoch == firstEpoch + 1 && model.backend().opTimes() != null)
                model.backend().recordOpTimes(true); // --profile: start afresh after the first epoch, which warms up the JIT and caches
            if (bar) pb = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, opts.epochs())).setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().clearDisplayOnFinish().build();
        }

        @Override public void stepDone(int epoch, int step) {
            if (pb != null) pb.stepTo(step + 1);
        }

        @Override public void epochEnded(History.Epoch e, Sequential m) {
            if (pb != null) { pb.close(); pb = null; }
            System.out.printf(Locale.ROOT, "epoch %d/%d  %s  %.2f s%n", e.epoch(), opts.epochs(), e.summary(), e.seconds());
            weights.record(e.epoch(), m);
        }

        @Override public void checkpoint(TrainingState s) {
            try {
                lastCheckpoint = Checkpoint.write(dir, model.toJson(), opts.json(weights), s);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a checkpoint into " + dir + ": " + e.getMessage(), e);
            }
            if (stop.requested()) stopped = s;
        }

        @Override public boolean stopRequested() { return stop.requested(); }
    }
}
