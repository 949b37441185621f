package dev.tuneladder.local;

/**
 * Thrown when an index folder on disk was built for another embedding model or vector dimension than the caller's,
 * or was not built by {@link LuceneHnswIndex} at all. Vectors from different models are not comparable, so such an
 * index must be rebuilt or opened with the model it was built with.
 */
public class IncompatibleIndexException extends RuntimeException {

    public IncompatibleIndexException(String message) {
        super(message);
    }
}
