package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.data.Mnist;
import dev.clmlp.io.AtomicFiles;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.Dropout;
import dev.clmlp.nn.FitOptions;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Layer;
import dev.clmlp.nn.Sequential;
import dev.clmlp.nn.TrainingListener;
import dev.clmlp.optim.Optimizer;
import dev.clmlp.report.Charts;
import dev.clmlp.report.WeightTracker;
import dev.clmlp.tensor.Backend;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** ./clmlp train: the two notebooks as presets, every hyperparameter overridable. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an MLP on MNIST and write history.csv, config.json, model.safetensors and plots to --out.")
final class TrainCommand implements Callable<Integer> {
    /** The notebooks' settings. */
    record Preset(List<Integer> layers, List<String> activations, float dropout, String init, String optimizer, float lr,
                  int batch, int epochs) {
        static Preset named(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "scratch" -> new Preset(List.of(128, 64), List.of("relu"), 0f, Dense.HE_NORMAL, "sgd", 0.01f, 64, 20);
                case "keras" -> new Preset(List.of(128, 24), List.of("relu", "sigmoid"), 0.1f, Dense.GLOROT_UNIFORM, "adam", 0.001f, 32, 10);
                default -> throw new IllegalArgumentException("unknown preset '" + name + "': expected scratch or keras");
            };
        }

