package dev.tuneladder.handlers;

/**
 * A Step Functions task input that lacks a field or holds a value the task cannot use. The Java runtime reports a
 * thrown exception's class name as the error type, so a state machine catches this one with
 * {@code "ErrorEquals": ["dev.tuneladder.handlers.InvalidTaskInput"]}. Retrying cannot fix it: leave it out of
 * Retry. The message names the field and the fix; it may quote the value, so it goes to the execution's error
 * cause and never to an INFO log line.
 */
public final class InvalidTaskInput extends RuntimeException {

    /** The error name a state machine's Retry and Catch match. */
    public static final String ERROR_NAME = InvalidTaskInput.class.getName();

    private final String field;

    /**
     * @param field the input field at fault, as a path such as {@code spec.loraRank}, or null for the whole input
     */
    public InvalidTaskInput(String field, String message) {
        super(message);
        this.field = field;
    }

    InvalidTaskInput(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
