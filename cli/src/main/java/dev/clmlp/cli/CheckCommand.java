package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.check.SelfCheck;
import dev.clmlp.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** ./clmlp check: every kernel on a device against the Java backend, then short training runs; non-zero on any failure. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check an OpenCL device (a new GPU or driver) against the Java backend: every operation on random and awkward shapes,",
                "then both presets trained for two short epochs. Prints a table and exits 1 if anything differs."})
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--backend", defaultValue = "opencl", description = "the device to check: opencl[:N] or lwjgl[:N] (default: opencl, the first device that is no simulator)")
    String backend;

    @Override public Integer call() throws UsageError {
        UsageError.check(() -> Backends.checkSpec(backend));
        if (backend.trim().equalsIgnoreCase("cpu") || backend.trim().equalsIgnoreCase("auto"))
            throw new UsageError("--backend: check compares an OpenCL device with the Java backend: give opencl[:N] or lwjgl[:N] (see ./clmlp devices)");
        long t0 = System.nanoTime();
        try (Backend device = Backends.open(backend)) {
            System.out.println("checking " + device.name() + ": " + device.description());
            if (device instanceof dev.clmlp.opencl.OpenClBackend cl)
                System.out.println("GEMM " + cl.gemmParams() + " (" + cl.gemmReason() + ")");
            SelfCheck.Report report = SelfCheck.run(device);
            System.out.print(report.table());
            System.out.printf("%s in %.1f s%n", report.passed() ? "all passed" : "FAILED: this device or driver does not compute what the Java backend does; "
                    + "use --backend cpu, and please report the table with the device and driver above", (System.nanoTime() - t0) / 1e9);
            return report.passed() ? 0 : Main.FAILURE;
        }
    }
}
