package dev.tuneladder.core.report;

import java.util.Objects;

/**
 * One row of a forest plot: an estimate and its interval, such as a run's accuracy or the difference in
 * macro-F1 between two runs with its 95% interval.
 *
 * @param name the row's label
 * @param estimate the point estimate, finite
 * @param low the interval's lower bound
 * @param high the interval's upper bound, at least {@code low}. The estimate may lie outside the interval,
 *     because a percentile-bootstrap interval of a skewed statistic need not contain the point estimate.
 */
public record ForestRow(String name, double estimate, double low, double high) {

    public ForestRow {
        Objects.requireNonNull(name, "forest plot row name is missing");
        if (!Double.isFinite(estimate) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("forest plot row '" + name + "' has a non-finite value: estimate "
                    + estimate + ", interval [" + low + ", " + high + "]");
        }
        if (low > high) {
            throw new IllegalArgumentException("forest plot row '" + name + "' has interval [" + low + ", " + high
                    + "] with low above high; pass low <= high");
        }
    }
}
