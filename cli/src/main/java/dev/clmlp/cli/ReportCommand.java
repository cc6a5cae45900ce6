package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;
import dev.clmlp.nn.History;
import dev.clmlp.nn.Sequential;
import dev.clmlp.report.Report;
import dev.clmlp.report.WeightTracker;
import dev.clmlp.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** ./clmlp report DIR: report.html again from a saved run (its files, its model and the data it was trained on). */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Write DIR/report.html again from the run that train saved in DIR.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "a directory written by train") Path dir;
    @Option(names = "--out", paramLabel = "FILE", description = "where to write the page (default: DIR/report.html)") Path out;
    @Option(names = "--backend", defaultValue = "auto", description = "where the test predictions run: auto, cpu, opencl[:N] or lwjgl[:N] (default: ${DEFAULT-VALUE})")
    String backend;

    @Override public Integer call() throws Exception {
        RunDirectory.checkHolds(dir, true, "");
        UsageError.check(() -> Backends.checkSpec(backend));
        Path runFile = RunDirectory.Artefact.RUN.in(dir);
        TrainCommand.RunOptions run;
        WeightTracker weights;
        String trainedOn;
        try {
            JsonFields o = JsonFields.parse(Files.readString(runFile));
            run = TrainCommand.RunOptions.of(o);
            weights = WeightTracker.fromJson(o.object("weights"));
            trainedOn = o.has("backend") ? o.string("backend") : "(not recorded)";
        } catch (IllegalArgumentException e) {
            throw new DataFileException(runFile, e.getMessage());
        }
        DataOptions data = new DataOptions();
        data.resume(new JsonFields(run.data(), "data"));
        History history = History.readCsv(RunDirectory.Artefact.HISTORY.in(dir));
        Path file = out != null ? out : RunDirectory.Artefact.REPORT.in(dir);
        try (Backend b = Backends.open(backend); Sequential m = Sequential.load(dir, b)) {
            Dataset test = data.load(run.seed(), m.table()).split().validation();
            Report.write(new Report.Training(dir.toString(), run.command(), trainedOn, m, history, weights, test, data.format() == null), file);
        }
        System.out.println("wrote " + file);
        return 0;
    }
}
