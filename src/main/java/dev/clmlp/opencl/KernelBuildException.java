package dev.clmlp.opencl;

/** An OpenCL program failed to compile; the message carries the compiler's build log. */
public final class KernelBuildException extends RuntimeException {
    /** The compiler's log. */
    private final String buildLog;

    /**
     * @param device   the device's name
     * @param options  the build options
     * @param buildLog the compiler's log
     * @param cause    the binding's error
     */
    public KernelBuildException(String device, String options, String buildLog, Throwable cause) {
        super("OpenCL program build failed on " + device + " (options: " + options + "):\n" + buildLog, cause);
        this.buildLog = buildLog;
    }

    /** @return the compiler's log */
    public String buildLog() { return buildLog; }
}
