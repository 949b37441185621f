package dev.tuneladder.core.evaluation.toolcalls;

import java.util.List;
import java.util.Objects;

/**
 * The argument similarity of one row.
 *
 * @param rowId the row id
 * @param arguments one score per compared argument, in reference call order, then argument order
 * @param meanCosine the mean of the argument cosines, or null when the row has no argument to compare
 * @param lowSimilarity whether meanCosine is below the scorer's threshold; false when meanCosine is null
 */
public record RowSimilarity(String rowId, List<ArgumentScore> arguments, Double meanCosine, boolean lowSimilarity) {

    public RowSimilarity {
        Objects.requireNonNull(rowId, "rowId");
        arguments = List.copyOf(arguments);
        if ((meanCosine == null) != arguments.isEmpty()) {
            throw new IllegalArgumentException("row '" + rowId + "': meanCosine must be null exactly when no argument"
                    + " was compared");
        }
        if (meanCosine == null && lowSimilarity) {
            throw new IllegalArgumentException("row '" + rowId + "' has no compared argument, so it cannot be flagged"
                    + " for low similarity");
        }
    }
}
