package dev.tuneladder.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.core.index.SearchHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;

/**
 * Runs the adapter against a real OpenSearch 2.19.1 node with the k-NN plugin, started once for the class. Each
 * test works in an index of its own, with the lucene engine (faiss needs native libraries the node lacks here).
 */
class OpenSearchVectorIndexTest {

    private static final String MODEL = "test-model";
    private static final int DIMS = 4;
    private static final AtomicInteger INDEX_NUMBER = new AtomicInteger();

    private static OpenSearchTestNode node;
    private static OpenSearchClient client;

    private String indexName;

    @BeforeAll
    static void startNode() {
        node = OpenSearchTestNode.start();
        client = OpenSearchClients.unsigned(node.endpoint());
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (client != null) {
            client._transport().close();
        }
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void nameIndex() {
        indexName = "examples-" + INDEX_NUMBER.incrementAndGet();
    }

    @Test
    void open_createsIndexWithMetaAndKnnMapping() throws IOException {
        OpenSearchVectorIndex.open(client, settings(DIMS)).close();

        var mapping = client.indices().getMapping(r -> r.index(indexName)).result().get(indexName).mappings();
        assertThat(mapping.meta().get(OpenSearchVectorIndex.MODEL_ID_KEY).to(String.class)).isEqualTo(MODEL);
        assertThat(mapping.meta().get(OpenSearchVectorIndex.DIMENSIONS_KEY).to(Integer.class)).isEqualTo(DIMS);
        var vector = mapping.properties().get("vector").knnVector();
        assertThat(vector.dimension()).isEqualTo(DIMS);
        assertThat(vector.method().engine()).isEqualTo("lucene");
        assertThat(vector.method().spaceType()).isEqualTo("cosinesimil");
        assertThat(vector.method().parameters().get("m").to(Integer.class)).isEqualTo(16);
    }

    @Test
    void search_returnsNearestFirstWithCosineSimilarity() {
        List<IndexedExample> examples = randomExamples(50, 8, 7L);
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(8))) {
            index.upsert(examples);
            index.commit();

            float[] query = randomUnit(new Random(99L), 8);
            List<SearchHit> hits = index.search(query, 5, null);

            assertThat(hits).hasSize(5);
            for (int i = 1; i < hits.size(); i++) {
                assertThat(hits.get(i).similarity()).isLessThanOrEqualTo(hits.get(i - 1).similarity());
            }
            for (SearchHit hit : hits) {
                IndexedExample stored = examples.get(Integer.parseInt(hit.id().substring(2)));
                assertThat(hit.similarity()).isCloseTo(Vectors.dot(query, stored.vector()), offset(1e-4));
                assertThat(hit.text()).isEqualTo(stored.text());
                assertThat(hit.label()).isEqualTo(stored.label());
            }
        }
    }

    @Test
    void search_oppositeVectorGivesMinusOne() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(example("a", "x", new float[] {1, 0, 0, 0})));
            index.commit();

            List<SearchHit> hits = index.search(new float[] {-1, 0, 0, 0}, 1, null);

            assertThat(hits).singleElement().satisfies(hit -> assertThat(hit.similarity()).isCloseTo(-1.0, offset(1e-6)));
        }
    }

    @Test
    void search_normalizesQueryAndStoredVectors() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(example("a", "x", new float[] {3, 4, 0, 0})));
            index.commit();

            List<SearchHit> hits = index.search(new float[] {0, 10, 0, 0}, 1, null);

            assertThat(hits.get(0).similarity()).isCloseTo(0.8, offset(1e-6));
        }
    }

    @Test
    void upsert_sameIdReplacesExample() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(example("a", "old", new float[] {1, 0, 0, 0})));
            index.commit();
            index.upsert(List.of(example("a", "new", new float[] {0, 1, 0, 0})));
            index.commit();

            List<SearchHit> hits = index.search(new float[] {0, 1, 0, 0}, 10, null);

            assertThat(index.size()).isEqualTo(1);
            assertThat(hits).singleElement().satisfies(hit -> {
                assertThat(hit.text()).isEqualTo("text of new");
                assertThat(hit.label()).isEqualTo("new");
                assertThat(hit.similarity()).isCloseTo(1.0, offset(1e-6));
            });
        }
    }

    @Test
    void upsert_duplicateIdKeepsLast() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(
                    example("a", "first", new float[] {1, 0, 0, 0}),
                    example("a", "second", new float[] {0, 1, 0, 0})));
            index.commit();

            assertThat(index.size()).isEqualTo(1);
            assertThat(index.search(new float[] {1, 0, 0, 0}, 5, null))
                    .singleElement()
                    .satisfies(hit -> assertThat(hit.label()).isEqualTo("second"));
        }
    }

    @Test
    void upsert_writesInSeveralBulkRequests() {
        List<IndexedExample> examples = randomExamples(23, DIMS, 4L);
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS).withBulkBatchSize(5))) {
            index.upsert(examples);
            index.commit();

            assertThat(index.size()).isEqualTo(23);
        }
    }

    @Test
    void commit_makesWritesSearchable() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(example("a", "x", new float[] {1, 0, 0, 0})));
            index.commit();

            assertThat(index.size()).isEqualTo(1);
            assertThat(index.search(new float[] {1, 0, 0, 0}, 3, null)).extracting(SearchHit::id).containsExactly("a");
        }
    }

    @Test
    void delete_removesExamplesAndIgnoresUnknownIds() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(
                    example("a", "x", new float[] {1, 0, 0, 0}),
                    example("b", "x", new float[] {0, 1, 0, 0}),
                    example("c", "y", new float[] {0, 0, 1, 0})));
            index.commit();

            index.delete(List.of("b", "no-such-id"));
            index.commit();

            assertThat(index.size()).isEqualTo(2);
            assertThat(index.search(new float[] {0, 1, 0, 0}, 10, null))
                    .extracting(SearchHit::id)
                    .containsExactlyInAnyOrder("a", "c");
        }
    }

    @Test
    void labelFilter_restrictsHitsToLabel() {
        List<IndexedExample> examples = randomExamples(60, DIMS, 11L);
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(examples);
            index.commit();

            List<SearchHit> hits = index.search(new float[] {1, 1, 0, 0}, 100, "label-1");

            long expected = examples.stream().filter(e -> "label-1".equals(e.label())).count();
            assertThat(hits).hasSize((int) expected);
            assertThat(hits).extracting(SearchHit::label).containsOnly("label-1");
        }
    }

    @Test
    void labelFilter_smallKReturnsExactTopK() {
        List<IndexedExample> examples = randomExamples(60, DIMS, 12L);
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(examples);
            index.commit();

            float[] query = randomUnit(new Random(5L), DIMS);
            List<SearchHit> hits = index.search(query, 3, "label-2");

            List<String> exact = examples.stream()
                    .filter(e -> "label-2".equals(e.label()))
                    .sorted(Comparator.comparingDouble((IndexedExample e) -> Vectors.dot(query, e.vector())).reversed())
                    .limit(3)
                    .map(IndexedExample::id)
                    .toList();
            assertThat(hits).extracting(SearchHit::id).containsExactlyElementsOf(exact);
        }
    }

    @Test
    void labelFilter_unknownLabelGivesNoHits() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(randomExamples(10, DIMS, 3L));
            index.commit();

            assertThat(index.search(new float[] {1, 0, 0, 0}, 5, "no-such-label")).isEmpty();
        }
    }

    @Test
    void nullLabel_storedAndReturnedAsNull() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(new IndexedExample("a", "text", null, new float[] {1, 0, 0, 0})));
            index.commit();

            assertThat(index.search(new float[] {1, 0, 0, 0}, 1, null).get(0).label()).isNull();
        }
    }

    @Test
    void kLargerThanSize_returnsEveryExample() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(randomExamples(7, DIMS, 5L));
            index.commit();

            assertThat(index.search(new float[] {0, 0, 0, 1}, 50, null)).hasSize(7);
        }
    }

    @Test
    void emptyIndex_searchReturnsNothing() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            assertThat(index.size()).isZero();
            assertThat(index.search(new float[] {0, 0, 0, 1}, 5, null)).isEmpty();
        }
    }

    @Test
    void reopen_keepsExamples() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            index.upsert(List.of(example("kept", "x", new float[] {1, 0, 0, 0})));
            index.commit();
        }

        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            assertThat(index.size()).isEqualTo(1);
            assertThat(index.search(new float[] {0, 1, 0, 0}, 5, null)).extracting(SearchHit::id).containsExactly("kept");
        }
    }

    @Test
    void reopenWithOtherDimension_rejectedNamingBoth() {
        OpenSearchVectorIndex.open(client, settings(DIMS)).close();

        assertThatThrownBy(() -> OpenSearchVectorIndex.open(client, settings(8)))
                .isInstanceOf(IncompatibleIndexException.class)
                .hasMessageContaining(indexName)
                .hasMessageContaining("test-model (4 dimensions)")
                .hasMessageContaining("test-model (8 dimensions)");
    }

    @Test
    void reopenWithOtherModel_rejectedNamingBoth() {
        OpenSearchVectorIndex.open(client, settings(DIMS)).close();

        assertThatThrownBy(() -> OpenSearchVectorIndex.open(client,
                OpenSearchIndexSettings.forManagedDomain(indexName, "other-model", DIMS)))
                .isInstanceOf(IncompatibleIndexException.class)
                .hasMessageContaining("test-model (4 dimensions)")
                .hasMessageContaining("other-model (4 dimensions)");
    }

    @Test
    void openIndexWithoutMeta_rejected() throws IOException {
        client.indices().create(c -> c.index(indexName));

        assertThatThrownBy(() -> OpenSearchVectorIndex.open(client, settings(DIMS)))
                .isInstanceOf(IncompatibleIndexException.class)
                .hasMessageContaining("not created by this tool");
    }

    @Test
    void vectorOfWrongLength_rejectedBeforeAnyWrite() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            assertThatThrownBy(() -> index.upsert(List.of(
                    example("good", "x", new float[] {1, 0, 0, 0}),
                    example("a", "x", new float[] {1, 0, 0}))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("id=a")
                    .hasMessageContaining("3 dimensions")
                    .hasMessageContaining("4-dimensional");
            assertThatThrownBy(() -> index.search(new float[] {1, 0, 0, 0, 0}, 1, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("query vector has 5 dimensions");
            index.commit();

            assertThat(index.size()).isZero();
        }
    }

    @Test
    void zeroOrNonFiniteVector_rejected() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            assertThatThrownBy(() -> index.upsert(List.of(example("a", "x", new float[] {0, 0, 0, 0}))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("zero vector");
            assertThatThrownBy(() -> index.search(new float[] {Float.NaN, 0, 0, 0}, 1, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("non-finite");
        }
    }

    @Test
    void bulkItemRejected_reportedWithId() {
        // Lucene rejects a keyword term longer than 32,766 bytes, so OpenSearch fails this one bulk item.
        String immenseLabel = "x".repeat(40_000);
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS).withBulkBatchSize(2))) {
            assertThatThrownBy(() -> index.upsert(List.of(
                    example("a", "x", new float[] {1, 0, 0, 0}),
                    new IndexedExample("too-long", "text", immenseLabel, new float[] {0, 1, 0, 0}),
                    example("c", "y", new float[] {0, 0, 1, 0}))))
                    .isInstanceOfSatisfying(BulkWriteException.class, e -> {
                        assertThat(e.failures()).singleElement().satisfies(failure -> {
                            assertThat(failure.id()).isEqualTo("too-long");
                            assertThat(failure.status()).isEqualTo(400);
                            assertThat(failure.type()).isNotBlank();
                        });
                        assertThat(e.getMessage()).contains("1 of 3 upsert items", "id=too-long", indexName);
                        assertThat(e.getMessage()).hasSizeLessThan(1_000);
                    });
            index.commit();

            assertThat(index.size()).isEqualTo(2);
        }
    }

    @Test
    void recallAt10_atLeast095AgainstBruteForce() {
        int dims = 32;
        List<IndexedExample> examples = randomExamples(400, dims, 42L);
        Random random = new Random(43L);
        int queries = 20;
        int k = 10;
        int found = 0;
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(dims))) {
            index.upsert(examples);
            index.commit();

            for (int q = 0; q < queries; q++) {
                float[] query = randomUnit(random, dims);
                Set<String> exact = bruteForceTopK(examples, query, k);
                List<SearchHit> hits = index.search(query, k, null);
                assertThat(hits).hasSize(k);
                for (SearchHit hit : hits) {
                    if (exact.contains(hit.id())) {
                        found++;
                    }
                    IndexedExample stored = examples.get(Integer.parseInt(hit.id().substring(2)));
                    assertThat(hit.similarity()).isCloseTo(Vectors.dot(query, stored.vector()), offset(1e-4));
                }
            }
        }

        double recall = found / (double) (queries * k);
        assertThat(recall).as("recall@%d over %d queries", k, queries).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void serverGeneratedIds_upsertReplacesAndDeleteRemoves() {
        OpenSearchIndexSettings generated = settings(DIMS).withServerGeneratedIds(true);
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, generated)) {
            index.upsert(List.of(
                    example("a", "old", new float[] {1, 0, 0, 0}),
                    example("b", "x", new float[] {0, 1, 0, 0})));
            index.commit();
            index.upsert(List.of(example("a", "new", new float[] {0, 0, 1, 0})));
            index.commit();

            assertThat(index.size()).isEqualTo(2);
            assertThat(index.search(new float[] {0, 0, 1, 0}, 1, null))
                    .singleElement()
                    .satisfies(hit -> {
                        assertThat(hit.id()).isEqualTo("a");
                        assertThat(hit.label()).isEqualTo("new");
                    });

            index.delete(List.of("a", "no-such-id"));
            index.commit();

            assertThat(index.search(new float[] {0, 0, 1, 0}, 5, null)).extracting(SearchHit::id).containsExactly("b");
        }
    }

    @Test
    void closedIndex_rejectsCallsAndClosesTwiceQuietly() {
        OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS));
        index.close();
        index.close();

        assertThatThrownBy(index::size)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void nonPositiveK_rejected() {
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client, settings(DIMS))) {
            assertThatThrownBy(() -> index.search(new float[] {1, 0, 0, 0}, 0, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("k must be at least 1");
        }
    }

    private OpenSearchIndexSettings settings(int dims) {
        return OpenSearchIndexSettings.forManagedDomain(indexName, MODEL, dims);
    }

    private static IndexedExample example(String id, String label, float[] vector) {
        return new IndexedExample(id, "text of " + label, label, vector);
    }

    private static List<IndexedExample> randomExamples(int count, int dims, long seed) {
        Random random = new Random(seed);
        List<IndexedExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            examples.add(new IndexedExample("id" + i, "text " + i, "label-" + (i % 3), randomUnit(random, dims)));
        }
        return examples;
    }

    private static float[] randomUnit(Random random, int dims) {
        float[] vector = new float[dims];
        for (int i = 0; i < dims; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return Vectors.normalized(vector);
    }

    private static Set<String> bruteForceTopK(List<IndexedExample> examples, float[] query, int k) {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, examples.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> Vectors.dot(query, examples.get(i).vector())).reversed())
                .limit(k)
                .forEach(i -> ids.add(examples.get(i).id()));
        return ids;
    }
}
