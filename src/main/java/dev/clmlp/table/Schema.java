package dev.clmlp.table;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.clmlp.data.Dataset;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a table becomes a model's inputs and classes, learned from the training file (as
 * scikit-learn's OneHotEncoder, SimpleImputer and LabelEncoder do, and H2O on its own):
 * <ul>
 * <li>a column of numbers is one input; an empty cell takes the column's mean;</li>
 * <li>a column with text is a category, one-hot encoded over the values seen in training (sorted;
 *     a value not seen then is all zeros); an empty cell takes the most frequent value;</li>
 * <li>a column with empty cells in training also gets a missing-flag input (1 where it was empty);</li>
 * <li>the label column's values are the class names, sorted (numbers by value: labels 1, 2, 10
 *     are classes 0, 1, 2 named "1", "2", "10");</li>
 * <li>or, for a regression (a target of real numbers, or several target columns), the target
 *     columns' numbers are the outputs.</li>
 * </ul>
 * Saved in the model's config.json and applied again to every file it evaluates or predicts.
 *
 * @param features the input columns, in the file's order
 * @param targets  the label column, or a regression's (a multi-label model's) target columns
 * @param classes  the class names, in class order; empty for a regression or multi-label
 * @param task     what the targets are
 */
public record Schema(List<Feature> features, List<Source> targets, List<String> classes, Task task) {
    /** What a table's targets are. */
    public enum Task {
        /** One label column of classes. */
        CLASSIFICATION,
        /** One or more columns of real numbers. */
        REGRESSION,
        /** Several columns of 0/1, each its own yes/no. */
        MULTILABEL;

        /** @return the name as --task and config.json spell it */
        public String key() { return name().toLowerCase(Locale.ROOT); }

        /**
         * @param name classification, regression or multilabel
         * @return the task
         * @throws IllegalArgumentException for another name
         */
        public static Task named(String name) {
            for (Task t : values()) if (t.key().equals(name)) return t;
            throw new IllegalArgumentException("expected classification, regression or multilabel, got '" + name + "'");
        }
    }

    /** Where a column was in the training file: its header name (null without a header) and 0-based position. */
    public record Source(String header, int index) {
        /** @return the column for messages: 'name', or column N */
        public String describe() { return header != null ? "'" + header + "'" : "column " + (index + 1); }
    }

    /** An input column and how it is encoded. */
    public sealed interface Feature permits Numeric, Categorical {
        /** @return where the column was in the training file */
        Source source();

        /** @return whether a missing-flag input follows its values */
        boolean flag();

        /** @return the inputs it takes: 1 for a number, one per value for a category, plus the flag */
        default int width() { return (this instanceof Categorical c ? c.values().size() : 1) + (flag() ? 1 : 0); }
    }

    /**
     * A column of numbers.
     *
     * @param source where it was
     * @param fill   what an empty cell becomes: the training mean
     * @param flag   whether a missing-flag input follows
     */
    public record Numeric(Source source, float fill, boolean flag) implements Feature {}

    /**
     * A column of categories.
     *
     * @param source where it was
     * @param values the categories, sorted, one input each
     * @param fill   what an empty cell becomes: the most frequent category
     * @param flag   whether a missing-flag input follows
     */
    public record Categorical(Source source, List<String> values, String fill, boolean flag) implements Feature {}

    /**
     * Learns the encoding from training data.
     *
     * @param t     the training table
     * @param label the label column's index in it
     * @return the schema
     * @throws DataFileException when a column cannot be encoded (a label that is a real number or
     *                           missing, a single class, too many categories, a column with no values)
     */
    public static Schema fit(Table t, int label) throws DataFileException { return fit(t, new int[] {label}, null); }

