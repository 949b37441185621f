package dev.tuneladder.core.model;

import java.util.Objects;

/** Thrown when a model call fails. The message names the provider, model and status, never the prompt. */
public class ModelCallException extends RuntimeException {

    /** Why a call failed, which decides whether it is retried. */
    public enum Kind {
        /** HTTP 429 or a provider's throttling error: retry after a backoff, and lower the concurrency. */
        THROTTLED(true),
        /** HTTP 5xx or a provider's internal or unavailable error. */
        SERVER_ERROR(true),
        /** An imported model is being restored after idling (Bedrock ModelNotReadyException). */
        MODEL_NOT_READY(true),
        /** No response within the request timeout. */
        TIMEOUT(true),
        /** The response could not be read as the documented shape. */
        MALFORMED_RESPONSE(false),
        /** The request was rejected (HTTP 4xx other than 429): retrying the same request cannot help. */
        CLIENT_ERROR(false),
        /** The call was cancelled by the caller. */
        CANCELLED(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final int statusCode;

    /**
     * @param statusCode the HTTP status, or 0 when there was no response
     */
    public ModelCallException(Kind kind, int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.statusCode = statusCode;
    }

    public ModelCallException(Kind kind, int statusCode, String message) {
        this(kind, statusCode, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public int statusCode() {
        return statusCode;
    }

    public boolean retryable() {
        return kind.retryable();
    }
}
