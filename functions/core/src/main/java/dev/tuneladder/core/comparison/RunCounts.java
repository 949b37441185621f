package dev.tuneladder.core.comparison;

/**
 * The counts of one run that a {@link CountMetric} reads: exact counts for the point estimate, or one bootstrap
 * replicate's weighted counts for the interval. Labels are indexed 0 .. labelCount() - 1 in sorted order.
 *
 * <p>An instance is a reusable view that the comparison refills for each replicate: read it inside
 * {@link CountMetric#value} and keep no reference to it.
 */
public final class RunCounts {

    long rows;
    long correct;
    final long[] truePositives;
    final long[] falsePositives;
    final long[] falseNegatives;

    RunCounts(int labelCount) {
        truePositives = new long[labelCount];
        falsePositives = new long[labelCount];
        falseNegatives = new long[labelCount];
    }

    /** Returns the number of rows, or their bootstrap weight sum. */
    public long rows() {
        return rows;
    }

    /** Returns the number of correct rows, or their bootstrap weight sum. */
    public long correct() {
        return correct;
    }

    /** Returns the number of labels; 0 when the rows were added without labels. */
    public int labelCount() {
        return truePositives.length;
    }

    public long truePositives(int label) {
        return truePositives[label];
    }

    public long falsePositives(int label) {
        return falsePositives[label];
    }

    public long falseNegatives(int label) {
        return falseNegatives[label];
    }
}
