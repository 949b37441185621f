package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One bin of a latency histogram: the latencies above {@code aboveMillis} up to and including {@code upToMillis}.
 *
 * @param aboveMillis the exclusive lower bound; -1 for the bin that contains latencies of 0 ms
 * @param upToMillis the inclusive upper bound, above {@code aboveMillis}
 * @param count the latencies in the bin, 0 or more
 */
@JsonPropertyOrder({"aboveMillis", "upToMillis", "count"})
public record LatencyBin(
        @JsonProperty(required = true) long aboveMillis,
        @JsonProperty(required = true) long upToMillis,
        @JsonProperty(required = true) long count) {

    public LatencyBin {
        if (aboveMillis < -1 || upToMillis <= aboveMillis) {
            throw new IllegalArgumentException("latency bin (" + aboveMillis + ", " + upToMillis + "] ms is invalid;"
                    + " the bounds must satisfy -1 <= aboveMillis < upToMillis");
        }
        Rates.requireCount("latency bin count", count);
    }
}
