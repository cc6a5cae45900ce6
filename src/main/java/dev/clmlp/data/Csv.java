package dev.clmlp.data;

import dev.clmlp.io.DataFileException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A dataset from a CSV file: one example per row, numeric features, one column of integer class
 * labels (0, 1, ...). The first row is a header when any of its cells is not a number. Errors
 * name the file, the row (the line's record number, header included) and the column.
 */
public final class Csv {
    private Csv() {}

    /** The label column when none is given: the one named "label", else the last. */
    public static final String DEFAULT_LABEL = "label";

    // a plain decimal number; Java's own parser would also take "1f", "0x1p3" and "Infinity"
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * @param file    the CSV file
     * @param label   the label column: a header name, a 0-based index, or null for the default
     *                ("label" if the header has it, else the last column)
     * @param classes the number of classes labels must stay below, or 0 to take one more than the largest
     * @return the labeled dataset, named after the file
     * @throws DataFileException for a malformed file, naming row and column
     */
    public static Dataset read(Path file, String label, int classes) throws IOException {
        Table t = parse(file);
        return t.dataset(t.labelColumn(label), classes, true);
    }

    /**
     * Examples for a trained model: labeled when the file has a label column (given, named
     * "label", or one column beyond the model's {@code features}), else features only.
     *
     * @param file     the CSV file
     * @param label    the label column (name or 0-based index), or null to find it as said above
     * @param features the number of features the model takes
     * @param classes  the model's number of classes, which labels must stay below
     * @return the dataset, labeled or not
     * @throws DataFileException for a malformed file, naming row and column, or a width the model does not take
     */
    public static Dataset readForModel(Path file, String label, int features, int classes) throws IOException {
        Table t = parse(file);
        boolean labeled = label != null || t.header.contains(DEFAULT_LABEL) || t.columns == features + 1;
        int col = labeled ? t.labelColumn(label) : -1;
        Dataset d = t.dataset(col, classes, labeled);
        if (d.features() != features)
            throw new DataFileException(file, d.features() + " feature columns" + (labeled ? " besides the label " + t.name(col) : "")
                    + ", the model takes " + features);
        return d;
    }

    /** The file's cells as text, the header split off. */
    private record Table(Path file, List<String> header, List<String[]> rows, long firstRecord, int columns) {
        int labelColumn(String label) throws DataFileException {
            if (label == null) return header.contains(DEFAULT_LABEL) ? header.indexOf(DEFAULT_LABEL) : columns - 1;
            if (header.contains(label)) return header.indexOf(label);
            if (label.matches("\\d+")) {
                int i = Integer.parseInt(label);
                if (i < columns) return i;
                throw new DataFileException(file, "label column " + i + " (0-based) does not exist: the rows have " + columns + " columns");
            }
            throw new DataFileException(file, "no column named '" + label + "'"
                    + (header.isEmpty() ? " (the file has no header row; give the label column's 0-based index)" : "; the header has " + brief(header)));
        }

        String name(int col) { return header.isEmpty() ? "column " + (col + 1) : "column " + (col + 1) + " '" + header.get(col) + "'"; }

        Dataset dataset(int labelCol, int classes, boolean labeled) throws DataFileException {
            if (columns < (labelCol >= 0 ? 2 : 1))
                throw new DataFileException(file, "expected at least one feature column besides the label, found " + columns + " column(s)");
            int n = rows.size(), d = columns - (labelCol >= 0 ? 1 : 0);
            float[] x = new float[Math.multiplyExact(n, d)];
            int[] y = new int[n];
            int max = -1;
            for (int r = 0; r < n; r++) {
                String[] cells = rows.get(r);
                long line = firstRecord + r;
                for (int c = 0, j = 0; c < columns; c++) {
                    if (c == labelCol) {
                        y[r] = label(cells[c], line, c, classes);
                        max = Math.max(max, y[r]);
                    } else {
                        x[r * d + j++] = number(cells[c], line, c);
                    }
                }
            }
            String name = file.getFileName().toString();
            if (!labeled) return Dataset.unlabeled(name, x, n, d);
            return Dataset.ofFloats(name, x, n, d, y, classes > 0 ? classes : max + 1);
        }

        private float number(String cell, long line, int col) throws DataFileException {
            if (NUMBER.matcher(cell).matches()) {
                float v = Float.parseFloat(cell);
                if (Float.isFinite(v)) return v;
                throw bad(line, col, "expected a number within float range, found \"" + cell + "\"");
            }
            String what = cell.isEmpty() ? "an empty cell" : cell.matches("(?i)[+-]?(nan|inf|infinity)") ? cell + " (not a finite number)" : "\"" + brief(cell) + "\"";
            throw bad(line, col, "expected a number, found " + what);
        }

        private int label(String cell, long line, int col, int classes) throws DataFileException {
            try {
                return Dataset.classOf(NUMBER.matcher(cell).matches() ? Double.parseDouble(cell) : Double.NaN, classes, "\"" + brief(cell) + "\"");
            } catch (IllegalArgumentException e) {
                throw bad(line, col, e.getMessage());
            }
        }

        private DataFileException bad(long line, int col, String msg) {
            return new DataFileException(file, "row " + line + ", " + name(col) + ": " + msg);
        }
    }

    private static Table parse(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get();
        List<String[]> rows = new ArrayList<>();
        List<String> header = List.of();
        long first = 1;
        int columns = -1;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser p = CSVParser.parse(in, format)) {
            for (CSVRecord rec : p) {
                String[] cells = rec.values();
                if (columns < 0) {
                    columns = cells.length;
                    if (Arrays.stream(cells).anyMatch(c -> !NUMBER.matcher(c).matches() && !c.matches("(?i)[+-]?(nan|inf|infinity)"))) {
                        header = List.of(cells);
                        first = rec.getRecordNumber() + 1;
                        continue;
                    }
                    first = rec.getRecordNumber();
                }
                if (cells.length != columns)
                    throw new DataFileException(file, "row " + rec.getRecordNumber() + ": " + cells.length + " columns, expected " + columns
                            + " as in " + (header.isEmpty() ? "the first row" : "the header"));
                rows.add(cells);
            }
        } catch (UncheckedIOException e) { // Commons CSV reports malformed quoting this way
            throw new DataFileException(file, "not valid CSV: " + e.getCause().getMessage());
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DataFileException(file, "not UTF-8 text (a binary file?)");
        }
        if (columns < 0) throw new DataFileException(file, "empty: expected a header or data rows, found no rows");
        if (rows.isEmpty()) throw new DataFileException(file, "no data rows after the header " + brief(header));
        return new Table(file, header, rows, first, columns);
    }

    private static String brief(Object o) {
        String s = o.toString();
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
