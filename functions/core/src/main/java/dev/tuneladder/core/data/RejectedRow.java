package dev.tuneladder.core.data;

/**
 * An input row that could not be used, kept so that nothing is dropped silently.
 *
 * @param source the file name or object key the row came from
 * @param line the 1-based line number where the row starts
 * @param reason why the row was rejected
 * @param raw the row's original text
 */
public record RejectedRow(String source, long line, String reason, String raw) {

    /** Returns {@code source:line: reason}, the form used in error messages. */
    public String location() {
        return source + ":" + line + ": " + reason;
    }
}
