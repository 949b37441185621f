package dev.tuneladder.aws.opensearch;

import java.util.Locale;
import java.util.Objects;

/**
 * Settings of an {@link OpenSearchVectorIndex}: the index, the embedding model whose vectors it contains, the HNSW
 * graph, and the write behaviour that differs between OpenSearch deployments.
 *
 * <p>Start from {@link #forManagedDomain} or {@link #forServerlessVectorCollection} and change single values with
 * the {@code with...} methods.
 *
 * @param indexName the OpenSearch index; lowercase, without spaces or {@code \ / * ? " < > | , #}, not starting with
 *     {@code - _ +}, at most 255 characters
 * @param modelId the embedding model whose vectors the index stores, recorded in the mapping's {@code _meta}
 * @param dimensions the vector length, 1 to {@value #MAX_DIMENSIONS}
 * @param engine the k-NN library that builds the HNSW graph
 * @param hnswM neighbours kept per node and layer (HNSW's M), 2 to {@value #MAX_HNSW_M}
 * @param hnswEfConstruction candidates examined while linking a new node, 2 to {@value #MAX_HNSW_EF_CONSTRUCTION}
 * @param efSearch candidates each search collects from the graph before it keeps the best k (HNSW's ef), sent as
 *     the k-NN query's {@code method_parameters.ef_search}; a search asking for more than {@code efSearch}
 *     neighbours collects k instead
 * @param bulkBatchSize examples per bulk request
 * @param refreshOnCommit whether {@link OpenSearchVectorIndex#commit()} calls the refresh API. OpenSearch
 *     Serverless does not support refresh and makes writes searchable on its own schedule, so there it must be false
 * @param serverGeneratedIds whether OpenSearch assigns each document's {@code _id}. OpenSearch Serverless vector
 *     collections reject writes that name an {@code _id}; with this set, upserts and deletes find the documents of
 *     an example id through a search on the {@code id} field instead
 */
