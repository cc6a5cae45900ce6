package dev.clmlp;

import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.opencl.ClBinding;
import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.ClDiscovery;
import dev.clmlp.opencl.OpenClBackend;
import dev.clmlp.opencl.OpenClUnavailableException;
import dev.clmlp.tensor.Backend;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Opens a backend by name: "auto", "cpu", "opencl" or "opencl:N" (OpenCL through JOCL), and
 * "lwjgl" or "lwjgl:N" (the same devices through LWJGL's OpenCL binding, when LWJGL is on the
 * class path; asking for it without LWJGL is an error, never a silent switch).
 */
public final class Backends {
    private Backends() {}

    /**
     * @param spec "auto", "cpu", "opencl", "opencl:N", "lwjgl" or "lwjgl:N"
     * @return the backend, owned by the caller
     */
    public static Backend open(String spec) { return open(spec, false); }

    /**
     * @param spec      "auto", "cpu", "opencl", "opencl:N", "lwjgl" or "lwjgl:N"
     * @param profiling whether the backend records the host time of every operation ({@link Backend#opTimes()}) and an
     *                  OpenCL backend also each kernel's device time (OpenClBackend.profile())
     * @return the backend, owned by the caller
     */
    public static Backend open(String spec, boolean profiling) { return open(spec, profiling, null); }

    /**
     * @param spec      "auto", "cpu", "opencl", "opencl:N", "lwjgl" or "lwjgl:N"
     * @param profiling as in {@link #open(String, boolean)}
     * @param workload  the model to be trained, GemmTuner.workload(batch, widths): an OpenCL backend
     *                  takes the GEMM parameters ./clmlp tune found for it, if any; or null
     * @return the backend, owned by the caller
     */
    public static Backend open(String spec, boolean profiling, String workload) {
        Backend b = opened(spec, profiling, workload);
        b.recordOpTimes(profiling);
        return b;
    }

    private static Backend opened(String spec, boolean profiling, String workload) {
        checkSpec(spec);
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return new CpuBackend();
        if (s.equals("auto")) return autoDevice().<Backend>map(d -> new OpenClBackend(d, profiling, null, workload)).orElseGet(CpuBackend::new);
        String[] parts = s.split(":");
        ClBinding binding = ClBinding.named(parts[0]);
        if (parts.length == 2) return OpenClBackend.open(binding, Integer.parseInt(parts[1]), profiling, workload);
        List<ClDevice> devices = binding.devices();
        if (devices.isEmpty()) throw new OpenClUnavailableException("No OpenCL device found", null);
        ClDevice first = devices.stream().filter(d -> d.kind() != ClDevice.Kind.SIMULATOR).findFirst().orElse(devices.get(0));
        return new OpenClBackend(autoDevice(devices).orElse(first), profiling, null, workload);
    }

    /**
     * Checks the form of a backend name without looking devices up.
     *
     * @param spec a backend name, as {@link #open} reads it
     * @throws IllegalArgumentException naming the forms when spec is none of them
     */
    public static void checkSpec(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.matches("auto|cpu|(opencl|lwjgl)(:[0-9]{1,4})?")) return;
        throw new IllegalArgumentException("--backend: unknown backend '" + spec + "': expected auto, cpu, opencl[:N] or lwjgl[:N]");
    }

    /** @return the device --backend auto picks: the first GPU, if OpenCL has one (a simulator is no GPU) */
    public static Optional<ClDevice> autoDevice() {
        try {
            return autoDevice(ClDevice.list());
        } catch (OpenClUnavailableException e) {
            return Optional.empty();
        }
    }

    /**
     * @param devices devices as a binding lists them
     * @return the one --backend auto picks among them: the first GPU that is no simulator
     */
    public static Optional<ClDevice> autoDevice(List<ClDevice> devices) {
        return devices.stream().filter(d -> d.isGpu() && d.kind() == ClDevice.Kind.GPU).findFirst();
    }

    /**
     * @return why --backend auto picks what it picks, in a few words: "the first OpenCL GPU", or
     *         why no OpenCL device was taken, naming the devices and platforms it skipped
     */
    public static String autoReason() {
        try {
            return autoReason(ClDevice.discover());
        } catch (OpenClUnavailableException e) {
            return "no OpenCL platform (" + e.getMessage().split("\\. ")[0] + ")";
        }
    }

    /**
     * @param found what a binding's discovery found
     * @return {@link #autoReason()} for it
     */
    public static String autoReason(ClDiscovery found) {
        List<ClDevice> devices = found.devices();
        String failed = found.problems().isEmpty() ? ""
                : "; platforms that failed to list their devices: " + found.problems().stream().map(Object::toString).collect(Collectors.joining(", "));
        if (autoDevice(devices).isPresent()) return "the first OpenCL GPU" + failed;
        if (devices.isEmpty()) return "no OpenCL device" + failed;
        return "no OpenCL GPU; the Java backend is used instead of " + devices.stream()
                .map(d -> d.backendName() + " (" + d.type() + (d.isSimulator() ? ", a simulator" : "") + ")")
                .collect(Collectors.joining(", ")) + failed;
    }
}