    /**
     * Learns the encoding from training data, for a classifier, a regression or multi-label.
     *
     * @param t       the training table
     * @param targets the label column, or the target columns (indices in t)
     * @param task    what they are; null to infer: several columns of only 0 and 1 are multi-label,
     *                other several columns or one of numbers not all whole a regression, else classes
     * @return the schema ({@link #task()} says which)
     * @throws DataFileException when a column cannot be encoded, naming it (and the line)
     */
    public static Schema fit(Table t, int[] targets, Task task) throws DataFileException {
        java.util.Set<Integer> chosen = new java.util.TreeSet<>();
        for (int c : targets) if (!chosen.add(c)) throw new DataFileException(t.file(), t.columns().get(c).name() + " is given twice as a target");
        if (t.columns().size() <= targets.length)
            throw new DataFileException(t.file(), "expected at least one feature column besides the label, found " + t.columns().size() + " column(s)");
        if (task == null) {
            boolean flags = targets.length > 1;
            for (int c : targets) flags &= zeroOrOne(t.columns().get(c));
            task = flags ? Task.MULTILABEL : targets.length > 1 || realNumbers(t.columns().get(targets[0])) ? Task.REGRESSION : Task.CLASSIFICATION;
        }
        boolean reg = task != Task.CLASSIFICATION;
        if (!reg && targets.length > 1)
            throw new DataFileException(t.file(), targets.length + " target columns: several targets train a regression or multi-label model (--task), a classifier has one label column");
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < t.columns().size(); c++) if (!chosen.contains(c)) features.add(feature(t, c));
        List<Source> sources = new ArrayList<>();
        for (int c : targets) {
            sources.add(source(t, c));
            if (reg) checkTarget(t, t.columns().get(c), task);
        }
        return new Schema(List.copyOf(features), List.copyOf(sources), reg ? List.of() : classes(t, targets[0]), task);
    }

    /** Whether a column holds only 0 and 1 (gaps aside): a multi-label target. */
    private static boolean zeroOrOne(Column col) {
        if (!col.numeric()) return false;
        for (int r = 0; r < col.rows(); r++) if (!col.isMissing(r) && col.number(r) != 0 && col.number(r) != 1) return false;
        return true;
    }

    /** Whether a column holds numbers, some of them not whole: a regression's target. */
    private static boolean realNumbers(Column col) {
        if (!col.numeric()) return false;
        for (int r = 0; r < col.rows(); r++) if (!col.isMissing(r) && col.number(r) != Math.rint(col.number(r))) return true;
        return false;
    }

    private static void checkTarget(Table t, Column col, Task task) throws DataFileException {
        if (!col.numeric())
            throw new DataFileException(t.file(), "line " + col.firstTextLine() + ", " + col.name() + ": expected a number (a "
                    + (task == Task.MULTILABEL ? "multi-label target: 0 or 1" : "regression's target") + "), found \"" + brief(col.firstText()) + "\"");
        for (int r = 0; r < col.rows(); r++) {
            if (col.isMissing(r)) throw new DataFileException(t.file(), "line " + t.lines()[r] + ", " + col.name() + ": the target is empty");
            if (task == Task.MULTILABEL && col.number(r) != 0 && col.number(r) != 1)
                throw new DataFileException(t.file(), "line " + t.lines()[r] + ", " + col.name() + ": expected 0 or 1 (a multi-label target), found " + col.number(r));
        }
    }

    /** @return whether the targets are floats (a regression's, or multi-label 0/1) rather than classes */
    public boolean regression() { return task != Task.CLASSIFICATION; }

    /** @return the label column (a classifier's), or a regression's first target */
    public Source label() { return targets.get(0); }

    private static Source source(Table t, int c) { return new Source(t.columns().get(c).header(), c); }

    private static Feature feature(Table t, int c) throws DataFileException {
        Column col = t.columns().get(c);
        if (col.missing() == col.rows()) throw new DataFileException(t.file(), col.name() + ": every cell is empty");
        boolean flag = col.missing() > 0;
        if (col.numeric()) {
            double sum = 0;
            for (int r = 0; r < col.rows(); r++) if (!col.isMissing(r)) sum += col.number(r);
            return new Numeric(source(t, c), (float) (sum / (col.rows() - col.missing())), flag);
        }
        if (!col.counted())
            throw new DataFileException(t.file(), col.name() + ": more than " + Table.MAX_CATEGORIES + " distinct values, with text among them (first \""
                    + brief(col.firstText()) + "\" on line " + col.firstTextLine() + "): too many categories to one-hot encode; drop the column, or fix the cell if it holds numbers");
        int[] counts = new int[col.values().size()];
        for (int r = 0; r < col.rows(); r++) if (col.code(r) >= 0) counts[col.code(r)]++;
        List<String> values = new ArrayList<>(col.values());
        int top = 0;
        for (int v = 1; v < counts.length; v++) if (counts[v] > counts[top] || counts[v] == counts[top] && values.get(v).compareTo(values.get(top)) < 0) top = v;
        String fill = values.get(top);
        values.sort(Comparator.naturalOrder());
        return new Categorical(source(t, c), List.copyOf(values), fill, flag);
    }

    private static List<String> classes(Table t, int c) throws DataFileException {
        Column col = t.columns().get(c);
        for (int r = 0; r < col.rows(); r++)
            if (col.isMissing(r)) throw new DataFileException(t.file(), "line " + t.lines()[r] + ", " + col.name() + ": the label is empty");
        if (col.numeric())
            for (int r = 0; r < col.rows(); r++)
                if (col.number(r) != Math.rint(col.number(r)))
                    throw new DataFileException(t.file(), "line " + t.lines()[r] + ", " + col.name() + ": found the real number " + col.number(r)
                            + ", expected a class label: a name or a whole number (--task regression for real-valued targets)");
        if (!col.counted())
            throw new DataFileException(t.file(), col.name() + ": more than " + Table.MAX_CATEGORIES + " distinct labels; is it the label column? (choose it with --label)");
        List<String> names = new ArrayList<>(col.values());
        if (col.numeric()) names.sort(Comparator.comparingDouble(Double::parseDouble));
        else names.sort(Comparator.naturalOrder());
        if (names.size() < 2)
            throw new DataFileException(t.file(), col.name() + ": every row has the class \"" + brief(names.get(0)) + "\"; a classifier needs two classes or more");
        return List.copyOf(names);
    }

    /** @return the number of inputs the encoded rows have */
    public int width() { return features.stream().mapToInt(Feature::width).sum(); }

    /** @return per input, whether it is a number that scaling should standardise (not one-hot, not a flag) */
    public boolean[] scaledInputs() {
        boolean[] scaled = new boolean[width()];
        int j = 0;
        for (Feature f : features) {
            if (f instanceof Numeric) scaled[j] = true;
            j += f.width();
        }
        return scaled;
    }

    /**
     * Encodes a table as this schema says: its rows as inputs and, where it has the label column,
     * their classes.
     *
     * @param t          a table with the training file's columns (found by header name, else by position)
     * @param needLabels whether the label column must be there
     * @return the examples, labeled when the label column is there, with the class names
     * @throws DataFileException for a missing column, a text cell in a numeric column or a class
     *                           training did not see, naming line and column
     */
    public Dataset encode(Table t, boolean needLabels) throws DataFileException {
        int[] at = new int[features.size()];
        for (int i = 0; i < at.length; i++) at[i] = locate(t, features.get(i).source(), i, true);
        int[] targetAt = new int[targets.size()];
        for (int i = 0; i < targetAt.length; i++) targetAt[i] = locate(t, targets.get(i), -1, needLabels);
        int n = t.rows(), d = width();
        float[] x = new float[Math.multiplyExact(n, d)];
        int j = 0;
        for (int i = 0; i < at.length; i++) {
            encode(t, t.columns().get(at[i]), features.get(i), x, j, d);
            j += features.get(i).width();
        }
        String name = t.name();
        if (targetAt[0] < 0) return Dataset.unlabeled(name, x, n, d);
        if (regression()) return Dataset.ofTargets(name, x, n, d, targets(t, targetAt), targetAt.length);
        return Dataset.ofFloats(name, x, n, d, labels(t, t.columns().get(targetAt[0])), classes.size()).withClassNames(classes);
    }

    private float[] targets(Table t, int[] at) throws DataFileException {
        int n = t.rows(), k = at.length;
        float[] y = new float[n * k];
        for (int j = 0; j < k; j++) {
            Column col = t.columns().get(at[j]);
            checkTarget(t, col, task);
            for (int r = 0; r < n; r++) y[r * k + j] = col.number(r);
        }
        return y;
    }

    /** The column of `source` in t: by name where both have a header, else by position; -1 when absent and not required. */
    private int locate(Table t, Source source, int feature, boolean required) throws DataFileException {
        if (t.header() && source.header() != null) {
            int c = t.indexOf(source.header());
            if (c >= 0 || !required) return c;
            throw new DataFileException(t.file(), "no column '" + source.header() + "', which the model was trained with");
        }
        int total = features.size() + targets.size(), have = t.columns().size();
        if (have != total && have != features.size())
            throw new DataFileException(t.file(), have + " columns, the model takes " + features.size() + " (" + total + " with the "
                    + (regression() ? "targets" : "label") + ")");
        if (have == total) return source.index(); // the training file's layout
        if (feature < 0) { // no label column
            if (required) throw new DataFileException(t.file(), have + " columns: the " + (regression() ? "target" : "label") + " column " + source.describe() + " is missing");
            return -1;
        }
        return feature; // the features alone, in order
    }

    private void encode(Table t, Column col, Feature f, float[] x, int j, int d) throws DataFileException {
        int n = t.rows();
        if (f instanceof Numeric num) {
            if (!col.numeric())
                throw new DataFileException(t.file(), "line " + col.firstTextLine() + ", " + col.name() + ": expected a number, found \"" + brief(col.firstText()) + "\"");
            for (int r = 0; r < n; r++) {
                boolean gap = col.isMissing(r);
                x[r * d + j] = gap ? num.fill() : col.number(r);
                if (num.flag()) x[r * d + j + 1] = gap ? 1 : 0;
            }
            return;
        }
        Categorical cat = (Categorical) f;
        if (!col.counted())
            throw new DataFileException(t.file(), col.name() + ": more than " + Table.MAX_CATEGORIES + " distinct values, expected categories such as "
                    + brief(cat.values().toString()));
        Map<String, Integer> position = new HashMap<>();
        for (int v = 0; v < cat.values().size(); v++) position.put(cat.values().get(v), v);
        List<String> seen = col.values();
        int[] slot = new int[seen.size()];
        for (int v = 0; v < slot.length; v++) slot[v] = position.getOrDefault(seen.get(v), -1); // -1: unseen in training, all zeros
        int fill = position.get(cat.fill());
        for (int r = 0; r < n; r++) {
            int code = col.code(r), s = code < 0 ? fill : slot[code];
            if (s >= 0) x[r * d + j + s] = 1;
            if (cat.flag()) x[r * d + j + cat.values().size()] = code < 0 ? 1 : 0;
        }
    }

    private int[] labels(Table t, Column col) throws DataFileException {
        Map<String, Integer> position = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) position.put(classes.get(k), k);
        int[] y = new int[t.rows()];
        List<String> seen = col.counted() ? col.values() : null;
        for (int r = 0; r < y.length; r++) {
            if (col.isMissing(r)) throw new DataFileException(t.file(), "line " + t.lines()[r] + ", " + col.name() + ": the label is empty");
            String name = seen != null ? seen.get(col.code(r)) : Column.canonical(col.number(r));
            Integer k = position.get(name);
            if (k == null)
                throw new DataFileException(t.file(), "line " + t.lines()[r] + ", " + col.name() + ": class \"" + brief(name)
                        + "\" is not among the " + classes.size() + " classes the model was trained on (" + brief(String.join(", ", classes)) + ")");
            y[r] = k;
        }
        return y;
    }

    /** @return one line for the training summary: the columns, how they are encoded, the inputs */
    public String describe() {
        long numbers = features.stream().filter(f -> f instanceof Numeric).count(), flags = features.stream().filter(Feature::flag).count();
        List<String> cats = features.stream().filter(f -> f instanceof Categorical)
                .map(f -> f.source().describe() + " (" + ((Categorical) f).values().size() + ")").toList();
        return String.format(Locale.ROOT, "%d numeric column%s%s -> %d inputs%s; %s", numbers, numbers == 1 ? "" : "s",
                cats.isEmpty() ? "" : ", categories one-hot: " + brief(String.join(", ", cats)), width(),
                flags == 0 ? "" : "; " + flags + " column" + (flags == 1 ? "" : "s") + " with gaps filled (mean or most frequent) and flagged",
                task == Task.CLASSIFICATION ? classes.size() + " classes"
                        : (task == Task.REGRESSION ? "regression on " : "multi-label on ") + String.join(", ", targets.stream().map(Source::describe).toList()));
    }

    /** @return the schema as config.json holds it ("table"; the class names are the model's "class_names") */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonArray ts = new JsonArray();
        targets.forEach(s -> ts.add(source(s)));
        o.add("targets", ts);
        o.addProperty("task", task.key());
        JsonArray fs = new JsonArray();
        for (Feature f : features) {
            JsonObject e = source(f.source());
            if (f instanceof Numeric num) {
                e.addProperty("kind", "number");
                e.addProperty("fill", num.fill());
            } else {
                Categorical cat = (Categorical) f;
                e.addProperty("kind", "category");
                JsonArray vs = new JsonArray();
                cat.values().forEach(vs::add);
                e.add("values", vs);
                e.addProperty("fill", cat.fill());
            }
            e.addProperty("missing_flag", f.flag());
            fs.add(e);
        }
        o.add("features", fs);
        return o;
    }

    private static JsonObject source(Source s) {
        JsonObject o = new JsonObject();
        if (s.header() != null) o.addProperty("column", s.header());
        o.addProperty("index", s.index());
        return o;
    }

    /**
     * @param o       what {@link #toJson()} wrote
     * @param classes the model's class names; empty for a regression
     * @return the schema
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Schema fromJson(JsonFields o, List<String> classes) {
        List<Feature> fs = new ArrayList<>();
        for (int i = 0; i < o.array("features").size(); i++) {
            JsonFields e = o.element("features", i);
            String kind = e.string("kind");
            Source s = source(e);
            fs.add(switch (kind) {
                case "number" -> new Numeric(s, (float) e.number("fill"), e.bool("missing_flag"));
                case "category" -> {
                    List<String> values = e.strings("values");
                    String fill = e.string("fill");
                    if (!values.contains(fill))
                        throw new IllegalArgumentException("field '" + e.path() + ".fill': expected one of the values, found \"" + brief(fill) + "\"");
                    yield new Categorical(s, List.copyOf(values), fill, e.bool("missing_flag"));
                }
                default -> throw new IllegalArgumentException("field '" + e.path() + ".kind': expected number or category, found \"" + brief(kind) + "\"");
            });
        }
        List<Source> ts = new ArrayList<>();
        for (int i = 0; i < o.array("targets").size(); i++) ts.add(source(o.element("targets", i)));
        if (ts.isEmpty() || !classes.isEmpty() && ts.size() != 1)
            throw new IllegalArgumentException("field '" + o.path() + ".targets': expected one label column, or a regression's targets, found " + ts.size());
        Task task = o.has("task") ? Task.named(o.string("task")) : classes.isEmpty() ? Task.REGRESSION : Task.CLASSIFICATION;
        return new Schema(List.copyOf(fs), List.copyOf(ts), List.copyOf(classes), task);
    }

    private static Source source(JsonFields e) {
        return new Source(e.has("column") ? e.string("column") : null, e.integer("index", 0, Integer.MAX_VALUE - 1));
    }

    private static String brief(String s) { return s.length() <= 60 ? s : s.substring(0, 60) + "..."; }
}
