package dev.clmlp.cli;

import dev.clmlp.data.Generated;
import dev.clmlp.nn.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end on generated MNIST-format files. */
class CliTest {
    @TempDir Path tmp;

    static String run(int expectedExit, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertEquals(expectedExit, code, "exit code of " + String.join(" ", args) + "\n" + out);
        return out;
    }

    /** Runs the command line; returns what it wrote to standard error. */
    static String runErr(int expectedExit, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            run(expectedExit, args);
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void trainEvaluateAndPredictOnASavedRun() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path data = Generated.mnistDir(tmp.resolve("data"), 600, 200), out = tmp.resolve("run");
        String log = run(0, "train", "--preset", "keras", "--epochs", "2", "--backend", "opencl:0", "--data", data.toString(),
                "--out", out.toString(), "--no-progress");
        assertTrue(log.contains("Total params: 103,826"), log);
        assertTrue(log.contains("epoch 2/2  loss"), log);
        List<String> csv = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(History.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
        for (String f : new String[] {"config.json", "model.safetensors", "history.png", "weights.png", "biases.png", "predictions.png"})
            assertTrue(Files.size(out.resolve(f)) > 100, f + " written");
        double fitAccuracy = Double.parseDouble(csv.get(2).split(",")[4]);

        String eval = run(0, "evaluate", "--model", out.toString(), "--backend", "cpu", "--data", data.toString());
        assertTrue(eval.contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", fitAccuracy)), eval + " vs " + fitAccuracy);

        String pred = run(0, "predict", "--model", out.toString(), "--images", "5", "--backend", "cpu", "--data", data.toString(),
                "--png", tmp.resolve("p.png").toString());
        assertTrue(pred.contains("of 5 correct"), pred);
        assertTrue(Files.size(tmp.resolve("p.png")) > 100);

        // ONNX: the graph of this model (with its dropout left out), readable by protobuf; ONNX Runtime runs such files in OnnxExportTest
        Path onnx = tmp.resolve("model.onnx");
        assertTrue(run(0, "export", "--model", out.toString(), "--onnx", onnx.toString()).contains("ONNX opset 13, input 'input' [batch, 784]"));
        var graph = dev.clmlp.onnx.proto.Onnx.ModelProto.parseFrom(Files.readAllBytes(onnx)).getGraph();
        assertEquals(List.of("Gemm", "Relu", "Gemm", "Sigmoid", "Gemm", "Softmax"), graph.getNodeList().stream().map(n -> n.getOpType()).toList());
    }

    /** --profile: the time of every operation per step, from the second epoch, for the CPU backend as for OpenCL. */
    @Test
    void profilePrintsTheBudgetOfAStep() throws Exception {
        Path data = Generated.mnistDir(tmp.resolve("pdata"), 300, 50);
        for (String backend : new String[] {"cpu", "opencl:0"}) {
            String log = run(0, "train", "--data", data.toString(), "--epochs", "3", "--layers", "16", "--batch", "50", "--backend", backend,
                    "--profile", "--no-progress", "--no-plots", "--out", tmp.resolve("prof-" + backend.replace(':', '-')).toString());
            assertTrue(log.contains("Time per operation per training step, epochs 2..3 (12 steps;"), log);
            // two dense layers, 12 steps; plain SGD runs inside the weight-gradient product on the CPU and on OpenCL's CPU
            // devices (denseSgd; the upper layer's with its input gradient, denseBackwardSgd), apart on a GPU
            // (denseWeightGrad, then one sgd)
            boolean fused;
            try (var b = dev.clmlp.Backends.open(backend)) { fused = b.prefersFusedUpdates(); }
            for (String op : fused ? new String[] {"denseSgd +12", "denseBackwardSgd +12"} : new String[] {"denseWeightGrad +24", "denseInputGrad +12"})
                assertTrue(log.lines().anyMatch(l -> l.matches(op + " .*")), op + " times: " + log);
            assertTrue(log.contains(backend.equals("cpu") ? "  of which GEMM" : "OpenCL kernel times"), log);
        }
    }

    /** --early-stopping keeps the best epoch's weights (what --save-best saved too), and the final line reports them. */
    @Test
    void earlyStoppingKeepsTheBestWeightsAndSaveBestSavesThem() throws Exception {
        Path data = Generated.mnistDir(tmp.resolve("data"), 400, 100), out = tmp.resolve("early");
        String log = run(0, "train", "--early-stopping", "1", "--save-best", "--lr", "1.5", "--epochs", "40", "--layers", "32",
                "--backend", "cpu", "--data", data.toString(), "--out", out.toString(), "--no-plots", "--no-progress");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("early stopping after epoch (\\d+): val_loss last improved in epoch (\\d+)").matcher(log);
        assertTrue(m.find(), log);
        assertEquals(Integer.parseInt(m.group(1)) + 1, Files.readAllLines(out.resolve("history.csv")).size(), "history stops there");
        assertTrue(log.contains("best model (epoch " + m.group(2) + ")"), log);
        assertEquals(java.util.Arrays.toString(Files.readAllBytes(out.resolve("best/model.safetensors"))),
                java.util.Arrays.toString(Files.readAllBytes(out.resolve("model.safetensors"))), "the kept weights are the best epoch's");
        String finalLine = log.substring(log.indexOf("final: test loss ") + "final: test loss ".length()).split(",")[0];
        String eval = run(0, "evaluate", "--model", out.toString(), "--backend", "cpu", "--data", data.toString());
        assertTrue(eval.contains("loss " + finalLine), eval + " vs " + finalLine);
    }

    @Test
    void benchComparesBackendsOnTheSameRun() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path data = Generated.mnistDir(tmp.resolve("data"), 300, 50);
        String out = run(0, "bench", "--epochs", "2", "--data", data.toString(), "--out", tmp.toString(), "--backends", "cpu,opencl:0");
        assertTrue(out.contains("speed-up") && out.contains("opencl:0"), out);
        List<String> csv = Files.readAllLines(tmp.resolve("bench.csv"));
        assertEquals("backend,device,median_epoch_seconds,samples_per_second,gemm_gflops,speedup_vs_cpu,"
                + "achieved_gflops,gemm_peak_gflops,launches_per_step,launch_us,predicted_epoch_seconds", csv.get(0));
        assertEquals(3, csv.size(), "a row per backend: " + csv);
        java.util.Map<String, Integer> col = new java.util.HashMap<>();
        String[] names = csv.get(0).split(",");
        for (int j = 0; j < names.length; j++) col.put(names[j], j);
        for (String row : csv.subList(1, 3)) {
            String[] f = row.replaceAll("\"[^\"]*\"", "device").split(",");
            double seconds = Double.parseDouble(f[col.get("median_epoch_seconds")]), achieved = Double.parseDouble(f[col.get("achieved_gflops")]);
            assertTrue(seconds > 0 && Double.parseDouble(f[col.get("samples_per_second")]) > 0, row);
            // 300 examples x 2 * (784*128*2 + 128*64*3 + 64*10*3) FLOPs, the preset's model, over the epoch time;
            // the CSV gives two decimals, more than 1% of a slow epoch's rate (0.26 for 0.2646 on a cold 2-core VM)
            assertEquals(300 * 454_400 / seconds / 1e9, achieved, Math.max(achieved * 0.01, 0.005), row);
            assertTrue(Double.parseDouble(f[col.get("gemm_peak_gflops")]) > 0, row);
            boolean cl = f[0].startsWith("opencl");
            assertEquals(cl, Double.parseDouble(f[col.get("launches_per_step")]) >= 5, "launches counted on OpenCL only: " + row);
            assertEquals(cl, Double.parseDouble(f[col.get("predicted_epoch_seconds")]) > 0, row);
        }
        assertTrue(csv.get(1).startsWith("cpu,") && csv.get(1).contains(",1.000,"), csv.get(1));
        assertTrue(out.contains("roofline: 0.1 GFLOP per epoch (454,400 FLOP per example") && out.contains("launch model"), out);
        assertTrue(Files.size(tmp.resolve("bench.png")) > 100);
    }

    @Test
    void benchSweepsWidthsWithTheGivenBatch() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path data = Generated.mnistDir(tmp.resolve("data"), 300, 50);
        String out = run(0, "bench", "--sweep", "8,24", "--layers", "5,5,5", "--batch", "50", "--epochs", "1", "--data", data.toString(),
                "--out", tmp.toString(), "--backends", "cpu,opencl:0");
        assertTrue(out.contains("batch 50") && out.contains("3 hidden layers of each width in 8,24"), out);
        List<String> csv = Files.readAllLines(tmp.resolve("bench-sweep.csv"));
        assertEquals("width,backend,device,median_epoch_seconds,training_gflops,speedup_vs_cpu", csv.get(0));
        assertEquals(List.of("8,cpu", "8,opencl:0", "24,cpu", "24,opencl:0"),
                csv.subList(1, csv.size()).stream().map(r -> r.substring(0, r.indexOf(",\""))).toList());
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.replaceAll("\"[^\"]*\"", "device").split(",");
            int w = Integer.parseInt(f[0]);
            long perExample = 2L * (784 * w * 2 + 2 * w * w * 3 + w * 10 * 3); // 784-w-w-w-10: the first layer has no input gradient
            double seconds = Double.parseDouble(f[3]), gflops = Double.parseDouble(f[4]);
            assertEquals(300 * perExample / seconds / 1e9, gflops, Math.max(gflops * 0.01, 0.002), row); // the CSV's rounding
        }
        assertTrue(Files.size(tmp.resolve("bench-sweep.png")) > 100);
        run(2, "bench", "--sweep", "0", "--data", data.toString(), "--out", tmp.toString());
    }

    @Test
    void badArgumentsGiveClearErrors() {
        run(2, "train", "--epochs", "x");
        run(2, "tune", "--layers", "512,0");
        run(2, "tune", "--batch", "0");
        run(2, "train", "--preset", "nope", "--data", tmp.toString());
        run(2, "evaluate", "--model", tmp.resolve("missing").toString(), "--backend", "cpu", "--data", tmp.toString());
    }

    @Test
    void devicesListsOpenClAndTheCpuBackend() {
        String out = run(0, "devices");
        assertTrue(out.contains("opencl:0"), out);
        assertTrue(out.contains("cpu") && out.contains("Java CPU backend"), out);
        assertTrue(out.contains("--backend auto picks"), out);
    }

    @Test
    void devicesSaysWhichGemmEachDeviceGetsAndWhy() {
        String out = run(0, "devices");
        assertTrue(out.contains("GEMM ") && out.contains(": the default for a CPU device"), out);
    }

    @Test
    void checkPrintsATableAndPassesOnTheTestDevice() {
        String out = run(0, "check", "--backend", "opencl:0");
        assertTrue(out.startsWith("checking opencl:0: "), out);
        assertTrue(out.contains("softmaxCrossEntropyStats") && out.contains("train keras epoch 2") && out.contains(" passed, 0 failed"), out);
        assertTrue(out.contains("all passed in "), out);
        run(2, "check", "--backend", "cpu");
        run(2, "check", "--backend", "nope");
    }
}
