package dev.clmlp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the clmlp command line. */
@Command(name = "clmlp", mixinStandardHelpOptions = true, version = "clmlp 0.1.0",
        description = "Train multilayer perceptrons on OpenCL devices or the Java CPU backend.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, BenchCommand.class, TuneCommand.class, DevicesCommand.class})
public final class Main implements Runnable {
    @Override public void run() { CommandLine.usage(this, System.out); }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("clmlp: " + e.getMessage());
            if (System.getenv("CLMLP_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl.execute(args);
    }
}