public record OpenSearchIndexSettings(
        String indexName,
        String modelId,
        int dimensions,
        KnnEngine engine,
        int hnswM,
        int hnswEfConstruction,
        int efSearch,
        int bulkBatchSize,
        boolean refreshOnCommit,
        boolean serverGeneratedIds) {

    /** The k-NN plugin's limit on {@code knn_vector} dimensions for the lucene and faiss engines (OpenSearch 2.19). */
    public static final int MAX_DIMENSIONS = 16_000;

    /** Lucene's limit on HNSW's M, applied to both engines so an index can move between them. */
    public static final int MAX_HNSW_M = 512;

    /** Lucene's limit on the construction beam width, applied to both engines for the same reason. */
    public static final int MAX_HNSW_EF_CONSTRUCTION = 3200;

    /** The k-NN plugin's defaults: M = 16, ef_construction = 100, ef_search = 100. */
    public static final int DEFAULT_HNSW_M = 16;
    public static final int DEFAULT_HNSW_EF_CONSTRUCTION = 100;
    public static final int DEFAULT_EF_SEARCH = 100;

    /**
     * Default examples per bulk request. 200 vectors of 1,536 floats are about 3.5 MB of JSON, well under the
     * 10 MiB request limit of the small Amazon OpenSearch Service instance types.
     */
    public static final int DEFAULT_BULK_BATCH_SIZE = 200;

    private static final String FORBIDDEN_NAME_CHARACTERS = "\\/*?\"<>|, #:";

    public OpenSearchIndexSettings {
        Objects.requireNonNull(indexName, "indexName");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(engine, "engine");
        checkIndexName(indexName);
        if (modelId.isBlank()) {
            throw new IllegalArgumentException("modelId is blank: pass the embedding model id, e.g. amazon.titan-embed-text-v2:0");
        }
        checkRange("dimensions", dimensions, 1, MAX_DIMENSIONS);
        checkRange("hnswM", hnswM, 2, MAX_HNSW_M);
        checkRange("hnswEfConstruction", hnswEfConstruction, 2, MAX_HNSW_EF_CONSTRUCTION);
        checkRange("efSearch", efSearch, 1, 10_000);
        checkRange("bulkBatchSize", bulkBatchSize, 1, 10_000);
    }

    /**
     * Returns settings for an Amazon OpenSearch Service domain or a self-hosted cluster: the lucene engine, the
     * k-NN plugin's HNSW defaults, refresh on commit and example ids as document ids.
     */
    public static OpenSearchIndexSettings forManagedDomain(String indexName, String modelId, int dimensions) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, KnnEngine.LUCENE, DEFAULT_HNSW_M,
                DEFAULT_HNSW_EF_CONSTRUCTION, DEFAULT_EF_SEARCH, DEFAULT_BULK_BATCH_SIZE, true, false);
    }

    /**
     * Returns settings for an OpenSearch Serverless vector collection: the faiss engine (the only one of the two
     * that Serverless accepts), no refresh on commit and server-generated document ids.
     */
    public static OpenSearchIndexSettings forServerlessVectorCollection(String indexName, String modelId, int dimensions) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, KnnEngine.FAISS, DEFAULT_HNSW_M,
                DEFAULT_HNSW_EF_CONSTRUCTION, DEFAULT_EF_SEARCH, DEFAULT_BULK_BATCH_SIZE, false, true);
    }

    /** Returns a copy with another k-NN engine. */
    public OpenSearchIndexSettings withEngine(KnnEngine newEngine) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, newEngine, hnswM, hnswEfConstruction,
                efSearch, bulkBatchSize, refreshOnCommit, serverGeneratedIds);
    }

    /** Returns a copy with other HNSW build parameters; they apply only when the index is created. */
    public OpenSearchIndexSettings withHnsw(int m, int efConstruction) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, engine, m, efConstruction, efSearch,
                bulkBatchSize, refreshOnCommit, serverGeneratedIds);
    }

    /** Returns a copy with another search beam width. */
    public OpenSearchIndexSettings withEfSearch(int candidates) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, engine, hnswM, hnswEfConstruction,
                candidates, bulkBatchSize, refreshOnCommit, serverGeneratedIds);
    }

    /** Returns a copy with another number of examples per bulk request. */
    public OpenSearchIndexSettings withBulkBatchSize(int batchSize) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, engine, hnswM, hnswEfConstruction,
                efSearch, batchSize, refreshOnCommit, serverGeneratedIds);
    }

    /** Returns a copy that does or does not refresh the index on commit. */
    public OpenSearchIndexSettings withRefreshOnCommit(boolean refresh) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, engine, hnswM, hnswEfConstruction,
                efSearch, bulkBatchSize, refresh, serverGeneratedIds);
    }

    /** Returns a copy that does or does not let OpenSearch assign document ids. */
    public OpenSearchIndexSettings withServerGeneratedIds(boolean generated) {
        return new OpenSearchIndexSettings(indexName, modelId, dimensions, engine, hnswM, hnswEfConstruction,
                efSearch, bulkBatchSize, refreshOnCommit, generated);
    }

    private static void checkIndexName(String name) {
        // Rules from OpenSearch's create index API; checked here so a bad name fails before any request.
        boolean invalid = name.isEmpty()
                || name.length() > 255
                || name.equals(".") || name.equals("..")
                || "-_+".indexOf(name.charAt(0)) >= 0
                || !name.equals(name.toLowerCase(Locale.ROOT))
                || name.chars().anyMatch(c -> FORBIDDEN_NAME_CHARACTERS.indexOf(c) >= 0 || Character.isWhitespace(c));
        if (invalid) {
            throw new IllegalArgumentException("indexName '" + name + "' is not a valid OpenSearch index name: use "
                    + "lowercase letters, digits and '-', '_' or '.', not starting with '-', '_' or '+', e.g. golden-examples");
        }
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
