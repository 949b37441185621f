package dev.tuneladder.core.index;

import java.util.Objects;

/**
 * One golden example stored in a vector index.
 *
 * @param id unique key; upserting the same id replaces the stored example
 * @param text the example text returned to callers
 * @param label the routing label used for filtering and voting, or null
 * @param vector the embedding of {@code text}, L2-normalized
 */
public record IndexedExample(String id, String text, String label, float[] vector) {

    public IndexedExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vector, "vector");
    }
}
