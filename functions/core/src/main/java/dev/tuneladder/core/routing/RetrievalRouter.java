package dev.tuneladder.core.routing;

import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.index.SearchHit;
import dev.tuneladder.core.index.VectorIndex;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The planner used when no model is configured: predicts a label by a similarity-weighted vote of the k
 * nearest golden examples in a vector index.
 *
 * <p>Each neighbour adds its cosine similarity, clipped at 0, to its label's weight; the label with the largest
 * weight wins. Ties go to the label of the most similar neighbour among the tied labels, then to the
 * alphabetically first label, so the result never depends on hash order. Confidence is the winner's share of
 * the summed weight. Thread-safe when the index is.
 */
public final class RetrievalRouter {

    private final VectorIndex index;
    private final int k;

    /**
     * @param index golden examples with labels
     * @param k number of neighbours that vote, at least 1
     */
    public RetrievalRouter(VectorIndex index, int k) {
        this.index = Objects.requireNonNull(index, "index");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
    }

    public int k() {
        return k;
    }

    /** Routes one query given its L2-normalized embedding. */
    public RoutingDecision route(float[] queryVector) {
        List<SearchHit> hits = index.search(queryVector, k, null);
        return vote(hits);
    }

    /**
     * Routes one row and returns it as a prediction; {@code latencyMillis} is the search and vote time, not
     * the embedding time.
     */
    public Prediction predict(String id, float[] queryVector, String modelId) {
        long start = System.nanoTime();
        RoutingDecision decision = route(queryVector);
        long latencyMillis = (System.nanoTime() - start) / 1_000_000L;
        return new Prediction(id, decision.label(), decision.confidence(), null, null, latencyMillis, null, modelId,
                null, decision.label() == null ? "the index returned no labelled neighbour" : null);
    }

    /** Applies the weighted vote to already retrieved neighbours, most similar first. */
    public static RoutingDecision vote(List<SearchHit> hits) {
        Map<String, Double> weightByLabel = new HashMap<>();
        Map<String, Double> bestSimilarityByLabel = new HashMap<>();
        double totalWeight = 0;
        for (SearchHit hit : hits) {
            if (hit.label() == null) {
                continue;
            }
            double weight = Math.max(0, hit.similarity());
            weightByLabel.merge(hit.label(), weight, Double::sum);
            bestSimilarityByLabel.merge(hit.label(), hit.similarity(), Math::max);
            totalWeight += weight;
        }
        if (weightByLabel.isEmpty()) {
            return new RoutingDecision(null, 0, hits);
        }

        String winner = null;
        for (String label : weightByLabel.keySet()) {
            if (winner == null || beats(label, winner, weightByLabel, bestSimilarityByLabel)) {
                winner = label;
            }
        }
        double confidence = totalWeight == 0 ? 1.0 / weightByLabel.size() : weightByLabel.get(winner) / totalWeight;
        return new RoutingDecision(winner, confidence, hits);
    }

    private static boolean beats(
            String label, String current, Map<String, Double> weight, Map<String, Double> bestSimilarity) {
        int byWeight = Double.compare(weight.get(label), weight.get(current));
        if (byWeight != 0) {
            return byWeight > 0;
        }
        int bySimilarity = Double.compare(bestSimilarity.get(label), bestSimilarity.get(current));
        if (bySimilarity != 0) {
            return bySimilarity > 0;
        }
        return label.compareTo(current) < 0;
    }
}
