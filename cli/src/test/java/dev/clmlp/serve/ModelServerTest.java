package dev.clmlp.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clmlp.cpu.CpuBackend;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.Sequential;
import dev.clmlp.optim.Sgd;
import dev.clmlp.tensor.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST convention of TensorFlow Serving and KServe v1 on a model of MNIST's shape with named
 * classes: the predictions are predict's floats, the classes its classes, a PNG is classified as
 * its pixels are, and every bad request is one line with the right status.
 */
class ModelServerTest {
    static Backend backend;
    static Sequential model;
    static ModelServer server;
    static final HttpClient client = HttpClient.newHttpClient();
    static final List<String> NAMES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    @BeforeAll
    static void start() throws Exception {
        backend = new CpuBackend();
        model = new Sequential(784, new Dense(32, "relu"), new Dense(10, "softmax"));
        model.compile(backend, new Sgd(0.01f), 5); // untrained weights serve as well: the answers are checked against predict
        model.nameClasses(NAMES);
        server = new ModelServer(model, "digits", new InetSocketAddress("127.0.0.1", 0), 4, new ModelServer.Limits(1 << 20, 100));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
        backend.close();
    }

    static HttpResponse<String> send(String method, String path, byte[] body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Content-Type", type);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String json) throws Exception { return send("POST", "/v1/models/digits:predict", json.getBytes(), "application/json"); }

    /** n random rows of 784 pixels in [0, 1], as JSON and as floats. */
    static float[] rows(Random r, int n, StringBuilder json) {
        float[] x = new float[n * 784];
        json.append("{\"instances\": [");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < 784; j++) {
                x[i * 784 + j] = r.nextInt(4) == 0 ? r.nextInt(256) / 255f : 0f;
                json.append(j == 0 ? "" : ",").append(x[i * 784 + j]);
            }
            json.append(']');
        }
        json.append("]}");
        return x;
    }

    @Test
    void predictAnswersWhatTheModelPredicts() throws Exception {
        StringBuilder json = new StringBuilder();
        float[] x = rows(new Random(1), 5, json);
        HttpResponse<String> res = post(json.toString());
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("application/json", res.headers().firstValue("Content-Type").orElse(""));
        JsonObject o = JsonParser.parseString(res.body()).getAsJsonObject();
        float[] expected = model.predict(x, 5);
        int[] classes = model.predictClasses(x, 5);
        JsonArray p = o.getAsJsonArray("predictions");
        assertEquals(5, p.size());
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < 10; j++) assertEquals(expected[r * 10 + j], p.get(r).getAsJsonArray().get(j).getAsFloat(), "row " + r + ", class " + j);
            assertEquals(classes[r], o.getAsJsonArray("classes").get(r).getAsInt());
            assertEquals(NAMES.get(classes[r]), o.getAsJsonArray("labels").get(r).getAsString());
        }
        HttpResponse<String> status = send("GET", "/v1/models/digits", null, "application/json");
        assertEquals(200, status.statusCode());
        JsonObject s = JsonParser.parseString(status.body()).getAsJsonObject();
        assertTrue(s.get("ready").getAsBoolean() && s.get("name").getAsString().equals("digits") && s.get("inputs").getAsInt() == 784, status.body());
    }

    @Test
    void aPngIsClassifiedAsItsPixelsAreEitherWayRound() throws Exception {
        Random r = new Random(2);
        BufferedImage light = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), dark = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] x = new float[784];
        for (int i = 4; i < 24; i++)
            for (int j = 4; j < 24; j++) { // a light figure on black, as MNIST; and the same dark on white
                int v = r.nextInt(256);
                light.getRaster().setSample(j, i, 0, v);
                x[i * 28 + j] = v * (1f / 255f);
            }
        for (int i = 0; i < 28; i++) for (int j = 0; j < 28; j++) dark.getRaster().setSample(j, i, 0, 255 - light.getRaster().getSample(j, i, 0));
        float[] expected = model.predict(x, 1);
        for (BufferedImage img : new BufferedImage[] {light, dark}) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            HttpResponse<String> res = send("POST", "/v1/models/digits:predict", png.toByteArray(), "image/png");
            assertEquals(200, res.statusCode(), res.body());
            JsonArray p = JsonParser.parseString(res.body()).getAsJsonObject().getAsJsonArray("predictions").get(0).getAsJsonArray();
            for (int j = 0; j < 10; j++) assertEquals(expected[j], p.get(j).getAsFloat(), "class " + j);
        }
    }

    @Test
    void badRequestsAreOneLineWithTheirStatus() throws Exception {
        StringBuilder tooMany = new StringBuilder();
        rows(new Random(3), 101, tooMany);
        Object[][] cases = {
                {post("{\"instances\": [[1, 2"), 400, "malformed JSON: "},
                {post("[1, 2]"), 400, "the body: expected a JSON object {\"instances\": [[...], ...]}, found an array"},
                {post("{\"inputs\": [[1]]}"), 400, "the body has no \"instances\": expected {\"instances\": [[...], ...]}"},
                {post("{\"instances\": [[" + "0,".repeat(783) + "0], [1, 2, 3]]}"), 400, "instance 1 has 3 numbers, the model takes 784"},
                {post("{\"instances\": [[\"a\"]]}"), 400, "instance 0, value 0: expected a number, found a string"},
                {post("{\"instances\": []}"), 400, "\"instances\" is empty: expected at least one row"},
                {post(tooMany.toString()), 400, "more than 100 instances in one request"},
                {post("{\"instances\": " + " ".repeat(3 << 19) + "[]}"), 413, "the body has 1572881 bytes, the limit is 1048576"},
                {send("GET", "/v1/models/digits:predict", null, "application/json"), 405, "GET /v1/models/digits:predict: expected POST"},
                {send("GET", "/v1/models/other", null, "application/json"), 404, "no such path: /v1/models/other"},
                {send("POST", "/v1/models/digits:predict", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6}, "image/png"), 400, "the "},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked") HttpResponse<String> res = (HttpResponse<String>) c[0];
            assertEquals((int) c[1], res.statusCode(), res.body());
            String error = JsonParser.parseString(res.body()).getAsJsonObject().get("error").getAsString();
            assertTrue(error.startsWith((String) c[2]) && !error.contains("\n") && !error.contains("at dev.clmlp"), error);
        }
    }
}
