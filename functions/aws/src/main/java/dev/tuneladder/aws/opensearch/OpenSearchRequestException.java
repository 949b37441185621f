package dev.tuneladder.aws.opensearch;

/**
 * Thrown when OpenSearch rejects a request of the vector index, or the request cannot be sent. The message names
 * the index and the operation; the cause carries OpenSearch's error type and reason, or the I/O error.
 */
public class OpenSearchRequestException extends RuntimeException {

    public OpenSearchRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
