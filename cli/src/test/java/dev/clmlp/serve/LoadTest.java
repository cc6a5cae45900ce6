package dev.clmlp.serve;

import com.google.gson.JsonParser;
import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.data.Dataset;
import dev.clmlp.data.Mnist;
import dev.clmlp.nn.Preset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.tensor.Backend;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ./clmlp serve under load: many connections post MNIST test images (1 to 4 a request) to one
 * server; every answer is checked against predict's, and the run reports throughput, p50 and
 * p99 latency and the heap after collection at the start and the end. The suite runs 3,000
 * requests; {@code -Dserve.requests=100000} is the long run. {@link #main} points the same
 * client at another server (a peer runtime), checking its classes.
 */
class LoadTest {
    static final int CONNECTIONS = 16, DISTINCT = 200;

    /** What one run measured. */
    record Result(int requests, double seconds, double p50Micros, double p99Micros, int errors) {
        @Override public String toString() {
            return String.format(Locale.ROOT, "%,d requests, %d connections: %.0f requests/s, p50 %.0f us, p99 %.0f us, %d errors",
                    requests, CONNECTIONS, requests / seconds, p50Micros, p99Micros, errors);
        }
    }

    /** Request i: images (i*7) % .. of the test set, 1 to 4 of them, as rows for predict and as the JSON body. */
    record Request(float[] x, int n, String body) {
        static Request of(Dataset test, int i) {
            int first = (i * 7) % (test.rows() - 4), n = 1 + i % 4, width = test.features();
            float[] x = new float[n * width];
            for (int r = 0; r < n; r++) System.arraycopy(test.example(first + r), 0, x, r * width, width);
            StringBuilder sb = new StringBuilder("{\"instances\": [");
            for (int r = 0; r < n; r++) {
                sb.append(r == 0 ? "[" : ", [");
                for (int j = 0; j < width; j++) sb.append(j == 0 ? "" : ",").append(x[r * width + j]);
                sb.append(']');
            }
            return new Request(x, n, sb.append("]}").toString());
        }
    }

    /**
     * Posts `requests` bodies from CONNECTIONS threads; check(i, body) says whether answer i is right.
     */
    static Result load(URI uri, String[] bodies, int requests, java.util.function.BiPredicate<Integer, String> check) throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "load-client");
            t.setDaemon(true); // main() ends when the load does
            return t;
        });
        HttpClient client = HttpClient.newBuilder().executor(io).build();
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger(), errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++)
            done.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies[i % bodies.length])).build();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
                        nanos[i] = System.nanoTime() - s;
                        if (res.statusCode() != 200 || !check.test(i % bodies.length, res.body())) errors.incrementAndGet();
                    } catch (java.io.IOException e) {
                        nanos[i] = System.nanoTime() - s;
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        for (Future<?> f : done) f.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        io.shutdown();
        Arrays.sort(nanos);
        return new Result(requests, seconds, nanos[requests / 2] / 1e3, nanos[(int) (requests * 0.99)] / 1e3, errors.get());
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void manyConnectionsGetPredictsAnswersWithFlatMemory() throws Exception {
        int requests = Integer.getInteger("serve.requests", 3000);
        Dataset test = Mnist.load(Mnist.Variant.MNIST, null, s -> {}).test();
        try (Backend b = new CpuBackend(); Sequential m = Preset.named("keras").model()) {
            m.compile(b, Preset.named("keras").newOptimizer(), 1); // untrained weights: the answers are checked against predict's
            String[] bodies = new String[DISTINCT], expected = new String[DISTINCT];
            for (int i = 0; i < DISTINCT; i++) {
                Request q = Request.of(test, i);
                bodies[i] = q.body();
                expected[i] = Json.predictions(m, m.predict(q.x(), q.n()), q.n());
            }
            try (ModelServer server = new ModelServer(m, "keras", new InetSocketAddress("127.0.0.1", 0), Runtime.getRuntime().availableProcessors(),
                    ModelServer.Limits.DEFAULT)) {
                URI uri = URI.create("http://127.0.0.1:" + server.port() + server.predictPath());
                load(uri, bodies, Math.min(requests, 1000), (i, body) -> expected[i].equals(body)); // warm-up
                long heap0 = heapAfterGc();
                Result r = load(uri, bodies, requests, (i, body) -> expected[i].equals(body));
                long heap1 = heapAfterGc();
                System.out.printf(Locale.ROOT, "serve under load: %s; heap after GC %.1f MB -> %.1f MB%n", r, heap0 / 1e6, heap1 / 1e6);
                assertEquals(0, r.errors(), "every answer is predict's");
                assertTrue(heap1 - heap0 < 16_000_000, "the heap stays flat: " + heap0 + " -> " + heap1);
            }
            m.close();
            assertEquals(0, b.liveBuffers(), "no buffer is left behind once the model is closed");
        }
    }

    /**
     * {@code LoadTest URL REQUESTS MODEL_DIR}: the same load against any server of the REST call
     * (./clmlp serve in its own process, or a peer runtime serving the model's ONNX export),
     * each answer's classes checked against MODEL_DIR's predict.
     */
    public static void main(String[] args) throws Exception {
        Dataset test = Mnist.load(Mnist.Variant.MNIST, null, s -> {}).test();
        String[] bodies = new String[DISTINCT];
        int[][] classes = new int[DISTINCT][];
        try (Backend b = new CpuBackend(); Sequential m = Sequential.load(java.nio.file.Path.of(args[2]), b)) {
            for (int i = 0; i < DISTINCT; i++) {
                Request q = Request.of(test, i);
                bodies[i] = q.body();
                classes[i] = m.predictClasses(q.x(), q.n());
            }
        }
        java.util.function.BiPredicate<Integer, String> sameClasses = (i, body) -> {
            com.google.gson.JsonArray p = JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("predictions");
            for (int r = 0; r < classes[i].length; r++) {
                com.google.gson.JsonArray row = p.get(r).getAsJsonArray();
                int best = 0;
                for (int j = 1; j < row.size(); j++) if (row.get(j).getAsFloat() > row.get(best).getAsFloat()) best = j;
                if (best != classes[i][r]) return false;
            }
            return p.size() == classes[i].length;
        };
        int requests = Integer.parseInt(args[1]);
        URI uri = URI.create(args[0]);
        load(uri, bodies, Math.min(requests, 1000), sameClasses);
        System.out.println(args[0] + ": " + load(uri, bodies, requests, sameClasses));
    }
}
