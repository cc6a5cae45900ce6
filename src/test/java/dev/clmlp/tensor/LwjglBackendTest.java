package dev.clmlp.tensor;

import dev.clmlp.opencl.ClBinding;
import dev.clmlp.opencl.OpenClBackend;

/** The whole backend contract through the LWJGL binding, on the same device as OpenClBackendTest. */
class LwjglBackendTest extends BackendContract {
    private static OpenClBackend lwjgl;

    static synchronized OpenClBackend lwjgl() {
        if (lwjgl == null) {
            TestBackends.opencl(); // fails (or aborts under CLMLP_SKIP_OPENCL) without OpenCL
            lwjgl = OpenClBackend.open(ClBinding.lwjgl(), 0, false);
        }
        return lwjgl;
    }

    @Override Backend backend() { return lwjgl(); }
}
