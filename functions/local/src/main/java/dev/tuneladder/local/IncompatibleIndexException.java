package dev.tuneladder.local;

/**
 * Thrown when an index folder on disk was built for another embedding model or vector dimension than the caller's,
 * or was not built by {@link LuceneHnswIndex} at all. Vectors from different models are not comparable, so such an
 * index must be rebuilt or opened with the model it was built with.
 */
public class IncompatibleIndexException extends RuntimeException {

    private final String recordedModelId;
    private final String recordedDimensions;

    /** Creates the exception for an index that records no embedding model. */
    public IncompatibleIndexException(String message) {
        this(message, null, null);
    }

    /**
     * Creates the exception for an index built with another embedding model or dimension.
     *
     * @param recordedModelId the model id recorded in the index, or null when it records none
     * @param recordedDimensions the dimension recorded in the index as written there, or null when it records none
     */
    public IncompatibleIndexException(String message, String recordedModelId, String recordedDimensions) {
        super(message);
        this.recordedModelId = recordedModelId;
        this.recordedDimensions = recordedDimensions;
    }

    /** Returns the embedding model id recorded in the index, or null when it records none. */
    public String recordedModelId() {
        return recordedModelId;
    }

    /** Returns the vector dimension recorded in the index, as written there, or null when it records none. */
    public String recordedDimensions() {
        return recordedDimensions;
    }
}
