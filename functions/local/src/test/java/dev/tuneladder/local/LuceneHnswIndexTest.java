package dev.tuneladder.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.core.index.SearchHit;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneHnswIndexTest {

    private static final String MODEL = "test-model";
    private static final int DIMS = 4;

    @TempDir
    Path folder;

    @Test
    void search_returnsNearestFirstWithCosineSimilarity() {
        List<IndexedExample> examples = randomExamples(50, 8, 7L);
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, 8)) {
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
                assertThat(hit.similarity()).isCloseTo(Vectors.dot(query, stored.vector()), offset(1e-5));
                assertThat(hit.text()).isEqualTo(stored.text());
                assertThat(hit.label()).isEqualTo(stored.label());
            }
        }
    }

    @Test
    void search_oppositeVectorGivesMinusOne() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(List.of(example("a", "x", new float[] {1, 0, 0, 0})));
            index.commit();

            List<SearchHit> hits = index.search(new float[] {-1, 0, 0, 0}, 1, null);

            assertThat(hits).singleElement().satisfies(hit -> assertThat(hit.similarity()).isEqualTo(-1.0));
        }
    }

    @Test
    void search_normalizesQueryAndStoredVectors() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(List.of(example("a", "x", new float[] {3, 4, 0, 0})));
            index.commit();

            List<SearchHit> hits = index.search(new float[] {0, 10, 0, 0}, 1, null);

            assertThat(hits.get(0).similarity()).isCloseTo(0.8, offset(1e-6));
        }
    }

    @Test
    void upsert_sameIdReplacesExample() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
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
    void writes_invisibleUntilCommit() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(List.of(example("a", "x", new float[] {1, 0, 0, 0})));

            assertThat(index.size()).isZero();
            assertThat(index.search(new float[] {1, 0, 0, 0}, 3, null)).isEmpty();

            index.commit();

            assertThat(index.size()).isEqualTo(1);
        }
    }

    @Test
    void delete_removesExamplesAndIgnoresUnknownIds() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
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
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(examples);
            index.commit();

            List<SearchHit> hits = index.search(new float[] {1, 1, 0, 0}, 100, "label-1");

            long expected = examples.stream().filter(e -> "label-1".equals(e.label())).count();
            assertThat(hits).hasSize((int) expected);
            assertThat(hits).extracting(SearchHit::label).containsOnly("label-1");
        }
    }

    @Test
    void labelFilter_unknownLabelGivesNoHits() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(randomExamples(10, DIMS, 3L));
            index.commit();

            assertThat(index.search(new float[] {1, 0, 0, 0}, 5, "no-such-label")).isEmpty();
        }
    }

    @Test
    void nullLabel_storedAndReturnedAsNull() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(List.of(new IndexedExample("a", "text", null, new float[] {1, 0, 0, 0})));
            index.commit();

            assertThat(index.search(new float[] {1, 0, 0, 0}, 1, null).get(0).label()).isNull();
        }
    }

    @Test
    void kLargerThanSize_returnsEveryExample() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(randomExamples(7, DIMS, 5L));
            index.commit();

            assertThat(index.search(new float[] {0, 0, 0, 1}, 50, null)).hasSize(7);
        }
    }

    @Test
    void emptyIndex_searchReturnsNothing() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            assertThat(index.size()).isZero();
            assertThat(index.search(new float[] {0, 0, 0, 1}, 5, null)).isEmpty();
        }
    }

    @Test
    void reopenAfterClose_keepsCommittedOnly() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            index.upsert(List.of(example("kept", "x", new float[] {1, 0, 0, 0})));
            index.commit();
            index.upsert(List.of(example("uncommitted", "x", new float[] {0, 1, 0, 0})));
        }

        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            assertThat(index.size()).isEqualTo(1);
            assertThat(index.search(new float[] {0, 1, 0, 0}, 5, null))
                    .extracting(SearchHit::id)
                    .containsExactly("kept");
        }
    }

    @Test
    void reopen_withOtherHnswParametersStillSearches() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS, new HnswParameters(8, 50))) {
            index.upsert(randomExamples(20, DIMS, 1L));
            index.commit();
        }

        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS, new HnswParameters(32, 200))) {
            index.upsert(randomExamples(30, DIMS, 2L).subList(20, 30));
            index.commit();
            index.forceMerge(1);
            index.commit();

            assertThat(index.size()).isEqualTo(30);
            assertThat(index.search(new float[] {1, 0, 0, 0}, 30, null)).hasSize(30);
        }
    }

    @Test
    void vectorOfWrongLength_rejectedWithBothDimensions() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            assertThatThrownBy(() -> index.upsert(List.of(example("a", "x", new float[] {1, 0, 0}))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("id=a")
                    .hasMessageContaining("3 dimensions")
                    .hasMessageContaining("4-dimensional");
            assertThatThrownBy(() -> index.search(new float[] {1, 0, 0, 0, 0}, 1, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("query vector has 5 dimensions");
        }
    }

    @Test
    void zeroOrNonFiniteVector_rejected() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            assertThatThrownBy(() -> index.upsert(List.of(example("a", "x", new float[] {0, 0, 0, 0}))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("zero vector");
            assertThatThrownBy(() -> index.search(new float[] {Float.NaN, 0, 0, 0}, 1, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("non-finite");
        }
    }

    @Test
    void nonPositiveK_rejected() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            assertThatThrownBy(() -> index.search(new float[] {1, 0, 0, 0}, 0, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("k must be at least 1");
        }
    }

    @Test
    void reopenWithOtherDimension_rejectedNamingBoth() {
        LuceneHnswIndex.open(folder, MODEL, DIMS).close();

        assertThatThrownBy(() -> LuceneHnswIndex.open(folder, MODEL, 8))
                .isInstanceOfSatisfying(IncompatibleIndexException.class, e -> {
                    assertThat(e.recordedModelId()).isEqualTo(MODEL);
                    assertThat(e.recordedDimensions()).isEqualTo("4");
                })
                .hasMessageContaining("test-model (4 dimensions)")
                .hasMessageContaining("test-model (8 dimensions)");
    }

    @Test
    void reopenWithOtherModel_rejectedNamingBoth() {
        LuceneHnswIndex.open(folder, MODEL, DIMS).close();

        assertThatThrownBy(() -> LuceneHnswIndex.open(folder, "other-model", DIMS))
                .isInstanceOf(IncompatibleIndexException.class)
                .hasMessageContaining("test-model (4 dimensions)")
                .hasMessageContaining("other-model (4 dimensions)");

        // The failed open released the write lock, so the right model still opens.
        LuceneHnswIndex.open(folder, MODEL, DIMS).close();
    }

    @Test
    void secondOpenOfSameFolder_failsOnLock() {
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS)) {
            assertThatThrownBy(() -> LuceneHnswIndex.open(folder, MODEL, DIMS))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(folder.toString())
                    .hasMessageContaining("no other process has the index open");
        }
    }

    @Test
    void closedIndex_rejectsCallsAndClosesTwiceQuietly() {
        LuceneHnswIndex index = LuceneHnswIndex.open(folder, MODEL, DIMS);
        index.close();
        index.close();

        assertThatThrownBy(index::size)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void open_rejectsInvalidDimensions() {
        assertThatThrownBy(() -> LuceneHnswIndex.open(folder, MODEL, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions must be in [1, 1024]");
        assertThatThrownBy(() -> LuceneHnswIndex.open(folder, MODEL, 2000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2000");
    }

    @Test
    void hnswParameters_rejectOutOfRangeValues() {
        assertThatThrownBy(() -> new HnswParameters(0, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> new HnswParameters(16, 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beamWidth");
    }

    @Test
    void cosineFromScore_invertsLuceneDotProductScore() {
        assertThat(LuceneHnswIndex.cosineFromScore(1.0f)).isEqualTo(1.0);
        assertThat(LuceneHnswIndex.cosineFromScore(0.5f)).isEqualTo(0.0);
        assertThat(LuceneHnswIndex.cosineFromScore(0.0f)).isEqualTo(-1.0);
        assertThat(LuceneHnswIndex.cosineFromScore(1.0000001f)).isEqualTo(1.0);
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
}
