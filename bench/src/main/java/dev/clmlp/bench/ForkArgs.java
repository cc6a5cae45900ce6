package dev.clmlp.bench;

/**
 * The JVM options of the ./clmlp launcher that change the Java backend's speed, for the benchmark
 * forks: the Vector API module, and 64-byte object alignment, with which CpuStorage starts every
 * tensor on a cache line (GemmAlternated, AVX-512: 512^3 in 843-858 us aligned, 1,110-1,124 us not).
 */
final class ForkArgs {
    static final String ADD_MODULES = "--add-modules", VECTOR_API = "jdk.incubator.vector", ALIGN = "-XX:ObjectAlignmentInBytes=64";

    private ForkArgs() {}
}
