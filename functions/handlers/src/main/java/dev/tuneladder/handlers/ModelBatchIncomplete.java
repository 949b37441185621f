package dev.tuneladder.handlers;

/**
 * An evaluate-batch in model mode could not get a model reply for every row: throttling or a restoring imported
 * model outlasted the retries, or the batch ran out of time before the function's timeout. Scoring the rows without
 * a reply as wrong would blame the model for the account's capacity, so the batch fails instead. The Lambda Java
 * runtime reports the class name as the error type, which the evaluation state machine retries with backoff. When
 * the retries run out, lower the batch size or raise the model's quota.
 */
public final class ModelBatchIncomplete extends RuntimeException {

    /** The error name a state machine's Retry matches. */
    public static final String ERROR_NAME = ModelBatchIncomplete.class.getName();

    ModelBatchIncomplete(String message, Throwable cause) {
        super(message, cause);
    }
}
