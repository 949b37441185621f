package dev.tuneladder.core.index;

/**
 * One result of a nearest-neighbour search.
 *
 * @param id the stored example id
 * @param text the stored example text
 * @param label the stored label, or null
 * @param similarity cosine similarity to the query, in [-1, 1]
 */
public record SearchHit(String id, String text, String label, double similarity) {
}
