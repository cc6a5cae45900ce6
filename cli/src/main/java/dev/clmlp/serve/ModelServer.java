package dev.clmlp.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clmlp.nn.Sequential;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A saved model behind the REST convention of TensorFlow Serving and KServe v1, on the JDK's own
 * HTTP server:
 * <pre>
 * GET  /v1/models/NAME            {"name": NAME, "ready": true, "inputs": 784, "outputs": 10, ...}
 * POST /v1/models/NAME:predict    {"instances": [[...], ...]}  ->  {"predictions": [[p0, ...], ...], "classes": [...]}
 *                                 or a PNG body (an image model): the same answer for one row
 * </pre>
 * Requests run on a pool of threads, all calling the one model ({@link Sequential}'s inference is
 * thread-safe). A bad request is answered 400 (413 for a body over the limit, 404 for another
 * path, 405 for another method) with {"error": one line}; no stack trace reaches a client.
 */
public final class ModelServer implements AutoCloseable {
    /** How long {@link #close} lets requests in flight finish. */
    public static final int GRACE_SECONDS = 5;

    /** The limits of one request. */
    public record Limits(int maxBodyBytes, int maxInstances) {
        /** 16 MiB and 10,000 rows: a batch of MNIST images as JSON fits. */
        public static final Limits DEFAULT = new Limits(16 << 20, 10_000);
    }

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final Sequential model;
    private final String name;
    private final Limits limits;
    private final HttpServer http;
    private final ExecutorService pool;
    private final AtomicLong served = new AtomicLong(), refused = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopping;

    /**
     * Starts serving at once.
     *
     * @param model   a loaded model; the caller closes it after this server
     * @param name    the NAME in the paths
     * @param address where to listen (port 0: any free port, see {@link #port})
     * @param threads the requests handled at once
     * @param limits  the largest request accepted
     * @throws IOException when the address cannot be bound
     */
    public ModelServer(Sequential model, String name, InetSocketAddress address, int threads, Limits limits) throws IOException {
        this.model = model;
        this.name = name;
        this.limits = limits;
        // the JDK server writes headers and body in two packets: without TCP_NODELAY, Nagle's algorithm holds the
        // body back until the client's delayed ACK, 40 ms on Linux, on every request (read once, when the server class loads)
        if (System.getProperty(NO_DELAY) == null) System.setProperty(NO_DELAY, "true");
        http = HttpServer.create(address, 0);
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "clmlp-serve");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
    }

    /** @return the port listened on */
    public int port() { return http.getAddress().getPort(); }

    /** @return the path a client posts its rows to */
    public String predictPath() { return "/v1/models/" + name + ":predict"; }

    /** @return {requests answered 200, requests refused} so far */
    public long[] counts() { return new long[] {served.get(), refused.get()}; }

    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try (ex) {
            String path = ex.getRequestURI().getPath(), method = ex.getRequestMethod(), base = "/v1/models/" + name;
            try {
                if (stopping) throw new BadRequest(503, "the server is stopping");
                if (path.equals(base) || path.equals(base + "/")) {
                    if (!method.equals("GET")) throw new BadRequest(405, method + " " + path + ": expected GET");
                    answer(ex, 200, status());
                } else if (path.equals(base + ":predict")) {
                    if (!method.equals("POST")) throw new BadRequest(405, method + " " + path + ": expected POST");
                    answer(ex, 200, predict(body(ex)));
                } else {
                    throw new BadRequest(404, "no such path: " + path + " (this server has " + base + " and " + base + ":predict)");
                }
                served.incrementAndGet();
            } catch (BadRequest e) {
                refused.incrementAndGet();
                answer(ex, e.status, "{\"error\": " + Json.string(e.getMessage()) + "}");
            } catch (RuntimeException | OutOfMemoryError e) { // a fault of ours: one line to the client, the rest to the log
                refused.incrementAndGet();
                System.err.println("serve: " + method + " " + path + ": " + e);
                answer(ex, 500, "{\"error\": " + Json.string("internal error: " + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "")) + "}");
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The body, at most the limit's bytes. */
    private byte[] body(HttpExchange ex) throws IOException, BadRequest {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(limits.maxBodyBytes() + 1);
            if (b.length <= limits.maxBodyBytes()) return b;
            long more = drain(in); // read on, so that the client, still sending, gets the answer rather than a reset connection
            throw new BadRequest(413, "the body has " + (more >= DRAINED ? "more than " + (b.length + more) : b.length + more) + " bytes, the limit is "
                    + limits.maxBodyBytes() + " (--max-body)");
        }
    }

    /** Past this many bytes over the limit, the connection is closed instead. */
    private static final long DRAINED = 64L << 20;

    private static long drain(InputStream in) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        for (int r; n < DRAINED && (r = in.read(buf)) > 0; ) n += r;
        return n;
    }

    private String predict(byte[] body) throws BadRequest {
        int width = model.inputSize();
        float[] x;
        int n;
        if (Images.isPng(body)) {
            x = Images.features(body, width);
            n = 1;
        } else {
            Instances.Rows rows = Instances.read(new InputStreamReader(new java.io.ByteArrayInputStream(body), StandardCharsets.UTF_8), width, limits.maxInstances());
            x = rows.values();
            n = rows.n();
        }
        return Json.predictions(model, model.predict(x, n), n);
    }

    private String status() {
        return "{\"name\": " + Json.string(name) + ", \"ready\": true, \"inputs\": " + model.inputSize() + ", \"outputs\": " + model.classes()
                + ", \"task\": " + Json.string(model.regression() ? "regression" : model.multiLabel() ? "multilabel" : "classification")
                + (model.classNames() != null ? ", \"class_names\": " + Json.strings(model.classNames()) : "") + "}";
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /**
     * Answers new requests 503, lets those in flight finish (up to {@link #GRACE_SECONDS}), then
     * closes the connections and stops the threads.
     */
    @Override public void close() {
        stopping = true;
        long until = System.nanoTime() + GRACE_SECONDS * 1_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop(0);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
