package dev.clmlp.tensor;

class OpenClBackendTest extends BackendContract {
    @Override Backend backend() { return TestBackends.opencl(); }
}
