package dev.clmlp.opencl;

import java.util.List;

/**
 * What one binding found when it asked every OpenCL platform for its devices: the devices, and
 * each platform that failed for a reason other than having none (CL_DEVICE_NOT_FOUND), with
 * the error. Nothing is hidden: {@code ./clmlp devices} prints both, and {@code --backend auto}
 * says what it skipped.
 *
 * @param devices        every device of every platform that answered, numbered in the ICD loader's order
 * @param problems       the platforms that could not list their devices
 * @param emptyPlatforms the platforms that have no device (CL_DEVICE_NOT_FOUND), by name
 */
public record ClDiscovery(List<ClDevice> devices, List<Problem> problems, List<String> emptyPlatforms) {
    /** CL_DEVICE_TYPE_ALL as the OpenCL headers define it (a 32-bit mask): JOCL's constant sets all 64 bits, which rusticl rejects. */
    public static final long ALL_DEVICE_TYPES = 0xFFFFFFFFL;

    /** CL_DEVICE_NOT_FOUND: a platform with no devices, the one error that is not a problem. */
    public static final int DEVICE_NOT_FOUND = -1;

    /**
     * @param devices        as the record
     * @param problems       as the record
     * @param emptyPlatforms as the record
     */
    public ClDiscovery {
        devices = List.copyOf(devices);
        problems = List.copyOf(problems);
        emptyPlatforms = List.copyOf(emptyPlatforms);
    }

    /**
     * A platform that failed to list its devices.
     *
     * @param platform the platform's name (CL_PLATFORM_NAME), or "platform #i" when even that failed
     * @param error    the call and the OpenCL error, e.g. "clGetDeviceIDs: CL_INVALID_DEVICE_TYPE (-31)"
     */
    public record Problem(String platform, String error) {
        @Override public String toString() { return platform + " (" + error + ")"; }
    }

    /**
     * @param code an OpenCL error code
     * @return its name and number, e.g. "CL_INVALID_DEVICE_TYPE (-31)"; the number alone for codes not listed here
     */
    public static String errorName(int code) {
        String name = switch (code) {
            case -1 -> "CL_DEVICE_NOT_FOUND";
            case -2 -> "CL_DEVICE_NOT_AVAILABLE";
            case -3 -> "CL_COMPILER_NOT_AVAILABLE";
            case -5 -> "CL_OUT_OF_RESOURCES";
            case -6 -> "CL_OUT_OF_HOST_MEMORY";
            case -30 -> "CL_INVALID_VALUE";
            case -31 -> "CL_INVALID_DEVICE_TYPE";
            case -32 -> "CL_INVALID_PLATFORM";
            case -33 -> "CL_INVALID_DEVICE";
            case -1001 -> "CL_PLATFORM_NOT_FOUND_KHR";
            default -> null;
        };
        return name == null ? "OpenCL error " + code : name + " (" + code + ")";
    }
}
