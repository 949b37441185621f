package dev.tuneladder.handlers;

/**
 * A request that the API answers with an error status and the shared error body
 * {@code {"error":{"code","message","field"}}}. The message names the field at fault and the fix; it goes to the
 * caller, never to an INFO log line, because it may quote what the caller sent.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    /**
     * @param field the request field at fault, as a path such as {@code examples[0].text}, or null
     */
    public ApiException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static ApiException validation(String field, String message) {
        return new ApiException(400, "validation_failed", message, field);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
