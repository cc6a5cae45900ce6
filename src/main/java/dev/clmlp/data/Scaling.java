package dev.clmlp.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.clmlp.io.JsonFields;

import java.util.Locale;

/**
 * Per-feature scaling of the inputs, fitted on the training data and kept with the model so
 * that prediction sees what training saw: feature' = (feature - offset) * factor.
 * <ul>
 * <li>{@code none}: offset 0, factor 1;</li>
 * <li>{@code minmax}: to [0, 1] over the training data (scikit-learn's MinMaxScaler);</li>
 * <li>{@code standard}: to mean 0 and standard deviation 1 (StandardScaler, population std).</li>
 * </ul>
 * A feature that is constant in the training data keeps factor 1, as scikit-learn does.
 *
 * @param kind   none, minmax or standard
 * @param offset subtracted from each feature
 * @param factor then multiplied into each feature
 */
public record Scaling(String kind, float[] offset, float[] factor) {
    /** The kinds, as {@code --scale} takes them. */
    public static final String NONE = "none", MINMAX = "minmax", STANDARD = "standard";

    /**
     * @param kind   none, minmax or standard
     * @param offset subtracted from each feature
     * @param factor then multiplied into each feature, one per offset
     */
    public Scaling {
        if (offset.length != factor.length)
            throw new IllegalArgumentException("scaling: " + offset.length + " offsets but " + factor.length + " factors");
    }

    /**
     * @param kind none, minmax or standard, in any case
     * @return the kind in lower case
     * @throws IllegalArgumentException for another name
     */
    public static String checkKind(String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (!k.equals(NONE) && !k.equals(MINMAX) && !k.equals(STANDARD))
            throw new IllegalArgumentException("--scale: unknown scaling '" + kind + "': expected none, minmax or standard");
        return k;
    }

    /**
     * @param kind none, minmax or standard
     * @param data the training data whose statistics are taken (in float64)
     * @return the scaling
     */
    public static Scaling fit(String kind, Dataset data) { return fit(kind, data, null); }

    /**
     * @param kind    none, minmax or standard
     * @param data    the training data whose statistics are taken (in float64)
     * @param columns the features to scale (numbers, not one-hot or missing-flag columns, which
     *                keep offset 0 and factor 1), or null for all
     * @return the scaling
     */
    public static Scaling fit(String kind, Dataset data, boolean[] columns) {
        if (columns != null && columns.length != data.features())
            throw new IllegalArgumentException("scaling: " + columns.length + " column flags for " + data.features() + " features");
        return fit(kind, data.rows(), data.features(), data::example, columns);
    }

    /**
     * A regression's target scaling: what {@link #fit} does to features, done to the targets (the
     * model trains on them scaled and {@link #undo}es it on its outputs).
     *
     * @param kind none, minmax or standard
     * @param data training data with targets ({@link Dataset#hasTargets()})
     * @return the scaling, one offset and factor per target
     */
    public static Scaling fitTargets(String kind, Dataset data) {
        float[] t = data.targets();
        int k = data.outputs();
        return fit(kind, data.rows(), k, r -> java.util.Arrays.copyOfRange(t, r * k, r * k + k), null);
    }

    private static Scaling fit(String kind, int n, int d, java.util.function.IntFunction<float[]> row, boolean[] columns) {
        String k = checkKind(kind);
        float[] offset = new float[d], factor = new float[d];
        java.util.Arrays.fill(factor, 1f);
        if (k.equals(NONE)) return new Scaling(k, offset, factor);
        boolean minmax = k.equals(MINMAX);
        double[] a = new double[d], b = new double[d]; // minmax: min, max; standard: sum, sum of squares
        if (minmax) { java.util.Arrays.fill(a, Double.POSITIVE_INFINITY); java.util.Arrays.fill(b, Double.NEGATIVE_INFINITY); }
        for (int r = 0; r < n; r++) {
            float[] x = row.apply(r);
            for (int j = 0; j < d; j++) {
                if (minmax) { a[j] = Math.min(a[j], x[j]); b[j] = Math.max(b[j], x[j]); }
                else { a[j] += x[j]; b[j] += (double) x[j] * x[j]; }
            }
        }
        for (int j = 0; j < d; j++) {
            if (columns != null && !columns[j]) continue;
            double lo, spread;
            if (minmax) { lo = a[j]; spread = b[j] - a[j]; }
            else { lo = a[j] / n; spread = Math.sqrt(Math.max(0, b[j] / n - lo * lo)); }
            offset[j] = (float) lo;
            factor[j] = spread > 1e-12 * Math.max(1, Math.abs(lo)) ? (float) (1 / spread) : 1f;
        }
        return new Scaling(k, offset, factor);
    }

