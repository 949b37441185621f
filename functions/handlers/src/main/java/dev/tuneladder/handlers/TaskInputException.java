package dev.tuneladder.handlers;

/**
 * A Step Functions task input that the task cannot run on. Retrying the same input fails the same way, so state
 * machines catch this error type instead of retrying it. The message names the field and the fix; it may quote the
 * input, so it goes to the execution history and never to an INFO log line.
 */
public final class TaskInputException extends RuntimeException {

    private final String field;

    /**
     * @param field the input field at fault, as a path such as {@code items[3].interaction}, or null
     */
    public TaskInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
