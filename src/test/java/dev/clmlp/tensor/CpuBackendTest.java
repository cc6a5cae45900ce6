package dev.clmlp.tensor;

class CpuBackendTest extends BackendContract {
    @Override Backend backend() { return TestBackends.cpu(); }

    @Override int fusedFrom() { return dev.clmlp.cpu.CpuBackend.FUSED_FROM; }
}
