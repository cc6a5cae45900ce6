package dev.clmlp.serve;

/** A request the server answers 400 (or {@link #status}), with its one-line message as {"error": ...}. */
final class BadRequest extends Exception {
    final int status;

    BadRequest(String message) { this(400, message); }

    BadRequest(int status, String message) {
        super(message, null, false, false); // no stack trace: it is an answer, not a failure
        this.status = status;
    }
}
