package dev.clmlp.tensor;

import dev.clmlp.opencl.ClDevice;
import dev.clmlp.opencl.GemmParams;
import dev.clmlp.opencl.OpenClBackend;
import org.junit.jupiter.api.Test;


/**
 * The tiled GEMM with a second tile spec: tiles of unequal sides and unequal work per item, so
 * a kernel that mixed up TS_M and TS_N (or WPT_M and WPT_N) fails here even if square tiles pass.
 */
class OpenClTiledWideBackendTest extends BackendContract {
    static final GemmParams SPEC = GemmParams.tiled(32, 16, 8, 4, 2);
    private static OpenClBackend tiled;

    static synchronized OpenClBackend tiled() {
        if (tiled == null) {
            TestBackends.opencl(); // fails (or aborts under CLMLP_SKIP_OPENCL) without OpenCL
            tiled = new OpenClBackend(ClDevice.list().get(0), false, SPEC);
        }
        return tiled;
    }

    @Override Backend backend() { return tiled(); }

    @Test
    void usesTheWideTiling() {
        OpenClTiledBackendTest.assertTiledAsRequested(SPEC, tiled());
    }
}
