package dev.clmlp.serve;

import dev.clmlp.nn.Sequential;

import java.util.List;

/** The server's answers as JSON text, written directly (numbers as Float.toString: the shortest text that reads back as the same float). */
final class Json {
    private Json() {}

    /**
     * {"predictions": [[...], ...]} and, for a classifier, "classes" (indices) and, with named
     * classes, "labels" (names); a multi-label model's "labels" are its 0/1 decisions at 0.5.
     */
    static String predictions(Sequential m, float[] out, int n) {
        int k = out.length / n;
        StringBuilder sb = new StringBuilder(32 + out.length * 14).append("{\"predictions\": [");
        for (int r = 0; r < n; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ", ").append(out[r * k + j]);
            sb.append(']');
        }
        sb.append(']');
        if (m.multiLabel()) {
            sb.append(", \"labels\": [");
            for (int r = 0; r < n; r++) {
                sb.append(r == 0 ? "[" : ", [");
                for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ", ").append(out[r * k + j] > 0.5f ? 1 : 0);
                sb.append(']');
            }
            sb.append(']');
        } else if (!m.regression()) {
            int[] classes = m.classesOf(out);
            sb.append(", \"classes\": [");
            for (int r = 0; r < n; r++) sb.append(r == 0 ? "" : ", ").append(classes[r]);
            sb.append(']');
            if (m.classNames() != null) {
                sb.append(", \"labels\": [");
                for (int r = 0; r < n; r++) sb.append(r == 0 ? "" : ", ").append(string(m.className(classes[r])));
                sb.append(']');
            }
        }
        return sb.append('}').toString();
    }

    static String strings(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) sb.append(i == 0 ? "" : ", ").append(string(values.get(i)));
        return sb.append(']').toString();
    }

    /** A JSON string literal (Gson's escaping). */
    static String string(String s) { return new com.google.gson.JsonPrimitive(s).toString(); }
}
