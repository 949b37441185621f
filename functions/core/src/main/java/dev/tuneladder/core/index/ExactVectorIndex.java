package dev.tuneladder.core.index;

import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * An in-memory index that compares the query with every stored vector. Exact, so it is the reference that
 * approximate indexes are measured against, and fast enough for a few thousand examples.
 *
 * <p>Writes are visible at once; {@link #commit()} does nothing. Not thread-safe for concurrent writes.
 */
public final class ExactVectorIndex implements VectorIndex {

    private static final Comparator<SearchHit> MOST_SIMILAR_FIRST =
            Comparator.comparingDouble(SearchHit::similarity).reversed().thenComparing(SearchHit::id);

    private final Map<String, IndexedExample> examples = new LinkedHashMap<>();

    @Override
    public void upsert(Collection<IndexedExample> batch) {
        for (IndexedExample example : batch) {
            if (!examples.isEmpty()) {
                int dimensions = examples.values().iterator().next().vector().length;
                if (example.vector().length != dimensions) {
                    throw new IllegalArgumentException("example '" + example.id() + "' has " + example.vector().length
                            + " dimensions but the index holds " + dimensions + "-dimensional vectors");
                }
            }
            examples.remove(example.id());
            examples.put(example.id(), example);
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        ids.forEach(examples::remove);
    }

    @Override
    public void commit() {
        // Writes are applied immediately.
    }

    @Override
    public List<SearchHit> search(float[] query, int k, String labelFilter) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        PriorityQueue<SearchHit> best = new PriorityQueue<>(MOST_SIMILAR_FIRST.reversed());
        for (IndexedExample example : examples.values()) {
            if (labelFilter != null && !labelFilter.equals(example.label())) {
                continue;
            }
            best.add(new SearchHit(example.id(), example.text(), example.label(), Vectors.dot(query, example.vector())));
            if (best.size() > k) {
                best.poll();
            }
        }
        List<SearchHit> hits = new ArrayList<>(best);
        hits.sort(MOST_SIMILAR_FIRST);
        return hits;
    }

    @Override
    public long size() {
        return examples.size();
    }

    @Override
    public void close() {
        examples.clear();
    }
}
