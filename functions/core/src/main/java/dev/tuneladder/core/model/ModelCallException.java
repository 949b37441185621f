package dev.tuneladder.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
    private final Duration retryAfter;
    private final String rawResponse;

    /**
     * @param statusCode the HTTP status, or 0 when there was no response
     * @param retryAfter the wait the provider asked for before the next attempt (an HTTP {@code Retry-After}
     *     header), or null when it gave none; retries wait at least this long
     * @param rawResponse the response text that could not be read (a malformed body or malformed tool arguments),
     *     kept for the error row, or null; it may contain customer text, so it is never part of the message
     */
    public ModelCallException(Kind kind, int statusCode, String message, Throwable cause, Duration retryAfter,
            String rawResponse) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.statusCode = statusCode;
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, got " + retryAfter);
        }
        this.retryAfter = retryAfter;
        this.rawResponse = rawResponse;
    }

    /**
     * @param statusCode the HTTP status, or 0 when there was no response
     */
    public ModelCallException(Kind kind, int statusCode, String message, Throwable cause) {
        this(kind, statusCode, message, cause, null, null);
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

    /** Returns the minimum wait before the next attempt that the provider asked for, if it asked. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Returns the unreadable response text, for the error row; never log it, because it may hold customer text. */
    public Optional<String> rawResponse() {
        return Optional.ofNullable(rawResponse);
    }
}