    /** @return whether this scaling changes nothing */
    public boolean isIdentity() {
        for (int j = 0; j < offset.length; j++) if (offset[j] != 0 || factor[j] != 1) return false;
        return true;
    }

    /**
     * @param x one example's features, scaled in place
     */
    public void applyInPlace(float[] x) {
        check(x.length, "an example");
        for (int j = 0; j < x.length; j++) x[j] = (x[j] - offset[j]) * factor[j];
    }

    /**
     * @param data examples with as many features as this scaling
     * @return the same examples scaled, as float features (the data itself when this is the identity)
     */
    public Dataset apply(Dataset data) {
        check(data.features(), data.name());
        if (isIdentity()) return data;
        int d = data.features();
        float[] v = new float[data.rows() * d];
        for (int r = 0; r < data.rows(); r++) {
            float[] x = data.example(r);
            applyInPlace(x);
            System.arraycopy(x, 0, v, r * d, d);
        }
        if (data.hasTargets()) return Dataset.ofTargets(data.name(), v, data.rows(), d, data.targets(), data.outputs());
        return data.labeled() ? Dataset.ofFloats(data.name(), v, data.rows(), d, data.labels(), data.classes()).withClassNames(data.classNames())
                : Dataset.unlabeled(data.name(), v, data.rows(), d);
    }

    /**
     * @param data examples with as many targets as this scaling has columns
     * @return the same examples with their targets scaled (the features shared)
     */
    public Dataset applyToTargets(Dataset data) {
        check(data.outputs(), data.name() + "'s targets");
        float[] t = data.targets();
        int k = offset.length;
        for (int i = 0; i < t.length; i++) t[i] = (t[i] - offset[i % k]) * factor[i % k];
        return data.withTargets(t);
    }

    /**
     * @param values rows x columns, row-major: scaled back in place, value / factor + offset
     * @return values
     */
    public float[] undo(float[] values) {
        int k = offset.length;
        if (values.length % k != 0) throw new IllegalArgumentException("scaling: " + values.length + " values are not rows of " + k);
        for (int i = 0; i < values.length; i++) values[i] = values[i] / factor[i % k] + offset[i % k];
        return values;
    }

    private void check(int features, String what) {
        if (features != offset.length)
            throw new IllegalArgumentException("scaling: " + what + " has " + features + " features, the scaling was fitted on " + offset.length);
    }

    /** @return {"kind": ..., "offset": [...], "factor": [...]} */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind);
        JsonArray off = new JsonArray(), fac = new JsonArray();
        for (int j = 0; j < offset.length; j++) { off.add(offset[j]); fac.add(factor[j]); }
        o.add("offset", off);
        o.add("factor", fac);
        return o;
    }

    /**
     * @param o what {@link #toJson()} wrote
     * @return the scaling
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Scaling fromJson(JsonFields o) {
        String kind = o.string("kind");
        try {
            checkKind(kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field(o, "kind") + "': expected none, minmax or standard, found \"" + kind + "\"");
        }
        float[] offset = o.floats("offset"), factor = o.floats("factor");
        if (offset.length != factor.length)
            throw new IllegalArgumentException("field '" + field(o, "factor") + "': expected " + offset.length + " numbers (one per offset), found " + factor.length);
        return new Scaling(kind.toLowerCase(Locale.ROOT), offset, factor);
    }

    private static String field(JsonFields o, String name) { return o.path().isEmpty() ? name : o.path() + "." + name; }
}