        /** The preset's own model, without overrides. */
        Sequential model() { return TrainCommand.model(layers, activations, init, dropout); }
    }

    @Option(names = "--preset", defaultValue = "scratch",
            description = "scratch: 784-128-64-10 ReLU, He-normal, SGD 0.01, batch 64, 20 epochs; keras: 784-128 ReLU-24 sigmoid-Dropout 0.1-10, Glorot, Adam 0.001, batch 32, 10 epochs (default: ${DEFAULT-VALUE})")
    String preset;
    @Option(names = "--layers", split = ",", paramLabel = "N", description = "hidden layer sizes, e.g. 128,64") List<Integer> layers;
    @Option(names = "--activation", split = ",", paramLabel = "F", description = "hidden activations (relu, sigmoid, tanh, linear), one or one per layer") List<String> activations;
    @Option(names = "--dropout", paramLabel = "RATE", description = "dropout rate after the last hidden layer (0: none)") Float dropout;
    @Option(names = "--init", description = "he_normal or glorot_uniform") String init;
    @Option(names = "--optimizer", description = "sgd or adam") String optimizer;
    @Option(names = "--lr", description = "learning rate") Float lr;
    @Option(names = "--momentum", defaultValue = "0", description = "SGD momentum (default: ${DEFAULT-VALUE})") float momentum;
    @Option(names = "--batch", description = "batch size") Integer batch;
    @Option(names = "--epochs", description = "epochs") Integer epochs;
    @Option(names = "--seed", defaultValue = "1", description = "seed of initial weights, shuffles and dropout (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--limit", paramLabel = "N", description = "train on the first N training examples only") Integer limit;
    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu, opencl or opencl:N (default: ${DEFAULT-VALUE})") String backend;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: runs/<time>-<preset>)") Path out;
    @Option(names = "--no-plots", description = "skip the PNG plots") boolean noPlots;
    @Option(names = "--progress", negatable = true, description = "progress bar (default: on a terminal)") Boolean progress;
    @Option(names = "--profile", description = "print the device time of every OpenCL kernel after training") boolean profile;
    @Mixin DataOptions data;

    /** The model described by the preset and the overrides. */
    Sequential model(Preset p) {
        return model(layers != null ? layers : p.layers(), activations != null ? activations : p.activations(),
                init != null ? init : p.init(), dropout != null ? dropout : p.dropout());
    }

    /** 784 inputs, the hidden Dense layers, Dropout(rate) after the last one if rate > 0, 10 softmax outputs. */
    static Sequential model(List<Integer> hidden, List<String> acts, String initializer, float rate) {
        if (acts.size() != 1 && acts.size() != hidden.size())
            throw new IllegalArgumentException("--activation: give one activation or one per hidden layer (" + hidden.size() + "), got " + acts);
        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++)
            ls.add(new Dense(hidden.get(i), acts.get(acts.size() == 1 ? 0 : i), initializer));
        if (rate > 0) ls.add(new Dropout(rate));
        ls.add(new Dense(10, "softmax", initializer));
        return new Sequential(784, ls);
    }

    @Override public Integer call() throws Exception {
        Preset p = Preset.named(preset);
        Sequential model = model(p);
        Optimizer opt = Optimizer.named(optimizer != null ? optimizer : p.optimizer(), lr != null ? lr : p.lr(), momentum);
        int batchSize = batch != null ? batch : p.batch(), epochCount = epochs != null ? epochs : p.epochs();
        Path dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + preset);

        Mnist.Split split = data.load();
        Dataset train = limit != null ? split.train().head(limit) : split.train(), test = split.test();
        boolean bar = progress != null ? progress : System.console() != null;
        try (Backend b = Backends.open(backend, profile)) {
            System.out.println("backend " + b.name() + ": " + b.description());
            System.out.println("data: " + train + ", validation: " + test);
            System.out.println("optimizer: " + opt + ", batch " + batchSize + ", epochs " + epochCount + ", seed " + seed);
            System.out.print(model.summary());
            model.compile(b, opt, seed);
            WeightTracker weights = new WeightTracker();
            weights.record(0, model);
            int steps = (train.rows() + batchSize - 1) / batchSize;
            FitOptions fit = new FitOptions(epochCount, batchSize, seed, bar ? Math.max(1, steps / 100) : 0);
            History h = model.fit(train, test, fit, new Listener(epochCount, bar, weights));
            System.out.printf(Locale.ROOT, "final: test loss %.4f, test accuracy %.4f%n", h.last().valLoss(), h.last().valAccuracy());

            h.writeCsv(dir.resolve("history.csv"));
            AtomicFiles.write(dir.resolve("config.json"), model.toJson().getBytes(StandardCharsets.UTF_8));
            model.saveWeights(dir.resolve("model.safetensors"));
            if (!noPlots) {
                Charts.history(h, dir.resolve("history.png"));
                Charts.weights(weights, dir.resolve("weights.png"), dir.resolve("biases.png"));
                Charts.predictions(test, model.predictClasses(test.head(Math.min(32, test.rows()))), 32, dir.resolve("predictions.png"));
            }
            if (profile) {
                if (b instanceof dev.clmlp.opencl.OpenClBackend cl)
                    System.out.print("OpenCL kernel times (event profiling):\n" + dev.clmlp.opencl.Profiler.table(cl.profile()));
                else System.out.println("--profile: kernel times are recorded on OpenCL backends only; " + b.name() + " has none");
            }
            System.out.println("wrote " + dir + ": history.csv config.json model.safetensors"
                    + (noPlots ? "" : " history.png weights.png biases.png predictions.png"));
            model.close();
        }
        return 0;
    }

    /** Progress bar on a terminal, one line per epoch always; records weights for the plots. */
    private static final class Listener implements TrainingListener {
        final int epochs;
        final boolean bar;
        final WeightTracker weights;
        ProgressBar pb;

        Listener(int epochs, boolean bar, WeightTracker weights) {
            this.epochs = epochs;
            this.bar = bar;
            this.weights = weights;
        }

        @Override public void epochStarted(int epoch, int steps) {
            if (bar) pb = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs)).setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().clearDisplayOnFinish().build();
        }

        @Override public void stepDone(int epoch, int step) {
            if (pb != null) pb.stepTo(step + 1);
        }

        @Override public void epochEnded(History.Epoch e, Sequential model) {
            if (pb != null) { pb.close(); pb = null; }
            System.out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f  %.2f s%n",
                    e.epoch(), epochs, e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.seconds());
            weights.record(e.epoch(), model);
        }
    }
}
