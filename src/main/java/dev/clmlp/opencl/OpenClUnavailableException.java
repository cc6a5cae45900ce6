package dev.clmlp.opencl;

/** No usable OpenCL platform: the message says how to install one. The CPU backend still works. */
public final class OpenClUnavailableException extends RuntimeException {
    static final String HOW_TO_INSTALL = "Install an OpenCL driver: your GPU vendor's (NVIDIA, AMD ROCm, Intel compute-runtime), "
            + "or PoCL for the CPU (Debian/Ubuntu: apt-get install pocl-opencl-icd ocl-icd-opencl-dev). "
            + "Meanwhile --backend cpu works without OpenCL.";

    /**
     * @param what  what is missing
     * @param cause the binding's error, or null
     */
    public OpenClUnavailableException(String what, Throwable cause) {
        super(what + ". " + HOW_TO_INSTALL, cause);
    }
}
