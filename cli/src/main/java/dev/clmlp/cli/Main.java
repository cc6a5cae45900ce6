package dev.clmlp.cli;

import dev.clmlp.io.DataFileException;
import dev.clmlp.nn.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point of the clmlp command line. Exit codes: 0 success; 1 a failure while running
 * (device, I/O); 2 a usage error, reported before any work; 3 a malformed data, weights, config
 * or checkpoint file; 4 training diverged (NaN or infinity); 130 / 143 stopped by Ctrl-C /
 * SIGTERM after writing a checkpoint. Errors are one line; CLMLP_DEBUG=1 adds the stack trace.
 */
@Command(name = "clmlp", mixinStandardHelpOptions = true, version = "clmlp 0.1.0",
        description = "Train multilayer perceptrons on OpenCL devices or the Java CPU backend.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class, ReportCommand.class, ServeCommand.class, BenchCommand.class, TuneCommand.class, DevicesCommand.class, CheckCommand.class})
public final class Main implements Runnable {
    static final int FAILURE = 1, USAGE = 2, BAD_DATA = 3, DIVERGED = 4;

    @Override public void run() { CommandLine.usage(this, System.out); }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((e, a) -> usage(e.getCommandLine(), e.getMessage()));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageError) return usage(cmd, e.getMessage());
            int code = e instanceof DataFileException || e.getCause() instanceof DataFileException ? BAD_DATA
                    : e instanceof TrainingDivergedException ? DIVERGED : FAILURE;
            PrintWriter err = cmd.getErr();
            err.println("clmlp: " + message(e));
            if (System.getenv("CLMLP_DEBUG") != null) e.printStackTrace(err);
            else if (code == FAILURE) err.println("(CLMLP_DEBUG=1 shows where it failed)");
            err.flush();
            return code;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) { // one line, not a stack trace: what the limit was and how to raise it
            System.err.printf("clmlp: out of memory: the Java heap's limit is %,d MB; give Java more (CLMLP_JAVA_OPTS=-Xmx8g ./clmlp ...), or use less data (--limit N) or smaller layers%n",
                    Runtime.getRuntime().maxMemory() >> 20);
            return FAILURE;
        }
    }

    /** One line naming the problem, and where to read the usage. */
    private static int usage(CommandLine cmd, String message) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + message);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m != null ? m : e.toString();
    }
}
