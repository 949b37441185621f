package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A two-sided 95% confidence interval of a difference candidate − baseline, so either bound may be negative.
 *
 * @param low the lower bound
 * @param high the upper bound, at least {@code low}
 */
@JsonPropertyOrder({"low", "high"})
public record DifferenceInterval(double low, double high) {

    public DifferenceInterval {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("interval bounds must be finite, got [" + low + ", " + high + "]");
        }
        if (low > high) {
            throw new IllegalArgumentException("interval low " + low + " is above high " + high);
        }
    }

    /** Returns whether 0 lies outside [low, high], the usual reading of "significant at the 5% level". */
    public boolean excludesZero() {
        return low > 0 || high < 0;
    }
}
