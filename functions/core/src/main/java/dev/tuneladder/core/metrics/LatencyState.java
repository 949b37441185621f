package dev.tuneladder.core.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

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

    /**
     * Counts the latencies of {@code stage} in bins with edges 0, 1, 2, 5, 10, 20, 50, ... ms (a 1-2-5 series, so
     * the bins stay few and readable from 1 ms to minutes). Bins run from the one that contains the smallest value to
     * the one that contains the largest, with the empty ones in between. The counts add up to the stage's count.
     *
     * <p>Each histogram bucket is placed by its reported value, the bucket's upper end, as percentiles are. So a
     * latency above 2,047 ms that lies within 0.1% below an edge can land in the bin above that edge.
     *
     * @return the bins in increasing order, or an empty list when the stage has no values
     */
    public List<LatencyBin> histogram(String stage) {
        Histogram histogram = histograms.get(stage);
        if (histogram == null || histogram.getTotalCount() == 0) {
            return List.of();
        }
        TreeMap<Long, Long> countByEdge = new TreeMap<>();
        for (HistogramIterationValue value : histogram.recordedValues()) {
            countByEdge.merge(edgeAtOrAbove(value.getValueIteratedTo()), value.getCountAtValueIteratedTo(),
                    Long::sum);
        }

        List<LatencyBin> bins = new ArrayList<>();
        long upTo = countByEdge.firstKey();
        long above = previousEdge(upTo);
        while (true) {
            bins.add(new LatencyBin(above, upTo, countByEdge.getOrDefault(upTo, 0L)));
            if (upTo == countByEdge.lastKey()) {
                return bins;
            }
            above = upTo;
            upTo = nextEdge(upTo);
        }
    }

    /** Returns the smallest edge of the 0, 1, 2, 5, 10, ... series that is at least {@code millis}. */
    static long edgeAtOrAbove(long millis) {
        long edge = 0;
        while (edge < millis) {
            edge = nextEdge(edge);
        }
        return edge;
    }

    private static long nextEdge(long edge) {
        if (edge == 0) {
            return 1;
        }
        long power = 1;
        while (edge / power >= 10) {
            power *= 10;
        }
        long mantissa = edge / power;
        return mantissa == 2 ? 5 * power : 2 * mantissa * power;
    }

    private static long previousEdge(long edge) {
        if (edge == 0) {
            return -1;
        }
        if (edge == 1) {
            return 0;
        }
        long power = 1;
        while (edge / power >= 10) {
            power *= 10;
        }
        long mantissa = edge / power;
        if (mantissa == 5) {
            return 2 * power;
        }
        if (mantissa == 2) {
            return power;
        }
        return power / 2;
    }
}
