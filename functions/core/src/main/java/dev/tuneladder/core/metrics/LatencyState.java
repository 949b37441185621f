package dev.tuneladder.core.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Mergeable latency histograms per stage (planner, retrieval, answer writer, ...) and end to end.
 *
 * <p>Each stage is an HdrHistogram with 3 significant digits that resizes itself to the largest value seen.
 * Values up to 2,047 ms are kept exactly; a larger value lands in a bucket no wider than 1/1024 of it and is
 * reported as the bucket's upper end, so it reads at most 0.1% high. Histogram counts add exactly, so merging the
 * states of any partition of the rows gives the single-pass result.
 *
 * <p>Percentiles are nearest-rank: the p-th percentile of n values is the smallest recorded value v such that at
 * least ⌈p · n / 100⌉ values are ≤ v (HdrHistogram 2.2.2's {@code getValueAtPercentile}). Not thread-safe: give
 * each thread its own state and merge them.
 */
public final class LatencyState {

    /** The stage name under which whole-request latencies are recorded. */
    public static final String END_TO_END = "end-to-end";

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Map<String, Histogram> histograms = new HashMap<>();

    /**
     * Records one latency of {@code stage}.
     *
     * @throws IllegalArgumentException when the stage name is blank or the latency is negative
     */
    public void add(String stage, long latencyMillis) {
        if (stage == null || stage.isBlank()) {
            throw new IllegalArgumentException("latency stage name is missing or blank; name the stage, or use "
                    + END_TO_END + " for whole requests");
        }
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("stage '" + stage + "' latency " + latencyMillis + " ms is negative;"
                    + " measure durations with a monotonic clock such as System.nanoTime");
        }
        histograms.computeIfAbsent(stage, name -> new Histogram(SIGNIFICANT_DIGITS)).recordValue(latencyMillis);
    }

    /** Records one whole-request latency under {@value #END_TO_END}. */
    public void addEndToEnd(long latencyMillis) {
        add(END_TO_END, latencyMillis);
    }

    /** Adds every histogram of {@code other} to this state and returns this state; {@code other} is not changed. */
    public LatencyState merge(LatencyState other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a latency state with itself; that would count every"
                    + " value twice");
        }
        for (Map.Entry<String, Histogram> entry : other.histograms.entrySet()) {
            histograms.computeIfAbsent(entry.getKey(), name -> new Histogram(SIGNIFICANT_DIGITS))
                    .add(entry.getValue());
        }
        return this;
    }

    /** Returns whether no latency was recorded. */
    public boolean isEmpty() {
        return histograms.isEmpty();
    }

    /** Summarizes every stage that has at least one value, sorted by stage name. */
    public Map<String, LatencySummary> result() {
        Map<String, LatencySummary> summaries = new TreeMap<>();
        for (Map.Entry<String, Histogram> entry : histograms.entrySet()) {
            Histogram histogram = entry.getValue();
            summaries.put(entry.getKey(), new LatencySummary(histogram.getTotalCount(),
                    histogram.getMinValue(), histogram.getMaxValue(),
                    histogram.getMean(), histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                    histogram.getValueAtPercentile(95), histogram.getValueAtPercentile(99)));
        }
        return summaries;
    }
}
