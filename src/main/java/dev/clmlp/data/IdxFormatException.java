package dev.clmlp.data;

import dev.clmlp.io.DataFileException;

/** A malformed IDX file; the message names the file and what was expected and found. */
public final class IdxFormatException extends DataFileException {
    /**
     * @param file    the file
     * @param problem what was expected and what was found
     */
    public IdxFormatException(String file, String problem) { super(file, problem); }
}
