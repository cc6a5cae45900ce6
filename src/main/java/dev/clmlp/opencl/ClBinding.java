package dev.clmlp.opencl;

import java.util.List;

/**
 * A Java binding of OpenCL: lists the devices and opens a {@link ClRuntime} on one. JOCL is the
 * default ({@code opencl:N}); LWJGL ({@code lwjgl:N}) is used when its jars are on the class
 * path. Both list the same devices in the same order (the ICD loader's), so opencl:0 and lwjgl:0
 * are one device, and the same kernels give the same bits through either.
 */
public interface ClBinding {
    /** @return the backend-name prefix: "opencl" (JOCL) or "lwjgl" */
    String prefix();

    /**
     * Asks every platform for all of its devices (every type).
     *
     * @return the devices, numbered across platforms in the ICD loader's order, and the platforms that failed
     * @throws OpenClUnavailableException when there is no OpenCL library or platform, saying how to install one
     */
    ClDiscovery discover();

    /**
     * @return every device of every platform that answered, numbered across platforms in the ICD loader's order
     * @throws OpenClUnavailableException when there is no OpenCL library or platform, saying how to install one
     */
    default List<ClDevice> devices() { return discover().devices(); }

    /**
     * A new context and in-order queue on the device; the caller closes it.
     *
     * @param device    one of {@link #devices()}
     * @param profiling whether launches return events that carry device times
     * @return the runtime
     */
    ClRuntime open(ClDevice device, boolean profiling);

    /** @return the JOCL binding */
    static ClBinding jocl() { return dev.clmlp.opencl.jocl.JoclBinding.INSTANCE; }

    /**
     * @return the LWJGL binding
     * @throws IllegalStateException saying what to add when LWJGL's jars (org.lwjgl:lwjgl, its
     *         natives, org.lwjgl:lwjgl-opencl) are not on the class path
     */
    static ClBinding lwjgl() {
        try {
            for (String c : new String[] {"org.lwjgl.system.MemoryStack", "org.lwjgl.opencl.CL12"}) // LWJGL core and its OpenCL module
                Class.forName(c, false, ClBinding.class.getClassLoader());
            return (ClBinding) Class.forName("dev.clmlp.opencl.lwjgl.LwjglBinding").getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the LWJGL binding needs org.lwjgl:lwjgl, its natives and org.lwjgl:lwjgl-opencl (3.3.x) "
                    + "on the class path (" + e + ")", e);
        }
    }

    /**
     * @param prefix "opencl" or "lwjgl"
     * @return the binding whose prefix it is
     */
    static ClBinding named(String prefix) {
        return switch (prefix) {
            case "opencl" -> jocl();
            case "lwjgl" -> lwjgl();
            default -> throw new IllegalArgumentException("unknown OpenCL binding '" + prefix + "': expected opencl (JOCL) or lwjgl");
        };
    }
}
