package dev.tuneladder.aws.opensearch;

/**
 * Thrown when an existing OpenSearch index records another embedding model or vector dimension than the caller's,
 * or was not created by {@link OpenSearchVectorIndex}. Vectors from different models are not comparable, so such an
 * index must be opened with the model it was built with, or rebuilt under another name.
 */
public class IncompatibleIndexException extends RuntimeException {

    public IncompatibleIndexException(String message) {
        super(message);
    }
}
