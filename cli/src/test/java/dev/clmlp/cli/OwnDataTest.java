package dev.clmlp.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a CSV data set this test generates: overlapping Gaussian blobs whose features
 * differ in scale by 10^6, so that --scale standard matters. clmlp must reach the validation
 * accuracy of a float64 numpy MLP trained the same way on the same files
 * (src/test/python/mlp_reference.py), and predict must agree with what train measured.
 */
class OwnDataTest {
    @TempDir static Path dir;
    static Path train, val;
    static final int FEATURES = 6, CLASSES = 4;
    static final String LAYERS = "32,32", LR = "0.005", BATCH = "32", EPOCHS = "25";

    @BeforeAll
    static void blobs() throws IOException {
        Random rnd = new Random(7);
        double[][] centers = new double[CLASSES][FEATURES];
        for (double[] c : centers) for (int j = 0; j < FEATURES; j++) c[j] = rnd.nextGaussian() * 1.2;
        double[] scale = {1000, 0.001, 1, 5, 1, 20};
        train = dir.resolve("blobs-train.csv");
        val = dir.resolve("blobs-val.csv");
        for (Path p : List.of(train, val)) {
            StringBuilder sb = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
            for (int i = 0; i < (p == train ? 1600 : 400); i++) {
                int k = rnd.nextInt(CLASSES);
                for (int j = 0; j < FEATURES; j++) sb.append(String.format(Locale.ROOT, "%.6g,", (centers[k][j] + rnd.nextGaussian()) * scale[j]));
                sb.append(k).append('\n');
            }
            Files.writeString(p, sb);
        }
    }

    static double numpyReference() throws IOException, InterruptedException { return numpyReference(train, val); }

