package dev.clmlp.cli;

/** An option value outside its domain, found before any work: exit code 2 and one line (Main). */
final class UsageError extends Exception {
    UsageError(String message) { super(message); }

    /** Runs a check that throws IllegalArgumentException, as a usage error. */
    static void check(Runnable check) throws UsageError {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** The value of a lookup that throws IllegalArgumentException (a preset's name, say), or its message as a usage error. */
    static <T> T value(java.util.function.Supplier<T> lookup) throws UsageError {
        try {
            return lookup.get();
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }
}
