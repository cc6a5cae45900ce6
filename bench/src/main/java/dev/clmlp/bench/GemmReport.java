package dev.clmlp.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;

/**
 * Runs the JMH benchmarks (any JMH command-line options are passed through) and prints the
 * GEMM results as GFLOP/s: 2*m*n*k / time.
 */
public final class GemmReport {
    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder().parent(new CommandLineOptions(args)).build();
        Collection<RunResult> results = new Runner(opts).run();
        System.out.printf("%n%-10s %-16s %12s %10s%n", "backend", "shape (MxKxN)", "us/op", "GFLOP/s");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            if (shape == null || !r.getParams().getBenchmark().endsWith("gemm")) continue;
            int[] s = GemmBenchmark.parse(shape);
            double us = r.getPrimaryResult().getScore();
            double gflops = 2.0 * s[0] * s[1] * s[2] / (us * 1e3);
            System.out.printf("%-10s %-16s %12.1f %10.1f%n", r.getParams().getParam("backend"), shape, us, gflops);
        }
    }
}
