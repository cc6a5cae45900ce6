package dev.clmlp.data;

import com.sun.net.httpserver.HttpServer;
import dev.clmlp.io.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Download into the cache from mirrors served on localhost: checksums verified, bad mirrors skipped. */
class MnistDownloadTest {
    @TempDir Path tmp;
    HttpServer server;
    final Map<String, byte[]> good = new HashMap<>();
    final List<String> requests = new ArrayList<>();
    String oldCache;

    @BeforeEach
    void serve() throws IOException {
        Path files = Generated.mnistDir(tmp.resolve("files"), 30, 10);
        for (String f : Mnist.FILES) good.put(f, Files.readAllBytes(files.resolve(f + ".gz")));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.add(path);
            String name = path.substring(path.lastIndexOf('/') + 1).replace(".gz", "");
            byte[] body = path.startsWith("/bad/") ? Generated.gzip("not mnist".getBytes()) : good.get(name);
            if (body == null) { ex.sendResponseHeaders(404, -1); ex.close(); return; }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        oldCache = System.getProperty("clmlp.cache.dir");
        System.setProperty("clmlp.cache.dir", tmp.resolve("cache").toString());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        if (oldCache == null) System.clearProperty("clmlp.cache.dir"); else System.setProperty("clmlp.cache.dir", oldCache);
    }

    Mnist.Variant variant(String... mirrorPaths) throws IOException {
        Map<String, String> sums = new HashMap<>();
        Mnist.Variant base = new Mnist.Variant("test-mnist", "CLMLP_TEST_NO_SUCH_VAR", List.of(), "SHA-256", true, Map.of());
        for (String f : Mnist.FILES) sums.put(f, Mnist.digest(base, good.get(f)));
        List<String> mirrors = new ArrayList<>();
        for (String p : mirrorPaths) mirrors.add("http://127.0.0.1:" + server.getAddress().getPort() + p);
        return new Mnist.Variant("test-mnist", "CLMLP_TEST_NO_SUCH_VAR", mirrors, "SHA-256", true, sums);
    }

    @Test
    void downloadsVerifiesCachesAndSkipsABadMirror() throws IOException {
        Mnist.Variant v = variant("/bad/", "/good/");
        List<String> log = new ArrayList<>();
        Mnist.Split s = Mnist.load(v, null, log::add);
        assertEquals(30, s.train().rows());
        assertEquals(10, s.test().rows());
        Path cache = AtomicFiles.cacheDir().resolve("datasets").resolve("test-mnist");
        for (String f : Mnist.FILES) assertTrue(Files.isRegularFile(cache.resolve(f + ".gz")), f + " cached");
        assertEquals(8, requests.size(), "each file tried on the bad mirror, then fetched from the good one: " + requests);
        requests.clear();
        Mnist.load(v, null, log::add);
        assertTrue(requests.isEmpty(), "second load must come from the cache: " + requests);
    }

    @Test
    void checksumMismatchEverywhereFailsWithOfflineAdvice() throws IOException {
        Mnist.Variant v = variant("/bad/");
        IOException e = assertThrows(IOException.class, () -> Mnist.load(v, null, m -> {}));
        assertTrue(e.getMessage().contains("SHA-256 of the decompressed file is"), e.getMessage());
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("--data DIR"), e.getMessage());
        Path cache = AtomicFiles.cacheDir().resolve("datasets").resolve("test-mnist");
        assertTrue(!Files.exists(cache) || Files.list(cache).findAny().isEmpty(), "nothing unverified is left in the cache");
    }

    @Test
    void unreachableMirrorSaysWhatToDo() {
        Mnist.Variant v = new Mnist.Variant("test-mnist", "CLMLP_TEST_NO_SUCH_VAR", List.of("http://127.0.0.1:1/"), "SHA-256", true, Map.of());
        IOException e = assertThrows(IOException.class, () -> Mnist.load(v, null, m -> {}));
        assertTrue(e.getMessage().contains("could not download") && e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }

    @Test
    void userDirectoryWinsAndMustBeComplete() throws IOException {
        Path dir = Generated.mnistDir(tmp.resolve("mine"), 12, 5);
        assertEquals(12, Mnist.load(variant(), dir, m -> {}).train().rows());
        Files.delete(dir.resolve(Mnist.TEST_LABELS + ".gz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(variant(), dir, m -> {}));
        assertTrue(e.getMessage().contains("--data") && e.getMessage().contains(Mnist.TEST_LABELS), e.getMessage());
    }
}
