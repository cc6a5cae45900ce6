package dev.clmlp.cli;

import dev.clmlp.Backends;
import dev.clmlp.nn.Sequential;
import dev.clmlp.serve.ModelServer;
import dev.clmlp.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/** ./clmlp serve --model DIR: the model behind TensorFlow Serving's and KServe v1's REST predict call, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a saved model over HTTP: POST /v1/models/NAME:predict with {\"instances\": [[...], ...]} (or a PNG image) answers {\"predictions\": ...}; GET /v1/models/NAME tells its status.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a directory written by train") Path model;
    @Option(names = "--name", paramLabel = "NAME", description = "the model's name in the paths (default: the directory's name)") String name;
    @Option(names = "--port", defaultValue = "8080", description = "the port (default: ${DEFAULT-VALUE}; 0: any free one)") int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "the address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0: every interface)") String host;
    @Option(names = "--backend", defaultValue = "cpu", description = "cpu, auto, opencl[:N] or lwjgl[:N] (default: ${DEFAULT-VALUE}: the Java backend answers small requests fastest, on many threads at once)") String backend;
    @Option(names = "--threads", paramLabel = "N", description = "requests handled at once (default: the CPU's cores)") Integer threads;
    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "16777216", description = "the largest request body (default: ${DEFAULT-VALUE}, 16 MiB)") int maxBody;
    @Option(names = "--max-instances", paramLabel = "N", defaultValue = "10000", description = "the most rows in one request (default: ${DEFAULT-VALUE})") int maxInstances;

    @Override public Integer call() throws Exception {
        RunDirectory.checkHolds(model, false, "--model ");
        UsageError.check(() -> Backends.checkSpec(backend));
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) throw new UsageError("--threads must be at least 1, got " + n);
        if (port < 0 || port > 65535) throw new UsageError("--port must be 0 to 65535, got " + port);
        if (maxBody < 1 || maxInstances < 1) throw new UsageError("--max-body and --max-instances must be at least 1");
        String modelName = name != null ? name : model.toAbsolutePath().normalize().getFileName().toString();
        if (!modelName.matches("[A-Za-z0-9._-]+")) throw new UsageError("--name: letters, digits, '.', '_' and '-' only, got '" + modelName + "'");
        CountDownLatch stopped = new CountDownLatch(1), released = new CountDownLatch(1);
        try (Backend b = Backends.open(backend); Sequential m = Sequential.load(model, b)) {
            ModelServer server;
            try {
                server = new ModelServer(m, modelName, new InetSocketAddress(host, port), n, new ModelServer.Limits(maxBody, maxInstances));
            } catch (java.net.BindException e) {
                throw new UsageError("--port " + port + " on " + host + ": " + e.getMessage() + " (another server is there? --port 0 takes any free port)");
            }
            Thread hook = new Thread(() -> { // SIGTERM or Ctrl-C: finish the requests in flight, then let the model and backend close
                server.close();
                long[] c = server.counts();
                System.out.printf("serve: stopped after %,d requests answered, %,d refused%n", c[0], c[1]);
                stopped.countDown();
                try { // the JVM ends when the hooks do: wait until the model and backend are closed below
                    released.await(ModelServer.GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "clmlp-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.printf("serving %s (%d inputs -> %d %s) at http://%s:%d%s on %d threads, backend %s; SIGTERM or Ctrl-C stops it%n",
                    modelName, m.inputSize(), m.classes(), m.regression() ? "outputs" : m.multiLabel() ? "labels" : "classes",
                    host, server.port(), server.predictPath(), n, b.name());
            System.out.flush();
            stopped.await();
        } finally {
            released.countDown();
        }
        return 0;
    }
}
