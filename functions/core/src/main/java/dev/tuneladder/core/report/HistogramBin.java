package dev.tuneladder.core.report;

/**
 * One bin of a histogram: the values above the previous bin's upper bound (or the histogram's lower bound for
 * the first bin) up to and including {@code upperBound}.
 *
 * @param upperBound the bin's inclusive upper bound, finite, such as a latency in milliseconds
 * @param count the number of values in the bin, 0 or more
 */
public record HistogramBin(double upperBound, long count) {

    public HistogramBin {
        if (!Double.isFinite(upperBound)) {
            throw new IllegalArgumentException("histogram bin upper bound is " + upperBound
                    + "; it must be a finite number");
        }
        if (count < 0) {
            throw new IllegalArgumentException("histogram bin up to " + upperBound + " has count " + count
                    + "; it must be 0 or more");
        }
    }
}
