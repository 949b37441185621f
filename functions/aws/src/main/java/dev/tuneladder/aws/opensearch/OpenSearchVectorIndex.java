package dev.tuneladder.aws.opensearch;

import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.core.index.SearchHit;
import dev.tuneladder.core.index.VectorIndex;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.mapping.DynamicMapping;
import org.opensearch.client.opensearch._types.mapping.KnnVectorProperty;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.indices.CreateIndexRequest;
import org.opensearch.client.opensearch.indices.get_mapping.IndexMappingRecord;

/**
 * A {@link VectorIndex} stored in an OpenSearch index with a k-NN vector field, for Amazon OpenSearch Service
 * domains, OpenSearch Serverless vector collections and self-hosted clusters with the k-NN plugin.
 *
 * <p>Each example is one document: {@code id} (keyword; the upsert key), {@code text} (kept in {@code _source},
 * not indexed), {@code label} (keyword; null when the example has none) and {@code vector} ({@code knn_vector},
 * HNSW, space {@code cosinesimil}). Stored and query vectors are normalized first. For {@code cosinesimil} the k-NN
 * plugin scores a match as {@code (2 - d) / 2} with {@code d = 1 - cos} (OpenSearch k-NN documentation, "Spaces"),
 * that is {@code (1 + cos) / 2}, and {@link #search} maps that back to the cosine similarity.
 *
 * <p>The embedding model id and dimension are written into the index mapping's {@code _meta} when the index is
 * created. Opening an index that records another model or dimension, or whose vector field is not a cosine
 * {@code knn_vector} of that dimension, raises {@link IncompatibleIndexException}.
 *
 * <p>Writes become searchable at {@link #commit()}, which calls the refresh API; where the settings turn refresh
 * off (OpenSearch Serverless), commit does nothing and OpenSearch makes writes searchable on its own schedule.
 * Unlike the local Lucene index, writes are durable once a bulk request returns, commit or not.
 *
 * <p>The client belongs to the caller, who may share it among indexes and closes it; {@link #close()} only stops
 * this object from sending further requests. Instances are safe for use by several threads at once.
 */
public final class OpenSearchVectorIndex implements VectorIndex {

    static final String ID_FIELD = "id";
    static final String TEXT_FIELD = "text";
    static final String LABEL_FIELD = "label";
    static final String VECTOR_FIELD = "vector";

    static final String MODEL_ID_KEY = "tuneladder.embedding.modelId";
    static final String DIMENSIONS_KEY = "tuneladder.embedding.dimensions";

    private static final String COSINE_SPACE = "cosinesimil";

    private final OpenSearchClient client;
    private final OpenSearchIndexSettings settings;
    private volatile boolean closed;

