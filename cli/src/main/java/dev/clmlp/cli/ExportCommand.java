package dev.clmlp.cli;

import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.nn.Sequential;
import dev.clmlp.onnx.OnnxExport;
import dev.clmlp.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** ./clmlp export --model DIR --onnx FILE: a saved model as a standard ONNX graph. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a saved model as ONNX (opset " + OnnxExport.OPSET + "), for ONNX Runtime, OpenCV DNN, Netron and other tools.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a directory written by train") Path model;
    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "the .onnx file to write") Path onnx;

    @Override public Integer call() throws Exception {
        RunDirectory.checkHolds(model, false, "--model ");
        Path parent = onnx.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) throw new UsageError("--onnx " + onnx + ": no such directory " + parent);
        try (Backend b = new CpuBackend(); Sequential m = Sequential.load(model, b)) {
            OnnxExport.write(m, onnx);
            System.out.printf("wrote %s (%,d bytes): ONNX opset %d, input '%s' [batch, %d] float%s, output '%s' [batch, %d] %s%s%n",
                    onnx, Files.size(onnx), OnnxExport.OPSET, OnnxExport.INPUT, m.inputSize(),
                    m.table() != null ? " (the table's columns encoded as config.json's \"table\" says: gaps filled, categories one-hot, missing flags)" : "",
                    OnnxExport.outputName(m), m.classes(), m.regression() ? "predicted values" : m.multiLabel() ? "label probabilities (a sigmoid per target)"
                            : "class probabilities" + (m.classNames() != null ? " (names in the metadata's class_names)" : ""),
                    m.inputScaling() != null ? "; the input scaling (" + m.inputScaling().kind() + ") is part of the graph" : "");
        }
        return 0;
    }
}
