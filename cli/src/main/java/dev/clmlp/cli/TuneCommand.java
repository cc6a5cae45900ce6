package dev.clmlp.cli;

import dev.clmlp.nn.Preset;
import dev.clmlp.nn.Sequential;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.GemmTuner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** ./clmlp tune: search GEMM parameters on an OpenCL device for a preset's training step and cache the winner. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Find the fastest GEMM parameters of an OpenCL device for a preset's training step (or --layers, --batch); later runs of that model use them.")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "0", paramLabel = "N", description = "OpenCL device opencl:N (default: ${DEFAULT-VALUE})") int device;
    @Option(names = "--preset", defaultValue = "scratch", description = "scratch or keras: the shapes to tune for (default: ${DEFAULT-VALUE})") String preset;
    @Option(names = "--layers", split = ",", paramLabel = "N", description = "hidden layer sizes, as given to train (default: the preset's)") List<Integer> layers;
    @Option(names = "--batch", paramLabel = "N", description = "batch size, as given to train (default: the preset's)") Integer batch;

    @Override public Integer call() throws UsageError {
        Preset p = UsageError.value(() -> Preset.named(preset));
        List<ClDevice> devices = ClDevice.list();
        if (device < 0 || device >= devices.size())
            throw new UsageError("--device: no OpenCL device opencl:" + device + " (" + devices.size() + " present; see ./clmlp devices)");
        ClDevice d = devices.get(device);
        if (batch != null && batch < 1) throw new UsageError("--batch must be at least 1, got " + batch);
        if (layers != null) for (int w : layers) if (w < 1) throw new UsageError("--layers takes widths of 1 or more, got " + w);
        int[] widths;
        try (Sequential m = p.model(layers != null ? layers : p.layers(), Preset.MNIST_INPUTS, Preset.MNIST_CLASSES)) {
            widths = m.denseWidths();
        }
        int b = batch != null ? batch : p.batch();
        List<GemmTuner.Shape> shapes = GemmTuner.trainingStep(b, widths);
        String workload = GemmTuner.workload(b, widths);
        System.out.println("tuning GEMM on " + d.backendName() + " " + d.name() + " for " + workload + ": " + shapes);
        long t0 = System.nanoTime();
        List<GemmTuner.Result> results = GemmTuner.tune(d, workload, shapes, System.out::println);
        GemmTuner.Result best = results.get(0);
        if (Double.isNaN(best.micros())) throw new IllegalStateException("no candidate fits device " + d.name());
        System.out.printf(Locale.ROOT, "best: %s, %.1f us of GEMM per training step (searched in %.0f s); cached for %s on this device%n",
                best.params(), best.micros(), (System.nanoTime() - t0) / 1e9, workload);
        return 0;
    }
}