    private OpenSearchVectorIndex(OpenSearchClient client, OpenSearchIndexSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Opens the index named in the settings, creating it with the k-NN mapping when it does not exist.
     *
     * @throws IncompatibleIndexException when the existing index records another model or dimension, or its vector
     *     field does not fit
     * @throws OpenSearchRequestException when OpenSearch rejects a request or cannot be reached
     */
    public static OpenSearchVectorIndex open(OpenSearchClient client, OpenSearchIndexSettings settings) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(settings, "settings");
        OpenSearchVectorIndex index = new OpenSearchVectorIndex(client, settings);

        boolean exists = index.send("check whether the index exists",
                () -> client.indices().exists(r -> r.index(settings.indexName())).value());
        if (!exists) {
            try {
                client.indices().create(createIndexRequest(settings));
                return index;
            } catch (OpenSearchException e) {
                // Another process may have created it between the check and the create; then check its mapping.
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw index.failure("create the index", e);
                }
            } catch (IOException e) {
                throw index.failure("create the index", e);
            }
        }
        index.checkMapping();
        return index;
    }

    /** Returns the settings this index was opened with. */
    public OpenSearchIndexSettings settings() {
        return settings;
    }

    /**
     * Inserts or replaces the examples by id, in bulk requests of {@link OpenSearchIndexSettings#bulkBatchSize()}
     * examples. Every vector is checked before the first request, so an invalid one means nothing is written.
     *
     * @throws IllegalArgumentException when a vector has the wrong length, is zero or has a non-finite component
     * @throws BulkWriteException when OpenSearch rejects some items; the others are written
     */
    @Override
    public void upsert(Collection<IndexedExample> examples) {
        Objects.requireNonNull(examples, "examples");
        ensureOpen();
        // Keyed by example id, so that of two examples with one id the later is written, as with one upsert after
        // another. Without document ids (OpenSearch Serverless) both would otherwise be stored.
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (IndexedExample example : examples) {
            float[] unit = unitVector(example.vector(), "vector of example id=" + example.id());
            byId.remove(example.id());
            byId.put(example.id(), toDocument(example, unit));
        }
        List<Map<String, Object>> documents = List.copyOf(byId.values());

        List<BulkWriteException.Failure> failures = new ArrayList<>();
        for (int start = 0; start < documents.size(); start += settings.bulkBatchSize()) {
            List<Map<String, Object>> batch =
                    documents.subList(start, Math.min(documents.size(), start + settings.bulkBatchSize()));
            failures.addAll(upsertBatch(batch));
        }
        if (!failures.isEmpty()) {
            throw new BulkWriteException(settings.indexName(), "upsert", documents.size(), failures);
        }
    }

    /**
     * Deletes the examples with these ids; unknown ids are ignored.
     *
     * @throws BulkWriteException when OpenSearch rejects some deletes; the others are applied
     */
    @Override
    public void delete(Collection<String> ids) {
        Objects.requireNonNull(ids, "ids");
        ensureOpen();
        List<String> idList = List.copyOf(ids);
        List<BulkWriteException.Failure> failures = new ArrayList<>();
        for (int start = 0; start < idList.size(); start += settings.bulkBatchSize()) {
            List<String> batch = idList.subList(start, Math.min(idList.size(), start + settings.bulkBatchSize()));
            List<BulkOperation> operations = new ArrayList<>();
            List<String> exampleIds = new ArrayList<>();
            addDeletes(batch, operations, exampleIds);
            failures.addAll(sendBulk(operations, exampleIds));
        }
        if (!failures.isEmpty()) {
            throw new BulkWriteException(settings.indexName(), "delete", idList.size(), failures);
        }
    }

    /** Refreshes the index so earlier writes become searchable; does nothing when refresh is turned off. */
    @Override
    public void commit() {
        ensureOpen();
        if (!settings.refreshOnCommit()) {
            return;
        }
        send("refresh the index", () -> client.indices().refresh(r -> r.index(settings.indexName())));
    }

    /**
     * Returns up to {@code k} nearest examples by approximate (HNSW) search, most similar first. The query is
     * normalized first, so {@link SearchHit#similarity()} is the cosine similarity for any non-zero query. The
     * label filter is applied inside the k-NN search, so a rare label still returns up to k hits.
     *
     * @throws IllegalArgumentException when {@code k < 1} or the query has the wrong length, is zero or has a
     *     non-finite component
     */
    @Override
    public List<SearchHit> search(float[] query, int k, String labelFilter) {
        Objects.requireNonNull(query, "query");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        ensureOpen();
        float[] unit = unitVector(query, "query vector");

        SearchRequest request = knnSearchRequest(unit, k, labelFilter);
        List<Hit<JsonData>> hits = send("search the index", () -> client.search(request, JsonData.class)).hits().hits();
        return toSearchHits(hits);
    }

    /** Returns the number of stored examples visible to searches. */
    @Override
    public long size() {
        ensureOpen();
        return send("count the documents", () -> client.count(r -> r.index(settings.indexName())).count());
    }

    /** Stops this object from sending requests; the client stays open. Closing twice does nothing. */
    @Override
    public void close() {
        closed = true;
    }

    /** Converts the k-NN plugin's cosinesimil score, {@code (1 + cos) / 2}, back to the cosine in [-1, 1]. */
    static double cosineFromScore(double score) {
        double cosine = 2.0 * score - 1.0;
        return Math.max(-1.0, Math.min(1.0, cosine));
    }

    static CreateIndexRequest createIndexRequest(OpenSearchIndexSettings settings) {
        KnnVectorProperty vector = KnnVectorProperty.of(v -> v
                .dimension(settings.dimensions())
                .method(m -> m
                        .name("hnsw")
                        .spaceType(COSINE_SPACE)
                        .engine(settings.engine().mappingName())
                        .parameters("m", JsonData.of(settings.hnswM()))
                        .parameters("ef_construction", JsonData.of(settings.hnswEfConstruction()))));
        TypeMapping mapping = TypeMapping.of(t -> t
                .dynamic(DynamicMapping.Strict)
                .meta(MODEL_ID_KEY, JsonData.of(settings.modelId()))
                .meta(DIMENSIONS_KEY, JsonData.of(settings.dimensions()))
                .properties(ID_FIELD, p -> p.keyword(kw -> kw))
                .properties(TEXT_FIELD, p -> p.text(text -> text.index(false)))
                .properties(LABEL_FIELD, p -> p.keyword(kw -> kw))
                .properties(VECTOR_FIELD, p -> p.knnVector(vector)));
        return CreateIndexRequest.of(c -> c
                .index(settings.indexName())
                .settings(s -> s.knn(true))
                .mappings(mapping));
    }

    SearchRequest knnSearchRequest(float[] unitQuery, int k, String labelFilter) {
        int candidates = Math.max(k, settings.efSearch());
        return SearchRequest.of(s -> s
                .index(settings.indexName())
                .size(k)
                .trackTotalHits(t -> t.enabled(false))
                .source(src -> src.filter(f -> f.excludes(VECTOR_FIELD)))
                .query(q -> q.knn(knn -> {
                    knn.field(VECTOR_FIELD)
                            .vector(unitQuery)
                            .k(k)
                            .methodParameters("ef_search", JsonData.of(candidates));
                    if (labelFilter != null) {
                        knn.filter(termQuery(LABEL_FIELD, labelFilter));
                    }
                    return knn;
                })));
    }

    private List<BulkWriteException.Failure> upsertBatch(List<Map<String, Object>> documents) {
        List<BulkOperation> operations = new ArrayList<>();
        List<String> exampleIds = new ArrayList<>();
        if (settings.serverGeneratedIds()) {
            // Replace by deleting the documents that carry these example ids, then adding new ones. Both go in one
            // bulk request, and OpenSearch applies its items in order.
            addDeletes(documents.stream().map(d -> (String) d.get(ID_FIELD)).distinct().toList(), operations, exampleIds);
            for (Map<String, Object> document : documents) {
                operations.add(BulkOperation.of(b -> b.index(op -> op.document(document))));
                exampleIds.add((String) document.get(ID_FIELD));
            }
        } else {
            for (Map<String, Object> document : documents) {
                String id = (String) document.get(ID_FIELD);
                operations.add(BulkOperation.of(b -> b.index(op -> op.id(id).document(document))));
                exampleIds.add(id);
            }
        }
        return sendBulk(operations, exampleIds);
    }

    /** Adds delete operations for the documents of these example ids, and the example id of each operation. */
    private void addDeletes(List<String> ids, List<BulkOperation> operations, List<String> exampleIds) {
        if (!settings.serverGeneratedIds()) {
            for (String id : ids) {
                operations.add(BulkOperation.of(b -> b.delete(op -> op.id(id))));
                exampleIds.add(id);
            }
            return;
        }
        if (ids.isEmpty()) {
            return;
        }
        // NOTE: the lookup is a search, so it finds only documents that are already searchable. On OpenSearch
        // Serverless a document written a few seconds earlier may be missed, and an upsert then leaves two
        // documents with one example id; search() returns only the better-scoring one of them.
        List<FieldValue> values = ids.stream().map(FieldValue::of).toList();
        int maxDocuments = Math.min(10_000, ids.size() * 4);
        SearchRequest lookup = SearchRequest.of(s -> s
                .index(settings.indexName())
                .size(maxDocuments)
                .source(src -> src.filter(f -> f.includes(ID_FIELD)))
                .query(q -> q.terms(t -> t.field(ID_FIELD).terms(v -> v.value(values)))));
        List<Hit<JsonData>> hits = send("look up document ids", () -> client.search(lookup, JsonData.class)).hits().hits();
        for (Hit<JsonData> hit : hits) {
            String documentId = hit.id();
            operations.add(BulkOperation.of(b -> b.delete(op -> op.id(documentId))));
            exampleIds.add(stringField(hit.source().toJson().asJsonObject(), ID_FIELD));
        }
    }

    /** Sends one bulk request and returns its rejected items; a delete of a missing document is not rejected. */
    private List<BulkWriteException.Failure> sendBulk(List<BulkOperation> operations, List<String> exampleIds) {
        if (operations.isEmpty()) {
            return List.of();
        }
        BulkRequest request = BulkRequest.of(b -> b.index(settings.indexName()).operations(operations));
        BulkResponse response = send("write a bulk request", () -> client.bulk(request));
        if (!response.errors()) {
            return List.of();
        }
        List<BulkWriteException.Failure> failures = new ArrayList<>();
        List<BulkResponseItem> items = response.items();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            if (item.error() != null) {
                failures.add(new BulkWriteException.Failure(exampleIds.get(i), item.status(), item.error().type(),
                        item.error().reason()));
            }
        }
        return failures;
    }

    private List<SearchHit> toSearchHits(List<Hit<JsonData>> hits) {
        List<SearchHit> results = new ArrayList<>(hits.size());
        Set<String> seen = new HashSet<>();
        for (Hit<JsonData> hit : hits) {
            JsonObject source = hit.source().toJson().asJsonObject();
            String id = stringField(source, ID_FIELD);
            // Hits arrive best first, so keeping the first of an id keeps its best document.
            if (!seen.add(id)) {
                continue;
            }
            double score = hit.score() == null ? 0.0 : hit.score();
            results.add(new SearchHit(id, stringField(source, TEXT_FIELD), stringField(source, LABEL_FIELD),
                    cosineFromScore(score)));
        }
        return results;
    }

    private void checkMapping() {
        Map<String, IndexMappingRecord> byIndex = send("read the index mapping",
                () -> client.indices().getMapping(r -> r.index(settings.indexName())).result());
        // The response is keyed by the concrete index, which differs from the requested name behind an alias.
        IndexMappingRecord record = byIndex.containsKey(settings.indexName())
                ? byIndex.get(settings.indexName())
                : byIndex.values().iterator().next();
        TypeMapping mapping = record.mappings();
        Map<String, JsonData> meta = mapping.meta();
        String caller = settings.modelId() + " (" + settings.dimensions() + " dimensions)";

        if (!meta.containsKey(MODEL_ID_KEY) || !meta.containsKey(DIMENSIONS_KEY)) {
            throw new IncompatibleIndexException("the OpenSearch index " + settings.indexName() + " has no embedding "
                    + "model or dimension in its mapping's _meta, so it was not created by this tool: delete it or "
                    + "choose another index name");
        }
        String recordedModel = meta.get(MODEL_ID_KEY).to(String.class);
        int recordedDimensions = meta.get(DIMENSIONS_KEY).to(Integer.class);
        if (!recordedModel.equals(settings.modelId()) || recordedDimensions != settings.dimensions()) {
            throw new IncompatibleIndexException("the OpenSearch index " + settings.indexName() + " was built with "
                    + "embedding model " + recordedModel + " (" + recordedDimensions + " dimensions), but the caller "
                    + "uses " + caller + ": open it with " + recordedModel + ", or rebuild it under another index name");
        }

        Property vector = mapping.properties().get(VECTOR_FIELD);
        if (vector == null || !vector.isKnnVector() || vector.knnVector().dimension() != settings.dimensions()
                || !COSINE_SPACE.equals(spaceType(vector.knnVector()))) {
            throw new IncompatibleIndexException("the OpenSearch index " + settings.indexName() + " has no "
                    + VECTOR_FIELD + " field of type knn_vector with " + settings.dimensions() + " dimensions and space "
                    + COSINE_SPACE + ", which " + caller + " needs: delete it or choose another index name");
        }
    }

    private static String spaceType(KnnVectorProperty vector) {
        if (vector.method() != null && vector.method().spaceType() != null) {
            return vector.method().spaceType();
        }
        return vector.spaceType();
    }

    private static Map<String, Object> toDocument(IndexedExample example, float[] unitVector) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put(ID_FIELD, example.id());
        document.put(TEXT_FIELD, example.text());
        if (example.label() != null) {
            document.put(LABEL_FIELD, example.label());
        }
        document.put(VECTOR_FIELD, unitVector);
        return document;
    }

    private static Query termQuery(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    private static String stringField(JsonObject source, String field) {
        JsonValue value = source.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return source.getString(field);
    }

    private float[] unitVector(float[] vector, String vectorName) {
        if (vector.length != settings.dimensions()) {
            throw new IllegalArgumentException(vectorName + " has " + vector.length + " dimensions, but the index "
                    + settings.indexName() + " holds " + settings.dimensions() + "-dimensional vectors of "
                    + settings.modelId() + ": embed with the same model as the index");
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException(vectorName + " has a non-finite component at position " + i + ": "
                        + vector[i]);
            }
        }
        float[] unit = Vectors.normalized(vector);
        if (Vectors.dot(unit, unit) == 0) {
            throw new IllegalArgumentException(vectorName + " is the zero vector, which has no direction to compare");
        }
        return unit;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the vector index " + settings.indexName() + " is closed");
        }
    }

    private <T> T send(String action, OpenSearchCall<T> call) {
        try {
            return call.execute();
        } catch (IOException | OpenSearchException e) {
            throw failure(action, e);
        }
    }

    private OpenSearchRequestException failure(String action, Exception cause) {
        return new OpenSearchRequestException("failed to " + action + " " + settings.indexName() + ": "
                + cause.getMessage() + ". Check that OpenSearch is reachable and that the caller may access the index",
                cause);
    }

    @FunctionalInterface
    private interface OpenSearchCall<T> {
        T execute() throws IOException;
    }
}
