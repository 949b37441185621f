package dev.tuneladder.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExactVectorIndexTest {

    @Test
    void search_returnsMostSimilarFirst() {
        try (ExactVectorIndex index = new ExactVectorIndex()) {
            index.upsert(List.of(
                    new IndexedExample("far", "far", "x", new float[] {0, 1}),
                    new IndexedExample("near", "near", "y", new float[] {1, 0}),
                    new IndexedExample("mid", "mid", "x", new float[] {0.6f, 0.8f})));

            List<SearchHit> hits = index.search(new float[] {1, 0}, 2, null);

            assertThat(hits).extracting(SearchHit::id).containsExactly("near", "mid");
            assertThat(hits.get(1).similarity()).isEqualTo(0.6f, org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void upsert_replacesSameId() {
        try (ExactVectorIndex index = new ExactVectorIndex()) {
            index.upsert(List.of(new IndexedExample("a", "old", "x", new float[] {1, 0})));
            index.upsert(List.of(new IndexedExample("a", "new", "y", new float[] {0, 1})));

            assertThat(index.size()).isEqualTo(1);
            assertThat(index.search(new float[] {0, 1}, 1, null).get(0).text()).isEqualTo("new");
        }
    }

    @Test
    void search_labelFilterRestrictsResults() {
        try (ExactVectorIndex index = new ExactVectorIndex()) {
            index.upsert(List.of(
                    new IndexedExample("a", "a", "x", new float[] {1, 0}),
                    new IndexedExample("b", "b", "y", new float[] {0.9f, 0.1f})));

            assertThat(index.search(new float[] {1, 0}, 5, "y")).extracting(SearchHit::id).containsExactly("b");
        }
    }

    @Test
    void delete_removesExample() {
        try (ExactVectorIndex index = new ExactVectorIndex()) {
            index.upsert(List.of(new IndexedExample("a", "a", "x", new float[] {1, 0})));
            index.delete(List.of("a", "unknown"));

            assertThat(index.size()).isZero();
            assertThat(index.search(new float[] {1, 0}, 3, null)).isEmpty();
        }
    }

    @Test
    void upsert_rejectsOtherDimension() {
        try (ExactVectorIndex index = new ExactVectorIndex()) {
            index.upsert(List.of(new IndexedExample("a", "a", "x", new float[] {1, 0})));

            assertThatThrownBy(() -> index.upsert(List.of(new IndexedExample("b", "b", "x", new float[] {1, 0, 0}))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3 dimensions")
                    .hasMessageContaining("2-dimensional");
        }
    }
}
