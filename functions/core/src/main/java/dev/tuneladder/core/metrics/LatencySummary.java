package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Latency percentiles of one stage, in milliseconds, as {@link LatencyState} reports them: nearest-rank
 * percentiles with HdrHistogram's 3-significant-digit precision (exact up to 2,047 ms, at most 0.1% high above).
 *
 * @param count recorded values
 * @param minMillis the smallest recorded value, to the histogram's precision
 * @param maxMillis the largest recorded value, to the histogram's precision
 * @param meanMillis the mean of the recorded values, each counted at the middle of its bucket
 * @param p50Millis the median
 * @param p90Millis the 90th percentile
 * @param p95Millis the 95th percentile
 * @param p99Millis the 99th percentile
 */
@JsonPropertyOrder({"count", "minMillis", "maxMillis", "meanMillis", "p50Millis", "p90Millis", "p95Millis",
        "p99Millis"})
public record LatencySummary(long count, long minMillis, long maxMillis, double meanMillis, long p50Millis,
        long p90Millis, long p95Millis, long p99Millis) {

    public LatencySummary {
        if (count < 1) {
            throw new IllegalArgumentException("a latency summary needs at least 1 value, got " + count);
        }
        if (minMillis < 0 || minMillis > p50Millis || p50Millis > p90Millis || p90Millis > p95Millis
                || p95Millis > p99Millis || p99Millis > maxMillis) {
            throw new IllegalArgumentException("latency percentiles must satisfy 0 <= min <= p50 <= p90 <= p95 <= p99"
                    + " <= max, got min " + minMillis + ", p50 " + p50Millis + ", p90 " + p90Millis + ", p95 "
                    + p95Millis + ", p99 " + p99Millis + ", max " + maxMillis);
        }
    }
}
