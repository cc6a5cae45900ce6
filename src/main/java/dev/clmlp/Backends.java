package dev.clmlp;

import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.OpenClBackend;
import dev.clmlp.opencl.OpenClUnavailableException;
import dev.clmlp.tensor.Backend;

import java.util.List;
import java.util.Optional;

/** Opens a backend by name: "auto", "cpu", "opencl" or "opencl:N". */
public final class Backends {
    private Backends() {}

    public static Backend open(String spec) { return open(spec, false); }

    /** With profiling, an OpenCL backend records each kernel's device time (OpenClBackend.profile()). */
    public static Backend open(String spec, boolean profiling) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return new CpuBackend();
        if (s.equals("auto")) return autoDevice().<Backend>map(d -> new OpenClBackend(d, profiling)).orElseGet(CpuBackend::new);
        if (s.equals("opencl")) {
            List<ClDevice> devices = ClDevice.list();
            if (devices.isEmpty()) throw new OpenClUnavailableException("No OpenCL device found", null);
            ClDevice first = devices.stream().filter(d -> !d.isSimulator()).findFirst().orElse(devices.get(0));
            return new OpenClBackend(autoDevice().orElse(first), profiling);
        }
        if (s.startsWith("opencl:")) {
            try {
                return OpenClBackend.open(Integer.parseInt(s.substring("opencl:".length())), profiling);
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown backend '" + spec + "': expected auto, cpu, opencl or opencl:N");
    }

    /** Throws IllegalArgumentException unless spec names a backend in one of the forms {@link #open} reads (devices are not looked up). */
    public static void checkSpec(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu") || s.equals("auto") || s.equals("opencl") || s.matches("opencl:[0-9]{1,4}")) return;
        throw new IllegalArgumentException("--backend: unknown backend '" + spec + "': expected auto, cpu, opencl or opencl:N");
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
}
