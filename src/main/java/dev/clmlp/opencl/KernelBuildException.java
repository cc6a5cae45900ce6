package dev.clmlp.opencl;

/** An OpenCL program failed to compile; the message carries the compiler's build log. */
public final class KernelBuildException extends RuntimeException {
    private final String buildLog;

    public KernelBuildException(String device, String options, String buildLog, Throwable cause) {
        super("OpenCL program build failed on " + device + " (options: " + options + "):\n" + buildLog, cause);
        this.buildLog = buildLog;
    }

    public String buildLog() { return buildLog; }
}
