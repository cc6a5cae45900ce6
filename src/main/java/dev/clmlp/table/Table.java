package dev.clmlp.table;

import dev.clmlp.io.DataFileException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file as columns ({@link Column}), read in one streaming pass. The first row is a header
 * when one of its cells is not a number (a file with text columns needs one); a UTF-8 byte-order
 * mark is skipped; blank lines are skipped and messages give the file's own line numbers.
 *
 * @param file    the file read
 * @param name    the rows' name: the file's, or a part of it
 * @param header  whether the first row named the columns
 * @param columns the columns, each {@link #rows()} cells
 * @param lines   each row's line in the file
 */
public record Table(Path file, String name, boolean header, List<Column> columns, long[] lines) {
    /** Distinct values a column may have and still be a column of categories (one-hot encoded). */
    public static final int MAX_CATEGORIES = 1000;

    /**
     * Reads a CSV file.
     *
     * @param file the file
     * @return its columns
     * @throws DataFileException for a malformed file: the line, and what was expected and found
     * @throws IOException       when it cannot be read
     */
    public static Table read(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get();
        List<Column> cols = null;
        boolean header = false;
        long[] lines = new long[1024];
        int rows = 0;
        Boolean utf8 = null; // whether the file is valid UTF-8: checked once a cell holds U+FFFD
        // bad bytes become U+FFFD here, so that the line can be named (a strict decoder throws before the line is known)
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (Reader in = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder), 1 << 16);
             CSVParser p = CSVParser.parse(skipByteOrderMark(in), format)) {
            var records = p.iterator();
            while (true) {
                CSVRecord rec;
                try {
                    if (!records.hasNext()) break;
                    rec = records.next();
                } catch (UncheckedIOException e) { // Commons CSV reports bad bytes and bad quoting this way
                    long line = p.getCurrentLineNumber() + 1;
                    throw new DataFileException(file, "line " + line + ": not valid CSV: " + e.getCause().getMessage());
                }
                long line = p.getCurrentLineNumber();
                String[] cells = rec.values();
                for (String c : cells)
                    if (c.indexOf('\uFFFD') >= 0 && !(utf8 != null ? utf8 : (utf8 = isUtf8(file))))
                        throw new DataFileException(file, "line " + line + ": not UTF-8 text (save the file as UTF-8; a binary file?)");
                if (cols == null) {
                    header = Arrays.stream(cells).anyMatch(Column::isText);
                    cols = columns(file, header ? cells : null, cells.length);
                    if (header) continue;
                }
                if (cells.length != cols.size())
                    throw new DataFileException(file, "line " + line + ": " + cells.length + " columns, expected " + cols.size()
                            + " as in " + (header ? "the header" : "the first row"));
                if (rows == lines.length) lines = Arrays.copyOf(lines, rows * 2);
                lines[rows++] = line;
                for (int c = 0; c < cells.length; c++) {
                    try {
                        cols.get(c).add(cells[c], line);
                    } catch (TableException e) {
                        throw new DataFileException(file, e.getMessage());
                    }
                }
            }
        }
        if (cols == null) throw new DataFileException(file, "empty: expected a header or data rows, found no rows");
        if (rows == 0) throw new DataFileException(file, "no data rows after the header");
        return new Table(file, file.getFileName().toString(), header, List.copyOf(cols), Arrays.copyOf(lines, rows));
    }

    private static List<Column> columns(Path file, String[] names, int count) throws DataFileException {
        List<Column> cols = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            String name = names == null || names[c].isEmpty() ? "column " + (c + 1) : "column " + (c + 1) + " '" + names[c] + "'";
            for (int d = 0; names != null && d < c; d++)
                if (!names[c].isEmpty() && names[c].equals(names[d]))
                    throw new DataFileException(file, "header: columns " + (d + 1) + " and " + (c + 1) + " are both named '" + names[c] + "'");
            cols.add(new Column(names == null ? null : names[c], name, Table.MAX_CATEGORIES));
        }
        return cols;
    }

    private static boolean isUtf8(Path file) throws IOException {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Excel writes a byte-order mark before UTF-8 text; without this it would be part of the first header cell. */
    private static Reader skipByteOrderMark(Reader in) throws IOException {
        java.io.PushbackReader r = new java.io.PushbackReader(in, 1);
        int first = r.read();
        if (first >= 0 && first != '\uFEFF') r.unread(first);
        return r;
    }

    /** The label column when none is given: the one named "label", else the last. */
    public static final String DEFAULT_LABEL = "label";

    /**
     * @param spec a header name or 0-based index, or null for the default: the column named
     *             "label" if there is one, else the last
     * @return the label column's index
     * @throws DataFileException when there is no such column
     */
    public int labelColumn(String spec) throws DataFileException {
        if (spec != null) return column(spec);
        int i = indexOf(DEFAULT_LABEL);
        return i >= 0 ? i : columns.size() - 1;
    }

    /**
     * @param rows the rows to keep, in order
     * @param part what they are, for the name ("training part")
     * @return a table of those rows, each column's values and counts those of the kept cells
     */
    public Table select(int[] rows, String part) {
        long[] kept = new long[rows.length];
        for (int i = 0; i < rows.length; i++) kept[i] = lines[rows[i]];
        return new Table(file, name + " (" + part + ")", header, columns.stream().map(c -> c.select(rows, kept)).toList(), kept);
    }

    /** @return the number of rows (header excluded) */
    public int rows() { return lines.length; }

    /**
     * @param name a header name
     * @return the column's index, or -1 when the header has no such name
     */
    public int indexOf(String name) {
        for (int c = 0; c < columns.size(); c++) if (name.equals(columns.get(c).header())) return c;
        return -1;
    }

    /**
     * The column a user named: by header name or 0-based index.
     *
     * @param spec a header name, or a 0-based index
     * @return its index
     * @throws DataFileException when there is no such column
     */
    public int column(String spec) throws DataFileException {
        int i = indexOf(spec);
        if (i >= 0) return i;
        if (spec.matches("\\d{1,9}")) {
            i = Integer.parseInt(spec);
            if (i < columns.size()) return i;
            throw new DataFileException(file, "column " + i + " (0-based) does not exist: the rows have " + columns.size() + " columns");
        }
        List<String> names = columns.stream().map(Column::header).toList();
        String brief = names.toString().length() <= 80 ? names.toString() : names.toString().substring(0, 80) + "...";
        throw new DataFileException(file, "no column named '" + spec + "'"
                + (header ? "; the header has " + brief : " (the file has no header row; give the column's 0-based index)"));
    }
}
