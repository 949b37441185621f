package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A two-sided confidence interval of a rate.
 *
 * @param low the lower bound, in [0, 1]
 * @param high the upper bound, in [low, 1]
 */
@JsonPropertyOrder({"low", "high"})
public record ConfidenceInterval(
        @JsonProperty(required = true) double low,
        @JsonProperty(required = true) double high) {

    public ConfidenceInterval {
        Rates.requireRate("interval low", low);
        Rates.requireRate("interval high", high);
        if (low > high) {
            throw new IllegalArgumentException("interval low " + low + " is above high " + high);
        }
    }

    /** Returns whether {@code value} lies in [low, high]. */
    public boolean contains(double value) {
        return value >= low && value <= high;
    }
}
