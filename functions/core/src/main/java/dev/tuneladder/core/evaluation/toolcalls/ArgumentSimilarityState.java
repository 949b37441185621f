package dev.tuneladder.core.evaluation.toolcalls;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Mergeable totals of {@link RowSimilarity} results. Row means are summed as integers in units of 10⁻⁹, so merging
 * the states of any partition gives exactly the single-pass result; the mean it reports is therefore rounded to
 * about 10⁻⁹. The sample of flagged row ids keeps the smallest ids for the same reason. Not thread-safe.
 */
public final class ArgumentSimilarityState {

    private static final double UNITS_PER_COSINE = 1e9;

    private final int maxSampleRowIds;
    private long rows;
    private long scoredRows;
    private long cosineUnitsSum;
    private long lowSimilarityRows;
    private final TreeSet<String> sampleLowSimilarityRowIds = new TreeSet<>();

    /** @param maxSampleRowIds how many flagged row ids to keep, 0 or more */
    public ArgumentSimilarityState(int maxSampleRowIds) {
        if (maxSampleRowIds < 0) {
            throw new IllegalArgumentException("maxSampleRowIds must be 0 or more, got " + maxSampleRowIds);
        }
        this.maxSampleRowIds = maxSampleRowIds;
    }

    public void add(RowSimilarity row) {
        Objects.requireNonNull(row, "row");
        rows++;
        if (row.meanCosine() == null) {
            return;
        }
        scoredRows++;
        cosineUnitsSum += Math.round(row.meanCosine() * UNITS_PER_COSINE);
        if (row.lowSimilarity()) {
            lowSimilarityRows++;
            addSampleRowId(row.rowId());
        }
    }

    private void addSampleRowId(String rowId) {
        sampleLowSimilarityRowIds.add(rowId);
        if (sampleLowSimilarityRowIds.size() > maxSampleRowIds) {
            sampleLowSimilarityRowIds.pollLast();
        }
    }

    /**
     * Adds every total of {@code other} to this state and returns this state.
     *
     * @throws IllegalArgumentException when the states keep different numbers of sample row ids, or for itself
     */
    public ArgumentSimilarityState merge(ArgumentSimilarityState other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("cannot merge an argument similarity state with itself; that would"
                    + " count every row twice");
        }
        if (other.maxSampleRowIds != maxSampleRowIds) {
            throw new IllegalArgumentException("cannot merge argument similarity states that keep " + maxSampleRowIds
                    + " and " + other.maxSampleRowIds + " sample row ids; create both with the same cap");
        }
        rows += other.rows;
        scoredRows += other.scoredRows;
        cosineUnitsSum += other.cosineUnitsSum;
        lowSimilarityRows += other.lowSimilarityRows;
        other.sampleLowSimilarityRowIds.forEach(this::addSampleRowId);
        return this;
    }

    public ArgumentSimilaritySummary result() {
        Double mean = scoredRows == 0 ? null : cosineUnitsSum / UNITS_PER_COSINE / scoredRows;
        return new ArgumentSimilaritySummary(rows, scoredRows, mean, lowSimilarityRows,
                List.copyOf(sampleLowSimilarityRowIds));
    }
}