    static double numpyReference(Path train, Path val, String... task) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", Path.of("src/test/python/mlp_reference.py").toString(), train.toString(), val.toString(),
                LAYERS, LR, BATCH, EPOCHS, "1"));
        cmd.addAll(List.of(task));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "numpy reference timed out");
        assertEquals(0, p.exitValue(), "the numpy reference needs python3 with numpy (scripts/test installs python3-numpy): " + out);
        return Double.parseDouble(out);
    }

    static double lastValAccuracy(String log) {
        Matcher m = Pattern.compile("final: test loss [0-9.]+, test accuracy ([0-9.]+)").matcher(log);
        assertTrue(m.find(), log);
        return Double.parseDouble(m.group(1));
    }

    static String lastLog;

    /** Trains as the numpy reference does (its layers, activation, init, optimizer, batch and epochs) and checks the accuracy against it. */
    static double trainsToTheReference(String what, double reference, Path out, String... data) {
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        args.addAll(List.of(data));
        args.addAll(List.of("--layers", LAYERS, "--activation", "relu", "--init", "he_normal", "--optimizer", "adam", "--lr", LR, "--batch", BATCH,
                "--epochs", EPOCHS, "--backend", "cpu", "--no-progress", "--no-plots", "--out", out.toString()));
        lastLog = CliTest.run(0, args.toArray(new String[0]));
        double clmlp = lastValAccuracy(lastLog);
        System.out.printf(Locale.ROOT, "%s: clmlp %.4f, numpy reference %.4f%n", what, clmlp, reference);
        assertTrue(clmlp >= reference - 0.02, what + ": clmlp " + clmlp + " vs numpy " + reference);
        return clmlp;
    }

    /** predict --out on the validation file: the accuracy train measured; returns the CSV's lines. */
    static List<String> predictsWhatItMeasured(Path model, Path val, double accuracy) throws IOException {
        Path preds = model.resolveSibling(model.getFileName() + "-predictions.csv");
        String p = CliTest.run(0, "predict", "--model", model.toString(), "--data", val.toString(), "--out", preds.toString(), "--backend", "cpu");
        assertTrue(p.contains(String.format(Locale.ROOT, "(accuracy %.4f)", accuracy)), p + " vs " + accuracy);
        return Files.readAllLines(preds);
    }

    @Test
    void reachesTheAccuracyOfTheNumpyReferenceAndPredictsWhatItMeasured() throws Exception {
        double reference = numpyReference();
        assertTrue(reference > 0.6, "the blobs are learnable (chance is 0.25): numpy reached " + reference);
        Path out = dir.resolve("run");
        double clmlp = trainsToTheReference("blobs", reference, out, "--data", train.toString(), "--val", val.toString(), "--scale", "standard");
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"input_scaling\""), "the scaling is saved with the model");

        // the saved model, scaling included, predicts the validation file as train measured it
        List<String> lines = predictsWhatItMeasured(out, val, clmlp);
        assertEquals("row,predicted,probability,label,p0,p1,p2,p3", lines.get(0));
        assertEquals(401, lines.size());
        String[] first = lines.get(1).split(",");
        double sum = 0;
        for (int j = 4; j < 8; j++) sum += Double.parseDouble(first[j]);
        assertEquals(1, sum, 1e-5, "probabilities of a row sum to 1");
        assertEquals(Double.parseDouble(first[2]), Double.parseDouble(first[4 + Integer.parseInt(first[1])]), "probability is the predicted class's");
    }

    /**
     * An iris-style file: the species as names in the first column. clmlp, with its default
     * scaling, reaches the numpy reference trained on the same rows with the species' sorted index
     * as the label, and predicts by name.
     */
    @Test
    void namedClassesTrainAsTheirIndicesDoAndArePredictedByName() throws Exception {
        Random rnd = new Random(11);
        String[] species = {"virginica", "setosa", "versicolor"}; // sorted: setosa 0, versicolor 1, virginica 2
        int[] index = {2, 0, 1};
        double[][] centers = {{6.6, 3.0, 5.6, 2.0}, {5.0, 3.4, 1.5, 0.25}, {5.9, 2.8, 4.3, 1.3}};
        Path named = dir.resolve("iris-train.csv"), namedVal = dir.resolve("iris-val.csv");
        Path numbered = dir.resolve("iris-train-numbered.csv"), numberedVal = dir.resolve("iris-val-numbered.csv");
        for (Path[] p : new Path[][] {{named, numbered}, {namedVal, numberedVal}}) {
            StringBuilder a = new StringBuilder("species,sepal_length,sepal_width,petal_length,petal_width\n"), b = new StringBuilder("f0,f1,f2,f3,label\n");
            for (int i = 0; i < (p[0] == named ? 240 : 120); i++) {
                int k = rnd.nextInt(3);
                StringBuilder row = new StringBuilder();
                for (int j = 0; j < 4; j++) row.append(String.format(Locale.ROOT, "%.2f,", centers[k][j] + 0.45 * rnd.nextGaussian()));
                a.append(species[k]).append(',').append(row, 0, row.length() - 1).append('\n');
                b.append(row).append(index[k]).append('\n');
            }
            Files.writeString(p[0], a);
            Files.writeString(p[1], b);
        }
        double reference = numpyReference(numbered, numberedVal);
        Path out = dir.resolve("iris-run");
        double clmlp = trainsToTheReference("iris-style named species", reference, out, "--data", named.toString(), "--val", namedVal.toString(),
                "--label", "species");
        assertTrue(lastLog.contains("classes: setosa, versicolor, virginica") && lastLog.contains("scaling: standard (the default for own data"), lastLog);
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"class_names\""), "the names are saved with the model");

        List<String> lines = predictsWhatItMeasured(out, namedVal, clmlp);
        assertEquals("row,predicted,probability,label,p_setosa,p_versicolor,p_virginica", lines.get(0));
        List<String> valLines = Files.readAllLines(namedVal);
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",");
            assertTrue(List.of(species).contains(cells[1]), lines.get(r));
            assertEquals(valLines.get(r).split(",")[0], cells[3], "the true species of row " + r);
        }

        // ./clmlp serve's REST call names the species predict named, row by row
        StringBuilder json = new StringBuilder("{\"instances\": [");
        for (int r = 1; r < valLines.size(); r++) {
            String[] cells = valLines.get(r).split(",", 2);
            json.append(r == 1 ? "[" : ", [").append(cells[1]).append(']');
        }
        try (dev.clmlp.tensor.Backend b = new dev.clmlp.cpu.CpuBackend(); dev.clmlp.nn.Sequential m = dev.clmlp.nn.Sequential.load(out, b);
             dev.clmlp.serve.ModelServer server = new dev.clmlp.serve.ModelServer(m, "iris", new java.net.InetSocketAddress("127.0.0.1", 0), 2,
                     dev.clmlp.serve.ModelServer.Limits.DEFAULT)) {
            java.net.http.HttpResponse<String> res = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + server.predictPath()))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json.append("]}").toString())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), res.body());
            com.google.gson.JsonArray labels = com.google.gson.JsonParser.parseString(res.body()).getAsJsonObject().getAsJsonArray("labels");
            assertEquals(lines.size() - 1, labels.size());
            for (int r = 1; r < lines.size(); r++) assertEquals(lines.get(r).split(",")[1], labels.get(r - 1).getAsString(), "serve and predict, row " + r);
        }
    }

    /**
     * Two named classes through one sigmoid output (--loss binary_crossentropy, Keras' Dense(1,
     * "sigmoid")): it reaches the numpy reference's two-way softmax on the same rows, and predict
     * gives both classes' probabilities, 1 - p and p, by name.
     */
    @Test
    void twoClassesTrainOneSigmoidOutputWithBinaryCrossEntropy() throws Exception {
        Random rnd = new Random(13);
        Path named = dir.resolve("two-train.csv"), namedVal = dir.resolve("two-val.csv");
        Path numbered = dir.resolve("two-train-numbered.csv"), numberedVal = dir.resolve("two-val-numbered.csv");
        for (Path[] p : new Path[][] {{named, numbered}, {namedVal, numberedVal}}) {
            StringBuilder a = new StringBuilder("x0,x1,x2,churn\n"), b = new StringBuilder("f0,f1,f2,label\n");
            for (int i = 0; i < (p[0] == named ? 400 : 200); i++) {
                double x0 = rnd.nextGaussian(), x1 = rnd.nextGaussian(), x2 = rnd.nextGaussian();
                int k = x0 * x0 + x1 - 0.5 * x2 + 0.3 * rnd.nextGaussian() > 1 ? 1 : 0;
                String row = String.format(Locale.ROOT, "%.3f,%.3f,%.3f,", x0, x1, x2);
                a.append(row).append(k == 1 ? "yes" : "no").append('\n');
                b.append(row).append(k).append('\n');
            }
            Files.writeString(p[0], a);
            Files.writeString(p[1], b);
        }
        double reference = numpyReference(numbered, numberedVal);
        Path out = dir.resolve("two-run");
        double clmlp = trainsToTheReference("two classes, one sigmoid output", reference, out, "--data", named.toString(), "--val", namedVal.toString(),
                "--loss", "binary_crossentropy");
        assertTrue(lastLog.contains("task: binary classification, one sigmoid output (binary_crossentropy), the probability of class yes")
                && lastLog.contains("dense_2 (Dense)             (None, 1)"), lastLog);
        List<String> lines = predictsWhatItMeasured(out, namedVal, clmlp);
        assertEquals("row,predicted,probability,label,p_no,p_yes", lines.get(0));
        String[] first = lines.get(1).split(",");
        assertEquals(1, Double.parseDouble(first[4]) + Double.parseDouble(first[5]), 1e-6, lines.get(1));
        assertEquals(Double.parseDouble(first[5]) > 0.5 ? "yes" : "no", first[1], lines.get(1));
        assertTrue(CliTest.runErr(2, "train", "--data", named.toString(), "--loss", "binary_crossentropy", "--class-weight", "balanced", "--out", dir.resolve("x").toString())
                .startsWith("train: --class-weight: one sigmoid output"));
        assertTrue(CliTest.runErr(2, "train", "--data", numbered.toString(), "--target", "label", "--task", "multilabel", "--out", dir.resolve("x").toString())
                .startsWith("train: --task multilabel: one 0/1 target is two classes"));
    }

    /**
     * A regression table (Friedman's first function of five features, plus noise, and a sixth
     * feature that does not matter): the target holds real numbers, so clmlp infers a regression;
     * trained with mse, it reaches the R^2 of the float64 numpy reference trained the same way on
     * the same files (scikit-learn's MLPRegressor trains this model: ReLU, Adam, squared error).
     */
    @Test
    void aRegressionTableReachesTheR2OfTheNumpyReference() throws Exception {
        Random rnd = new Random(21);
        Path train = dir.resolve("friedman-train.csv"), val = dir.resolve("friedman-val.csv");
        for (Path p : List.of(train, val)) {
            StringBuilder sb = new StringBuilder("x0,x1,x2,x3,x4,x5,y\n");
            for (int i = 0; i < (p == train ? 1600 : 400); i++) {
                double[] x = new double[6];
                for (int j = 0; j < 6; j++) x[j] = rnd.nextDouble();
                double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4] + rnd.nextGaussian();
                for (double v : x) sb.append(String.format(Locale.ROOT, "%.5f,", v));
                sb.append(String.format(Locale.ROOT, "%.5f%n", y));
            }
            Files.writeString(p, sb);
        }
        double reference = numpyReference(train, val, "regression");
        Path out = dir.resolve("friedman-run");
        String log = CliTest.run(0, "train", "--data", train.toString(), "--val", val.toString(), "--layers", LAYERS, "--activation", "relu",
                "--init", "he_normal", "--optimizer", "adam", "--lr", LR, "--batch", BATCH, "--epochs", EPOCHS, "--backend", "cpu",
                "--no-progress", "--no-plots", "--out", out.toString());
        assertTrue(log.contains("task: regression, loss mse (inferred") && log.contains("regression on 'y'") && log.contains("val_r2"), log);
        Matcher m = Pattern.compile("final: test loss [0-9.]+, MAE ([0-9.]+), RMSE ([0-9.]+), R\\^2 ([0-9.-]+)").matcher(log);
        assertTrue(m.find(), log);
        double r2 = Double.parseDouble(m.group(3));
        System.out.printf(Locale.ROOT, "Friedman #1 regression: clmlp R^2 %.4f, numpy reference %.4f%n", r2, reference);
        assertTrue(reference > 0.8, "the function is learnable: numpy reached R^2 " + reference);
        assertTrue(r2 >= reference - 0.02, "clmlp R^2 " + r2 + " vs numpy " + reference);
        assertTrue(Files.readString(out.resolve("history.csv")).startsWith("epoch,loss,mae,val_loss,val_mae,val_rmse,val_r2,seconds"));
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("test R^2 (400 examples)") && report.contains("Predictions (friedman-val.csv)") && report.contains("val_rmse"),
                "the report's regression sections");

        Path preds = dir.resolve("friedman-predictions.csv");
        String p = CliTest.run(0, "predict", "--model", out.toString(), "--data", val.toString(), "--out", preds.toString(), "--backend", "cpu");
        assertTrue(p.contains(String.format(Locale.ROOT, "R^2 %.4f over 400 examples", r2)), p + " vs " + r2);
        List<String> lines = Files.readAllLines(preds);
        assertEquals("row,predicted_y,y", lines.get(0));
        assertEquals(401, lines.size());
        String e = CliTest.run(0, "evaluate", "--model", out.toString(), "--data", val.toString(), "--backend", "cpu");
        assertTrue(e.contains(String.format(Locale.ROOT, "R^2 %.4f", r2)), e);
    }

    /**
     * Three 0/1 target columns (one of them a function of a category) are inferred to be
     * multi-label: the model learns each, predict gives each label's probability and decision,
     * evaluate and the report its accuracy per label.
     */
    /**
     * A price in the hundreds of thousands: --scale-target standard trains on its standardised
     * values and reaches an R^2 the raw target does not; predict's and evaluate's errors are in
     * the price's own units, as train measured them.
     */
    @Test
    void standardisedTargetsFitAPriceInItsOwnUnits() throws Exception {
        Random rnd = new Random(31);
        Path prices = dir.resolve("prices.csv");
        StringBuilder sb = new StringBuilder("x0,x1,x2,price\n");
        for (int i = 0; i < 1000; i++) {
            double x0 = rnd.nextDouble() * 2 - 1, x1 = rnd.nextDouble() * 2 - 1, x2 = rnd.nextDouble() * 2 - 1;
            double y = 250_000 + 80_000 * (Math.sin(2 * x0) + x1 * x1) + 10_000 * x2 + 3_000 * rnd.nextGaussian();
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.1f%n", x0, x1, x2, y));
        }
        Files.writeString(prices, sb);
        double[] r2 = new double[2];
        String[] kinds = {"none", "standard"};
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("prices-" + kinds[k]);
            String log = CliTest.run(0, "train", "--data", prices.toString(), "--scale-target", kinds[k], "--layers", "32,32", "--optimizer", "adam",
                    "--lr", "0.005", "--batch", "32", "--epochs", "15", "--backend", "cpu", "--no-progress", "--no-plots", "--out", out.toString());
            Matcher m = Pattern.compile("final: test loss [0-9.]+, MAE ([0-9.]+), RMSE ([0-9.]+), R\\^2 ([0-9.-]+)").matcher(log);
            assertTrue(m.find(), log);
            r2[k] = Double.parseDouble(m.group(3));
            assertEquals(k == 1, log.contains("target scaling: standard (the loss is on the scaled targets"), log);
            if (k == 0) continue;
            assertTrue(Files.readString(out.resolve("config.json")).contains("\"target_scaling\""));
            String e = CliTest.run(0, "evaluate", "--model", out.toString(), "--data", prices.toString(), "--backend", "cpu");
            Matcher em = Pattern.compile("MAE ([0-9.]+), RMSE [0-9.]+, R\\^2 ([0-9.-]+)").matcher(e);
            assertTrue(em.find(), e);
            assertTrue(Double.parseDouble(em.group(1)) > 1000 && Double.parseDouble(em.group(1)) < 20_000, "MAE in the price's units: " + e);
            Path preds = dir.resolve("prices-predictions.csv");
            CliTest.run(0, "predict", "--model", out.toString(), "--data", prices.toString(), "--out", preds.toString(), "--backend", "cpu");
            double predicted = Double.parseDouble(Files.readAllLines(preds).get(1).split(",")[1]);
            assertTrue(predicted > 100_000 && predicted < 500_000, "a predicted price, not a standardised one: " + predicted);
        }
        System.out.printf(Locale.ROOT, "a price in its units: R^2 %.4f with --scale-target standard, %.4f without%n", r2[1], r2[0]);
        assertTrue(r2[1] > 0.95 && r2[1] > r2[0] + 0.1, "R^2 " + r2[1] + " standardised vs " + r2[0]);
    }

    @Test
    void severalZeroOneTargetsTrainAMultiLabelModel() throws Exception {
        Random rnd = new Random(5);
        StringBuilder sb = new StringBuilder("x0,x1,colour,fast,red,cheap\n");
        for (int i = 0; i < 600; i++) {
            double a = rnd.nextGaussian(), b = rnd.nextGaussian();
            String c = rnd.nextBoolean() ? "red" : "blue";
            sb.append(String.format(Locale.ROOT, "%.3f,%.3f,%s,%d,%d,%d%n", a, b, c, a > 0 ? 1 : 0, c.equals("red") ? 1 : 0, a + b < 0 ? 1 : 0));
        }
        Path data = Files.writeString(dir.resolve("tags.csv"), sb), out = dir.resolve("tags-run");
        String log = CliTest.run(0, "train", "--data", data.toString(), "--target", "fast,red,cheap", "--layers", "16", "--optimizer", "adam", "--lr", "0.01",
                "--epochs", "12", "--backend", "cpu", "--no-progress", "--no-plots", "--out", out.toString());
        assertTrue(log.contains("task: multilabel, loss binary_crossentropy (inferred") && log.contains("multi-label on 'fast', 'red', 'cheap'"), log);
        double accuracy = lastValAccuracy(log);
        assertTrue(accuracy > 0.95, "accuracy per label " + accuracy);
        Path preds = dir.resolve("tags-predictions.csv");
        String p = CliTest.run(0, "predict", "--model", out.toString(), "--data", data.toString(), "--out", preds.toString(), "--threshold", "0.6", "--backend", "cpu");
        assertTrue(p.contains("red: ") && p.contains("at threshold 0.6"), p);
        List<String> lines = Files.readAllLines(preds);
        assertEquals("row,p_fast,predicted_fast,fast,p_red,predicted_red,red,p_cheap,predicted_cheap,cheap", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            assertEquals(Double.parseDouble(c[1]) > 0.6 ? "1" : "0", c[2], "the decision at the threshold: " + line);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("share predicted 1"), "the report's per-label table");
    }

    /** --resume refuses a data file that changed since the run started, and says so when config.json was edited. */
    @Test
    void resumeChecksTheDataItWasTrainedOn() throws Exception {
        Path data = dir.resolve("resume-data.csv"), run = dir.resolve("resume-run");
        Files.copy(train, data);
        CliTest.run(0, "train", "--data", data.toString(), "--layers", "8", "--epochs", "1", "--backend", "cpu", "--no-progress", "--no-plots",
                "--out", run.toString());
        Path config = run.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"units\": 8", "\"units\": 9"));
        String log = CliTest.run(0, "train", "--resume", run.toString(), "--epochs", "2", "--backend", "cpu", "--no-progress", "--no-plots");
        assertTrue(log.contains("differs from the model in checkpoint") && log.contains("continues the checkpoint's model"), log);
        assertTrue(Files.readString(config).contains("\"units\": 8"), "config.json is the checkpoint's model again");
        Files.writeString(data, Files.readString(data).replaceFirst("\n[^\n]*\n", "\n"), java.nio.charset.StandardCharsets.UTF_8); // one row less
        String err = CliTest.runErr(3, "train", "--resume", run.toString(), "--epochs", "3", "--backend", "cpu", "--no-progress", "--no-plots");
        assertTrue(err.startsWith("clmlp: " + data + ": changed since the run started (") && err.contains("restore the file, or start a new run"), err);
    }

    /** --class-weight balanced on a 95:5 table: the rare class is found more often than without it. */
    @Test
    void balancedClassWeightsFindTheRareClassMoreOften() throws Exception {
        Random rnd = new Random(8);
        StringBuilder sb = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 1200; i++) {
            boolean rare = rnd.nextInt(20) == 0;
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", rnd.nextGaussian() + (rare ? 1.2 : 0), rnd.nextGaussian() + (rare ? 1.2 : 0), rare ? "rare" : "common"));
        }
        Path data = Files.writeString(dir.resolve("rare.csv"), sb);
        int[] found = new int[2];
        for (int weighted = 0; weighted < 2; weighted++) {
            Path out = dir.resolve("rare-run-" + weighted), preds = dir.resolve("rare-" + weighted + ".csv");
            List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--layers", "8", "--optimizer", "adam", "--lr", "0.01",
                    "--epochs", "8", "--backend", "cpu", "--no-progress", "--no-plots", "--out", out.toString()));
            if (weighted == 1) args.addAll(List.of("--class-weight", "balanced"));
            String log = CliTest.run(0, args.toArray(new String[0]));
            if (weighted == 1) assertTrue(log.contains("class weights: common 0.5") && log.contains("rare "), log);
            CliTest.run(0, "predict", "--model", out.toString(), "--data", data.toString(), "--out", preds.toString(), "--backend", "cpu");
            for (String line : Files.readAllLines(preds).subList(1, 1201)) if (line.split(",")[1].equals("rare") && line.split(",")[3].equals("rare")) found[weighted]++;
        }
        System.out.printf(Locale.ROOT, "95:5 table: the rare class found %d times unweighted, %d with balanced class weights%n", found[0], found[1]);
        assertTrue(found[1] > found[0] + 10, "balanced weights find the rare class more often: " + found[1] + " against " + found[0]);
        assertEquals("train: --class-weight: no class 'often'; the classes are common, rare", CliTest.runErr(2, "train", "--data", data.toString(),
                "--class-weight", "often=2", "--epochs", "1", "--backend", "cpu", "--out", dir.resolve("rare-bad").toString()).lines().findFirst().orElse(""));
    }

    /** The same files as numpy's .npz (written by numpy itself): clmlp reaches the reference there too. */
    @Test
    void theSameDataAsNpzReachesTheReferenceToo() throws Exception {
        double reference = numpyReference();
        Path trainNpz = dir.resolve("blobs-train.npz"), valNpz = dir.resolve("blobs-val.npz");
        Process p = new ProcessBuilder("python3", "-c", "import numpy as np, sys\n"
                + "for src, dst in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):\n"
                + "    d = np.loadtxt(src, delimiter=',', skiprows=1)\n"
                + "    np.savez_compressed(dst, x=d[:, :-1].astype(np.float32), y=d[:, -1].astype(np.int64))\n",
                train.toString(), trainNpz.toString(), val.toString(), valNpz.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        trainsToTheReference("blobs as .npz", reference, dir.resolve("npz-run"), "--data", trainNpz.toString(), "--val", valNpz.toString(), "--scale", "standard");
    }

    /** NumPy labels 10, 20, 30 are three classes named by their values (not 31 outputs); a value the training data lacks is refused. */
    @Test
    void numpyLabelsThatAreNotZeroToKAreNamedByTheirValues() throws Exception {
        Path x = dir.resolve("codes-x.npy"), y = dir.resolve("codes-y.npy"), odd = dir.resolve("codes-odd.npz");
        Process p = new ProcessBuilder("python3", "-c", "import numpy as np, sys\n"
                + "r = np.random.default_rng(3); y = r.choice([10, 20, 30], 300)\n"
                + "np.save(sys.argv[1], (r.normal(size=(300, 2)) + y[:, None] / 10).astype(np.float32)); np.save(sys.argv[2], y)\n"
                + "np.savez(sys.argv[3], x=np.zeros((2, 2), np.float32), y=np.array([10, 40]))\n",
                x.toString(), y.toString(), odd.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Path model = dir.resolve("codes-run");
        String log = CliTest.run(0, "train", "--data", x.toString(), "--labels", y.toString(), "--layers", "8", "--epochs", "2", "--backend", "cpu",
                "--no-progress", "--no-plots", "--out", model.toString());
        assertTrue(log.contains("3 classes") && log.contains("classes: 10, 20, 30"), log);
        assertTrue(CliTest.run(0, "evaluate", "--model", model.toString(), "--data", x.toString(), "--labels", y.toString(), "--backend", "cpu").contains("accuracy"));
        assertEquals("clmlp: " + odd + ": example 1: class 40 is not among the 3 classes of the training data (10, 20, 30)",
                CliTest.runErr(3, "evaluate", "--model", model.toString(), "--data", odd.toString(), "--backend", "cpu").strip());
    }

    @Test
    void withoutAValidationFileAShuffledShareIsHeldOut() {
        String log = CliTest.run(0, "train", "--data", train.toString(), "--val-split", "0.25", "--layers", LAYERS, "--optimizer", "adam",
                "--lr", LR, "--batch", BATCH, "--epochs", "3", "--backend", "cpu", "--no-progress", "--no-plots", "--out", dir.resolve("raw").toString());
        assertTrue(log.contains("data: blobs-train.csv (training part) (1200 x 6, 4 classes), validation: blobs-train.csv (held out) (400 x 6"), log);
    }

    @Test
    void optionsThatDoNotFitTheDataAreUsageErrors() throws IOException {
        Path npy = Files.write(dir.resolve("x.npy"), new byte[0]);
        String[][] cases = {
                {"--data " + npy, "--data " + npy + " holds the features only: give the labels with --labels FILE.npy"},
                {"--data " + dir.resolve("x.txt"), "--data " + dir.resolve("x.txt") + ": no such file or directory"},
                {"--data " + train + " --label 3 --val-split 1.5", "--val-split must be between 0 and 1, got 1.5"},
                {"--data " + train + " --val " + val + " --val-split 0.1", "--val and --val-split: give one"},
                {"--data " + train + " --dataset fashion-mnist", "--dataset names MNIST or Fashion-MNIST; --data " + train + " is your own data"},
                {"--data " + train + " --scale log", "--scale: unknown scaling 'log': expected none, minmax or standard"},
                {"--label label", "--label is for your own data (--data FILE.csv, .npy or .npz); MNIST comes with its test set"},
                {"--data " + train + " --loss binary_crossentropy", "--loss binary_crossentropy: one sigmoid output classifies two classes, the label has 4"},
                {"--data " + train + " --scale-target standard", "--scale-target: only a regression's targets are scaled, the data is for classification"},
                {"--data " + train + " --loss mae", "--loss mae: the data is for classification, which trains with categorical_crossentropy (or binary_crossentropy for two classes)"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--out", dir.resolve("usage").toString()));
            args.addAll(List.of(c[0].split(" ")));
            assertEquals("train: " + c[1], CliTest.runErr(2, args.toArray(new String[0])).lines().findFirst().orElse(""));
        }
    }

    @Test
    void badFilesExitWith3NamingRowAndColumn() throws IOException {
        String[][] cases = {
                {"a,b,label\n1,2,0\n\n3,4\n", "line 4: 2 columns, expected 3 as in the header"},
                {"a,b,y\n1,2,0.5\n3,4,\n5,6,1.5\n", "line 3, column 3 'y': the target is empty"},
                {"a,b,label\n1,2,0\n3,-inf,1\n", "line 3, column 2 'b': expected a number, found -inf (not a finite number)"},
                {"", "empty: expected a header or data rows, found no rows"},
                {"a,b,label\n1,2,x\n3,4,y\n", "a validation split of 0.2 of 2 examples leaves one side empty (give more rows, another --val-split, or --val FILE)"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("bad.csv");
            Files.writeString(f, c[0]);
            String err = CliTest.runErr(3, "train", "--data", f.toString(), "--epochs", "1", "--backend", "cpu", "--out", dir.resolve("bad").toString(), "--overwrite");
            assertEquals("clmlp: " + f + ": " + c[1], err.strip());
        }
        // a label outside the model's classes, found by evaluate
        Path model = dir.resolve("small");
        CliTest.run(0, "train", "--data", train.toString(), "--epochs", "1", "--layers", "8", "--backend", "cpu", "--no-progress", "--no-plots", "--out", model.toString());
        Path f = dir.resolve("outside.csv");
        Files.writeString(f, "f0,f1,f2,f3,f4,f5,label\n1,2,3,4,5,6,1\n1,2,3,4,5,6,4\n");
        assertEquals("clmlp: " + f + ": line 3, column 7 'label': class \"4\" is not among the 4 classes the model was trained on (0, 1, 2, 3)",
                CliTest.runErr(3, "evaluate", "--model", model.toString(), "--data", f.toString(), "--backend", "cpu").strip());
    }
}
