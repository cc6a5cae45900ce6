package dev.clmlp;

import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.opencl.ClBinding;
import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.OpenClBackend;
import dev.clmlp.opencl.OpenClUnavailableException;
import dev.clmlp.tensor.Backend;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens a backend by name: "auto", "cpu", "opencl" or "opencl:N" (OpenCL through JOCL), and
 * "lwjgl" or "lwjgl:N" (the same devices through LWJGL's OpenCL binding, when LWJGL is on the
 * class path; asking for it without LWJGL is an error, never a silent switch).
 */
public final class Backends {
    private Backends() {}

    public static Backend open(String spec) { return open(spec, false); }

    /** With profiling, an OpenCL backend records each kernel's device time (OpenClBackend.profile()). */
    public static Backend open(String spec, boolean profiling) {
        checkSpec(spec);
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return new CpuBackend();
        if (s.equals("auto")) return autoDevice().<Backend>map(d -> new OpenClBackend(d, profiling)).orElseGet(CpuBackend::new);
        String[] parts = s.split(":");
        ClBinding binding = ClBinding.named(parts[0]);
        if (parts.length == 2) return OpenClBackend.open(binding, Integer.parseInt(parts[1]), profiling);
        List<ClDevice> devices = binding.devices();
        if (devices.isEmpty()) throw new OpenClUnavailableException("No OpenCL device found", null);
        ClDevice first = devices.stream().filter(d -> !d.isSimulator()).findFirst().orElse(devices.get(0));
        return new OpenClBackend(autoDevice(devices).orElse(first), profiling);
    }

    /** Throws IllegalArgumentException unless spec names a backend in one of the forms {@link #open} reads (devices are not looked up). */
    public static void checkSpec(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.matches("auto|cpu|(opencl|lwjgl)(:[0-9]{1,4})?")) return;
        throw new IllegalArgumentException("--backend: unknown backend '" + spec + "': expected auto, cpu, opencl[:N] or lwjgl[:N]");
    }

    /** The device --backend auto picks: the first GPU, if OpenCL has one (a simulator is no GPU). */
    public static Optional<ClDevice> autoDevice() {
        try {
            return autoDevice(ClDevice.list());
        } catch (OpenClUnavailableException e) {
            return Optional.empty();
        }
    }

    static Optional<ClDevice> autoDevice(List<ClDevice> devices) {
        return devices.stream().filter(d -> d.isGpu() && !d.isSimulator()).findFirst();
    }

    /** Why --backend auto picks what it picks, in a few words: "the first GPU", or why no OpenCL device was taken. */
    public static String autoReason() {
        try {
            return autoReason(ClDevice.list());
        } catch (OpenClUnavailableException e) {
            return "no OpenCL platform (" + e.getMessage().split("\\. ")[0] + ")";
        }
    }

    static String autoReason(List<ClDevice> devices) {
        if (autoDevice(devices).isPresent()) return "the first OpenCL GPU";
        if (devices.isEmpty()) return "no OpenCL device";
        return "no OpenCL GPU; the Java backend is used instead of " + devices.stream()
                .map(d -> d.backendName() + " (" + d.type() + (d.isSimulator() ? ", a simulator" : "") + ")")
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
