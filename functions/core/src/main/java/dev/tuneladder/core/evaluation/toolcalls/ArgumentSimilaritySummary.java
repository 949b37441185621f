package dev.tuneladder.core.evaluation.toolcalls;

import java.util.List;

/**
 * Argument similarity over many rows, from {@link ArgumentSimilarityState#result()}.
 *
 * @param rows the rows added
 * @param scoredRows the rows with at least one compared argument
 * @param meanRowCosine the mean over scored rows of each row's mean cosine, or null when no row was scored
 * @param lowSimilarityRows the rows flagged for low similarity
 * @param sampleLowSimilarityRowIds the lexicographically smallest ids of the flagged rows, at most the state's cap
 */
public record ArgumentSimilaritySummary(long rows, long scoredRows, Double meanRowCosine, long lowSimilarityRows,
                                        List<String> sampleLowSimilarityRowIds) {

    public ArgumentSimilaritySummary {
        sampleLowSimilarityRowIds = List.copyOf(sampleLowSimilarityRowIds);
        if (scoredRows > rows || lowSimilarityRows > scoredRows || (meanRowCosine == null) != (scoredRows == 0)) {
            throw new IllegalArgumentException("inconsistent similarity summary: " + rows + " rows, " + scoredRows
                    + " scored, " + lowSimilarityRows + " flagged, mean " + meanRowCosine);
        }
    }
}
