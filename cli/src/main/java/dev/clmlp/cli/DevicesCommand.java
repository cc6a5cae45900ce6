package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.ClDiscovery;
import dev.clmlp.opencl.OpenClBackend;
import dev.clmlp.opencl.OpenClUnavailableException;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Optional;

/** ./clmlp devices: every OpenCL device plus the Java CPU backend, and which one auto picks. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List OpenCL platforms and devices and the Java CPU backend; '*' marks what --backend auto picks.")
final class DevicesCommand implements Runnable {
    @Override public void run() {
        ClDiscovery found = new ClDiscovery(List.of(), List.of(), List.of());
        String noPlatform = null;
        try {
            found = ClDevice.discover();
        } catch (OpenClUnavailableException e) {
            noPlatform = e.getMessage();
            System.out.println("OpenCL: " + noPlatform);
        }
        List<ClDevice> devices = found.devices();
        Optional<ClDevice> auto = Backends.autoDevice(devices);
        String platform = null;
        for (ClDevice d : devices) {
            if (!d.platformName().equals(platform)) {
                platform = d.platformName();
                System.out.println("Platform: " + platform);
            }
            boolean picked = auto.isPresent() && auto.get().index() == d.index();
            System.out.printf("%s %-9s %s%n", picked ? "*" : " ", d.backendName(), d.name());
            System.out.printf("      type %s, vendor %s, driver %s, %s%n", d.type(), d.vendor(), d.driver(), d.version());
            if (d.isSimulator())
                System.out.println("      a simulator that checks every memory access (for testing kernels; thousands of times slower), never picked by auto");
            System.out.printf("      %d compute units, global memory %s, local memory %s, max work-group %d%n",
                    d.computeUnits(), bytes(d.globalMemBytes()), bytes(d.localMemBytes()), d.maxWorkGroupSize());
            if (d.kind() != ClDevice.Kind.SIMULATOR) System.out.println("      " + kernels(d));
        }
        for (ClDiscovery.Problem p : found.problems()) {
            System.out.println("Platform: " + p.platform());
            System.out.println("  (no devices listed: " + p.error() + "; its driver may be misconfigured or need an environment variable, "
                    + "e.g. RUSTICL_ENABLE for Mesa's rusticl)");
        }
        for (String p : found.emptyPlatforms())
            System.out.println("Platform: " + p + " (no devices" + (p.contains("rusticl")
                    ? "; Mesa's rusticl lists them with RUSTICL_ENABLE=radeonsi (AMD), iris (Intel) or llvmpipe (CPU)" : "") + ")");
        try (CpuBackend cpu = new CpuBackend()) {
            System.out.println("Java:");
            System.out.printf("%s %-9s %s%n", auto.isPresent() ? " " : "*", "cpu", cpu.description());
        }
        System.out.println();
        if (!devices.isEmpty()) System.out.println("Each OpenCL device is also lwjgl:N through LWJGL's binding, the same device under another Java binding.");
        System.out.println("--backend auto picks " + auto.map(ClDevice::backendName).orElse("cpu") + ": " + (noPlatform != null ? Backends.autoReason() : Backends.autoReason(found)));
    }

    /** Which GEMM the device gets and why, and any loop limit: what opening a backend on it finds (indented lines). */
    static String kernels(ClDevice d) {
        try (OpenClBackend b = new OpenClBackend(d)) {
            StringBuilder sb = new StringBuilder("GEMM " + b.gemmParams() + ": " + b.gemmSource());
            for (String s : b.gemmSkipped()) sb.append("\n        skipped ").append(s);
            if (b.loopLimit() != Long.MAX_VALUE)
                sb.append("\n      the driver ends a work-item's loops after ").append(b.loopLimit())
                        .append(" iterations: kernels run as many small work-items");
            return sb.toString();
        } catch (RuntimeException e) {
            return "cannot be opened: " + e.getMessage();
        }
    }

    static String bytes(long b) {
        if (b >= 1L << 30) return String.format("%.1f GiB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format("%.1f MiB", b / (double) (1L << 20));
        return String.format("%d KiB", b >> 10);
    }
}
