package dev.clmlp.serve;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * The rows of a predict request, TensorFlow Serving's and KServe v1's row format:
 * {@code {"instances": [[x0, x1, ...], ...]}}, read as a stream into one row-major float array
 * (no tree of JSON objects, no boxing). Anything else is a {@link BadRequest} that says what
 * was expected and what was found, and where.
 */
final class Instances {
    private Instances() {}

    /** The rows read: n x width floats, row-major. */
    record Rows(float[] values, int n) {}

    /**
     * @param body         the request body
     * @param width        the features a row must have
     * @param maxInstances the most rows a request may hold
     * @return the rows
     * @throws BadRequest for malformed JSON, a missing "instances", a row of another width, a value that is not a finite number, or too many rows
     */
    static Rows read(Reader body, int width, int maxInstances) throws BadRequest {
        try (JsonReader in = new JsonReader(body)) {
            in.setLenient(false);
            expect(in, JsonToken.BEGIN_OBJECT, "the body", "a JSON object {\"instances\": [[...], ...]}");
            in.beginObject();
            Rows rows = null;
            while (in.hasNext()) {
                String key = in.nextName();
                if (!key.equals("instances")) { in.skipValue(); continue; }
                rows = rows(in, width, maxInstances);
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) throw new BadRequest("the body holds more after its JSON object");
            if (rows == null) throw new BadRequest("the body has no \"instances\": expected {\"instances\": [[...], ...]}");
            return rows;
        } catch (IOException | IllegalStateException | NumberFormatException e) { // Gson's malformed-JSON errors, one line each
            throw new BadRequest("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Rows rows(JsonReader in, int width, int maxInstances) throws IOException, BadRequest {
        expect(in, JsonToken.BEGIN_ARRAY, "\"instances\"", "an array of rows");
        in.beginArray();
        float[] v = new float[Math.multiplyExact(width, 4)];
        int n = 0;
        while (in.hasNext()) {
            if (n == maxInstances) throw new BadRequest("more than " + maxInstances + " instances in one request (--max-instances)");
            expect(in, JsonToken.BEGIN_ARRAY, "instance " + n, "an array of " + width + " numbers");
            if ((long) (n + 1) * width > v.length) v = Arrays.copyOf(v, (int) Math.min(Integer.MAX_VALUE - 8, 2L * v.length));
            in.beginArray();
            int j = 0;
            while (in.hasNext()) {
                if (j == width) throw new BadRequest("instance " + n + " has more than " + width + " numbers, the model takes " + width);
                if (in.peek() != JsonToken.NUMBER) throw new BadRequest("instance " + n + ", value " + j + ": expected a number, found " + describe(in.peek()));
                double x = in.nextDouble();
                if (!Double.isFinite(x)) throw new BadRequest("instance " + n + ", value " + j + ": expected a finite number, found " + x);
                v[n * width + j++] = (float) x;
            }
            in.endArray();
            if (j != width) throw new BadRequest("instance " + n + " has " + j + " numbers, the model takes " + width);
            n++;
        }
        in.endArray();
        if (n == 0) throw new BadRequest("\"instances\" is empty: expected at least one row");
        return new Rows(Arrays.copyOf(v, n * width), n);
    }

    private static void expect(JsonReader in, JsonToken token, String what, String expected) throws IOException, BadRequest {
        JsonToken found = in.peek();
        if (found != token) throw new BadRequest(what + ": expected " + expected + ", found " + describe(found));
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "the end";
        };
    }
}
