package dev.clmlp.table;

import ch.randelshofer.fastdoubleparser.JavaFloatParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One column of a table as read, in primitive arrays: each cell's number (NaN when it is empty
 * or text) and, while the column has at most {@link #maxValues} distinct cells, each cell's index
 * among them. A column of real numbers soon passes that bound and then keeps its numbers only
 * (4 bytes a cell); a column of categories keeps both.
 */
public final class Column {
    /** What a cell may hold besides a number: pandas' default missing-value markers count as empty. */
    static final java.util.Set<String> MISSING = java.util.Set.of("", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "null", "NULL",
            "None", "<NA>", "#N/A", "#NA", "#N/A N/A", "-1.#IND", "1.#IND", "-1.#QNAN", "1.#QNAN");
    private static final Pattern INFINITY = Pattern.compile("(?i)[+-]?(inf|infinity)");
    private static final int MISSING_CODE = -1;

    private final String header, name;
    private final int maxValues;
    private float[] numbers = new float[1024];
    private int[] codes = new int[1024]; // null once the column has more than maxValues distinct cells
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> values = new ArrayList<>();
    private int rows, missing;
    private long firstTextLine = -1;
    private String firstText;

    Column(String header, String name, int maxValues) {
        this.header = header;
        this.name = name;
        this.maxValues = maxValues;
    }

    /** Appends a cell (trimmed); `line` is its line in the file, for messages. */
    void add(String cell, long line) throws TableException {
        if (rows == numbers.length) {
            numbers = Arrays.copyOf(numbers, rows * 2);
            if (codes != null) codes = Arrays.copyOf(codes, rows * 2);
        }
        float v = Float.NaN;
        boolean gap = false;
        if (isNumber(cell)) {
            v = JavaFloatParser.parseFloat(cell); // Float.parseFloat's result, about twice as fast
            if (!Float.isFinite(v)) throw new TableException(line, name, "expected a number within float range, found \"" + cell + "\"");
        } else if (MISSING.contains(cell)) {
            gap = true;
            missing++;
        } else if (INFINITY.matcher(cell).matches()) {
            throw new TableException(line, name, "expected a number, found " + cell + " (not a finite number)");
        } else if (firstText == null) {
            firstText = cell;
            firstTextLine = line;
        }
        numbers[rows] = v;
        if (codes != null) {
            int c = gap ? MISSING_CODE : code(cell, v); // may find one value too many and drop the codes
            if (codes != null) codes[rows] = c;
        }
        rows++;
    }

    private int code(String cell, float v) {
        String key = Float.isNaN(v) ? cell : canonical(v);
        Integer c = index.get(key);
        if (c != null) return c;
        if (values.size() == maxValues) { // too many to be categories: numbers only from here
            codes = null;
            index.clear();
            values.clear();
            return MISSING_CODE;
        }
        index.put(key, values.size());
        values.add(key);
        return values.size() - 1;
    }

    /** A number as a category's name: "1", "1.0" and "+01" are one class; 0.5 stays "0.5". */
    static String canonical(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * A plain decimal number, [+-](digits[.digits]|.digits)[(e|E)[+-]digits]: Java's own parser
     * would also take "1f", "0x1p3" and "Infinity". A loop, not a regular expression: it runs
     * for every cell, and took most of the time of reading a table of numbers.
     */
    static boolean isNumber(String s) {
        int i = 0, n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) { i++; digits++; }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) { i++; exp++; }
            if (exp == 0) return false;
        }
        return i == n;
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    /**
     * @param cell a trimmed cell
     * @return whether it is text: not a number, not empty, not a missing-value marker
     */
    static boolean isText(String cell) { return !MISSING.contains(cell) && !isNumber(cell) && !INFINITY.matcher(cell).matches(); }

    /** @return the header's name for this column, or null in a file without a header */
    public String header() { return header; }

    /** @return the column for messages: "column N 'name'", or "column N" */
    public String name() { return name; }

    /** @return the number of cells */
    public int rows() { return rows; }

    /** @return the number of empty (missing) cells */
    public int missing() { return missing; }

    /** @return whether every cell that is not empty is a number */
    public boolean numeric() { return firstText == null; }

    /** @return whether {@link #values()} lists every distinct cell (false past the bound it was made with, as for a column of real numbers) */
    public boolean counted() { return codes != null; }

    /** @return the distinct cells that are not empty, in the order first seen (numbers in canonical form) */
    public List<String> values() { return List.copyOf(values); }

    /**
     * @param row a row
     * @return the cell's number, or NaN when it is empty or text
     */
    public float number(int row) { return numbers[row]; }

    /**
     * @param row a row
     * @return the cell's index in {@link #values()}, or -1 when it is empty (needs {@link #counted()})
     */
    public int code(int row) { return codes[row]; }

    /**
     * @param row a row
     * @return whether the cell is empty (in a numeric or counted column)
     */
    boolean isMissing(int row) { return codes != null ? codes[row] == MISSING_CODE : Float.isNaN(numbers[row]); }

    /** @return the first text cell, or null when the column is numeric */
    String firstText() { return firstText; }

    /** @return the line of the first text cell */
    long firstTextLine() { return firstTextLine; }


    /**
     * @param rows  the rows to keep, in order
     * @param lines the file's line of each kept row
     * @return a column of those cells, its values and counts those of the kept cells alone
     */
    Column select(int[] rows, long[] lines) {
        Column c = new Column(header, name, maxValues);
        c.numbers = new float[Math.max(1, rows.length)];
        c.codes = codes == null ? null : new int[Math.max(1, rows.length)];
        int[] renumber = codes == null ? null : new int[values.size()];
        if (renumber != null) Arrays.fill(renumber, -1);
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            c.numbers[i] = numbers[r];
            boolean gap = isMissing(r);
            if (gap) {
                c.missing++;
            }
            if (codes == null) continue;
            int old = codes[r];
            if (old >= 0 && renumber[old] < 0) {
                renumber[old] = c.values.size();
                c.index.put(values.get(old), c.values.size());
                c.values.add(values.get(old));
            }
            c.codes[i] = old < 0 ? MISSING_CODE : renumber[old];
            if (!gap && Float.isNaN(numbers[r]) && c.firstText == null) {
                c.firstText = values.get(old);
                c.firstTextLine = lines[i];
            }
        }
        if (codes == null && firstText != null) { // text among too many values: the cells are not kept, the column is refused as it was
            c.firstText = firstText;
            c.firstTextLine = firstTextLine;
        }
        c.rows = rows.length;
        return c;
    }

}
