package dev.tuneladder.core.routing;

import dev.tuneladder.core.index.SearchHit;
import java.util.List;

/**
 * The outcome of routing one query.
 *
 * @param label the winning label, or null when the index returned no labelled neighbour
 * @param confidence the winning label's share of the total vote weight, in [0, 1]
 * @param neighbours the retrieved examples that voted, most similar first
 */
public record RoutingDecision(String label, double confidence, List<SearchHit> neighbours) {

    public RoutingDecision {
        neighbours = List.copyOf(neighbours);
    }
}
