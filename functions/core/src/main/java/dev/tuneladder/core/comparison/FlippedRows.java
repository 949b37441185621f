package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * The rows whose correctness changed in one direction between two runs.
 *
 * @param count how many rows flipped, exactly
 * @param ids the first flipped row ids in lexicographic order (String.compareTo); all of them unless the
 *     comparison capped the list, in which case {@code ids.size() < count}
 */
@JsonPropertyOrder({"count", "ids"})
public record FlippedRows(long count, List<String> ids) {

    public FlippedRows {
        Objects.requireNonNull(ids, "ids");
        ids = List.copyOf(ids);
        if (count < ids.size()) {
            throw new IllegalArgumentException("flip count " + count + " is below the " + ids.size()
                    + " ids listed");
        }
    }

    /** Returns whether {@link #ids()} lists fewer rows than {@link #count()}. */
    public boolean truncated() {
        return ids.size() < count;
    }
}
