package dev.clmlp.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;

/**
 * Runs the JMH benchmarks (any JMH command-line options are passed through) and prints the
 * GEMM results as GFLOP/s: 2*m*n*k / time, for products waited for one by one and back to back.
 */
public final class GemmReport {
    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).stream().anyMatch(a -> a.equals("-l") || a.equals("-h") || a.equals("-lp"))) {
            org.openjdk.jmh.Main.main(args); // listing and help: plain JMH
            return;
        }
        Options opts = new OptionsBuilder().parent(new CommandLineOptions(args)).build();
        Collection<RunResult> results = new Runner(opts).run();
        System.out.printf("%n%-10s %-20s %-10s %12s %10s%n", "backend", "shape (MxKxN)", "mode", "us/op", "GFLOP/s");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            if (shape == null) continue;
            String name = r.getParams().getBenchmark();
            if (!name.endsWith(".gemm") && !name.endsWith(".gemmPipelined")) continue;
            String backend = name.contains("ClBlast") ? "clblast" : name.contains("OpenBlas") ? "openblas" : r.getParams().getParam("backend");
            String mode = name.endsWith("Pipelined") ? "pipelined" : "waited";
            double us = r.getPrimaryResult().getScore();
            System.out.printf("%-10s %-20s %-10s %12.1f %10.1f%n", backend, shape, mode, us, new Shapes(shape).flops() / (us * 1e3));
        }
    }
}
