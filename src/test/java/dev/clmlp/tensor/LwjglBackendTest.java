package dev.clmlp.tensor;

/** The whole backend contract through the LWJGL binding, on the same device as OpenClBackendTest. */
class LwjglBackendTest extends BackendContract {
    @Override Backend backend() { return TestBackends.lwjgl(); }
}
