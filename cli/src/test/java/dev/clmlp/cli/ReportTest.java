package dev.clmlp.cli;

import dev.clmlp.data.Generated;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML pages in a real browser: headless Chromium opens each one; every image must have
 * decoded (natural width above 0), the console must show no error, and the page must load
 * nothing from the network. A screenshot of each is kept in target/screenshots/.
 */
class ReportTest {
    @TempDir static Path dir;
    static Path data, run;
    static final Path SHOTS = Path.of("target", "screenshots");

    @BeforeAll
    static void trainedRun() throws IOException {
        System.setProperty("java.awt.headless", "true");
        data = Generated.mnistDir(dir.resolve("data"), 600, 200);
        run = dir.resolve("run");
        CliTest.run(0, "train", "--data", data.toString(), "--epochs", "3", "--layers", "32", "--backend", "cpu", "--no-progress",
                "--out", run.toString());
        Files.createDirectories(SHOTS);
    }

    /** What the page reported after loading: the number of images, those that did not decode, and the errors seen. */
    record Check(int images, String bad, String errors) {}

    // runs first in <head>, before the page's own Content-Security-Policy (which forbids scripts) is read
    static final String PROBE = """
            <script>
            window.__errors = [];
            window.addEventListener('error', e => __errors.push(e.message || ('cannot load ' + (e.target.alt || e.target.tagName))), true);
            document.addEventListener('securitypolicyviolation', e => __errors.push('CSP blocked ' + e.blockedURI));
            const ce = console.error; console.error = (...a) => { __errors.push(a.join(' ')); ce(...a); };
            window.addEventListener('load', () => {
              const imgs = [...document.images], bad = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt);
              document.body.setAttribute('data-check', imgs.length + '|' + bad.join(';') + '|' + __errors.join(';'));
            });
            </script>""";

    static String chromium() {
        for (String c : List.of("chromium", "chromium-browser", "google-chrome"))
            for (String d : System.getenv("PATH").split(":"))
                if (Files.isExecutable(Path.of(d, c))) return Path.of(d, c).toString();
        throw new AssertionError("no chromium on the PATH: scripts/test installs it (apt-get install chromium)");
    }

    static String chromium(Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out");
        return out;
    }

    /** Opens the page in Chromium with the probe, and takes a screenshot of the page as it is. */
    static Check open(Path page, String shot) throws Exception {
        String html = Files.readString(page);
        Path probed = dir.resolve("probed-" + page.getFileName());
        Files.writeString(probed, html.replaceFirst("<head>", "<head>\n" + Matcher.quoteReplacement(PROBE)));
        String dom = chromium(dir.resolve("profile"), "--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString());
        Matcher m = Pattern.compile("data-check=\"(\\d+)\\|([^|\"]*)\\|([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), "the probe ran in " + page + ": " + dom.substring(0, Math.min(400, dom.length())));
        chromium(dir.resolve("profile"), "--window-size=1360,2600", "--screenshot=" + SHOTS.resolve(shot).toAbsolutePath(), page.toUri().toString());
        assertTrue(Files.size(SHOTS.resolve(shot)) > 10_000, "screenshot " + shot);
        return new Check(Integer.parseInt(m.group(1)), m.group(2), m.group(3).replace("&amp;", "&"));
    }

    static void assertSelfContained(String html) {
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'; img-src data:"), "a policy forbids network access");
        assertFalse(html.contains("<script"), "no script");
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)", Pattern.CASE_INSENSITIVE).matcher(html).find(), "every src and href inlined");
    }

    @Test
    void theTrainingReportShowsEveryPartAndEveryImageDecodesInChromium() throws Exception {
        Path page = run.resolve("report.html");
        String html = Files.readString(page);
        assertSelfContained(html);
        for (String part : new String[] {"clmlp train --data ", "Total params: 25,450", "Confusion matrix", "recall", "precision",
                "val_accuracy", "The first 32 test examples", "most confidently wrong", "cpu: Java CPU backend"})
            assertTrue(html.contains(part), part);
        Check c = open(page, "report.png");
        assertEquals(5, c.images(), "loss/accuracy, weights, biases, first examples, confidently wrong");
        assertEquals("", c.bad(), "images that did not decode");
        assertEquals("", c.errors(), "console errors");
    }

    @Test
    void reportRegeneratesTheSamePageFromTheSavedRun() throws Exception {
        Path again = dir.resolve("again.html");
        assertTrue(CliTest.run(0, "report", run.toString(), "--out", again.toString(), "--backend", "cpu").contains("wrote " + again));
        assertArrayEquals(Files.readAllBytes(run.resolve("report.html")), Files.readAllBytes(again));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(CliTest.runErr(2, "report", empty.toString()).contains("missing config.json"));
    }

    @Test
    void theBenchPageOpensInChromium() throws Exception {
        Path out = Files.createDirectories(dir.resolve("bench"));
        CliTest.run(0, "bench", "--data", data.toString(), "--backends", "cpu,opencl:0", "--epochs", "1", "--limit", "300", "--out", out.toString());
        String html = Files.readString(out.resolve("bench.html"));
        assertSelfContained(html);
        assertTrue(html.contains("opencl:0") && html.contains("GEMM GFLOP/s"), "a row per backend");
        Check c = open(out.resolve("bench.html"), "bench.png");
        assertEquals(1, c.images());
        assertEquals("", c.bad());
        assertEquals("", c.errors());
    }

    /** The probe itself: a page with an image that cannot decode and a console error is caught. */
    @Test
    void theProbeSeesABrokenImageAndAConsoleError() throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><title>t</title></head><body>"
                + "<img alt=\"broken\" src=\"data:image/png;base64,AAAA\"><img alt=\"fine\" src=\"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\">"
                + "<script>console.error('boom')</script></body></html>");
        Check c = open(page, "broken.png");
        assertEquals(2, c.images());
        assertEquals("broken", c.bad());
        assertTrue(c.errors().contains("boom"), c.errors());
    }
}
