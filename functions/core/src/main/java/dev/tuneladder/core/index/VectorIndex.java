package dev.tuneladder.core.index;

import java.util.Collection;
import java.util.List;

/**
 * A store of golden examples searchable by embedding similarity (cosine).
 * Writes become visible to searches after {@link #commit()}.
 */
public interface VectorIndex extends AutoCloseable {

    /** Inserts the examples or replaces those whose id is already stored. */
    void upsert(Collection<IndexedExample> examples);

    /** Deletes the examples with these ids; unknown ids are ignored. */
    void delete(Collection<String> ids);

    /** Makes all earlier writes durable and visible to searches. */
    void commit();

    /**
     * Returns up to {@code k} examples most similar to the query vector, most similar first.
     *
     * @param labelFilter when not null, only examples with this label are considered
     */
    List<SearchHit> search(float[] query, int k, String labelFilter);

    /** Returns the number of stored examples visible to searches. */
    long size();

    @Override
    void close();
}
