package dev.tuneladder.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.index.ExactVectorIndex;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.core.index.SearchHit;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalRouterTest {

    @Test
    void vote_weightsBySimilarityNotCount() {
        // Two weak votes for "b" (0.30 + 0.25 = 0.55) lose to one strong vote for "a" (0.90).
        List<SearchHit> hits = List.of(
                new SearchHit("1", "x", "a", 0.90),
                new SearchHit("2", "x", "b", 0.30),
                new SearchHit("3", "x", "b", 0.25));

        RoutingDecision decision = RetrievalRouter.vote(hits);

        assertThat(decision.label()).isEqualTo("a");
        assertThat(decision.confidence()).isCloseTo(0.90 / 1.45, within(1e-12));
    }

    @Test
    void vote_tieGoesToMostSimilarNeighbour() {
        List<SearchHit> hits = List.of(
                new SearchHit("1", "x", "b", 0.60),
                new SearchHit("2", "x", "a", 0.50),
                new SearchHit("3", "x", "a", 0.10));

        RoutingDecision decision = RetrievalRouter.vote(hits);

        assertThat(decision.label()).isEqualTo("b");
        assertThat(decision.confidence()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void vote_exactTieGoesToFirstLabelAlphabetically() {
        List<SearchHit> hits = List.of(
                new SearchHit("1", "x", "zeta", 0.5),
                new SearchHit("2", "x", "alpha", 0.5));

        assertThat(RetrievalRouter.vote(hits).label()).isEqualTo("alpha");
    }

    @Test
    void vote_negativeSimilaritiesCarryNoWeight() {
        List<SearchHit> hits = List.of(
                new SearchHit("1", "x", "a", -0.2),
                new SearchHit("2", "x", "b", -0.4));

        RoutingDecision decision = RetrievalRouter.vote(hits);

        assertThat(decision.label()).isEqualTo("a");
        assertThat(decision.confidence()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void vote_noLabelledNeighbourGivesNoLabel() {
        RoutingDecision decision = RetrievalRouter.vote(List.of(new SearchHit("1", "x", null, 0.9)));

        assertThat(decision.label()).isNull();
        assertThat(decision.confidence()).isZero();
    }

    @Test
    void route_usesKNearestFromIndex() {
        try (ExactVectorIndex index = new ExactVectorIndex()) {
            index.upsert(List.of(
                    example("a1", "a", 1, 0),
                    example("a2", "a", 0.9f, 0.1f),
                    example("b1", "b", 0, 1),
                    example("b2", "b", 0.1f, 0.9f),
                    example("b3", "b", 0.2f, 0.8f)));

            RetrievalRouter router = new RetrievalRouter(index, 3);
            RoutingDecision decision = router.route(Vectors.normalized(new float[] {0.95f, 0.05f}));

            assertThat(decision.neighbours()).hasSize(3);
            assertThat(decision.neighbours().get(0).id()).isEqualTo("a1");
            assertThat(decision.label()).isEqualTo("a");
        }
    }

    @Test
    void constructor_rejectsKBelowOne() {
        try (ExactVectorIndex index = new ExactVectorIndex()) {
            assertThatThrownBy(() -> new RetrievalRouter(index, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("k must be at least 1");
        }
    }

    private static IndexedExample example(String id, String label, float x, float y) {
        return new IndexedExample(id, id, label, Vectors.normalized(new float[] {x, y}));
    }
}
