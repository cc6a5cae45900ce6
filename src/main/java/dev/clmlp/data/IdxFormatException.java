package dev.clmlp.data;

/** A malformed IDX file; the message names the file and what was expected and found. */
public final class IdxFormatException extends RuntimeException {
    public IdxFormatException(String message) { super(message); }
}
