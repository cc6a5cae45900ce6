package dev.clmlp.tensor;

class CpuBackendTest extends BackendContract {
    @Override Backend backend() { return TestBackends.cpu(); }
}
