package dev.clmlp.table;

/**
 * A cell or column of a table is not what it must be; the reader adds the file's name
 * ({@link dev.clmlp.io.DataFileException}).
 */
final class TableException extends Exception {
    TableException(long line, String column, String problem) {
        super((line > 0 ? "line " + line + ", " : "") + column + ": " + problem);
    }
}
