package dev.tuneladder.aws.opensearch;

/**
 * The k-NN plugin library that builds and searches the HNSW graph of the {@code knn_vector} field.
 *
 * <p>Both support the {@code cosinesimil} space, HNSW and filters applied inside the k-NN search (efficient
 * filtering). Amazon OpenSearch Serverless vector collections accept {@link #FAISS} but not {@link #LUCENE}.
 */
public enum KnnEngine {

    /** Lucene's own HNSW graphs, in pure Java; the choice for managed domains and self-hosted clusters. */
    LUCENE("lucene"),

    /** The Faiss native library; the choice for OpenSearch Serverless vector collections. */
    FAISS("faiss");

    private final String mappingName;

    KnnEngine(String mappingName) {
        this.mappingName = mappingName;
    }

    /** Returns the value of {@code method.engine} in the field mapping. */
    public String mappingName() {
        return mappingName;
    }
}
