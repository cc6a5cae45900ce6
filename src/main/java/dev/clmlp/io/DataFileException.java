package dev.clmlp.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file clmlp reads is malformed: an IDX file, a weights file, a config or a checkpoint. The
 * message names the file and the field, what was expected and what was found; the command line
 * exits with its data-error code (3) on it.
 */
public class DataFileException extends IOException {
    /** The file, as it was named to the reader. */
    private final String file;

    /**
     * @param file    the file, as it was named to the reader
     * @param problem the field, what was expected and what was found
     */
    public DataFileException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * @param file    the file
     * @param problem the field, what was expected and what was found
     */
    public DataFileException(Path file, String problem) { this(file.toString(), problem); }

    /** @return the file, as it was named to the reader */
    public String file() { return file; }
}
