package dev.tuneladder.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects rejected rows for one command and enforces the {@code --max-bad-rows} limit.
 *
 * <p>With a limit of 0 the first bad row fails the read. With a limit of N, up to N rows are collected and the
 * read goes on; the row after that fails it. Not thread-safe.
 */
public final class BadRows {

    private final int maxBadRows;
    private final List<RejectedRow> rejected = new ArrayList<>();

    public BadRows(int maxBadRows) {
        if (maxBadRows < 0) {
            throw new IllegalArgumentException("max bad rows must be 0 or more, got " + maxBadRows);
        }
        this.maxBadRows = maxBadRows;
    }

    /** Returns a collector that fails on the first bad row. */
    public static BadRows strict() {
        return new BadRows(0);
    }

    /**
     * Records a bad row.
     *
     * @throws DatasetFormatException when this row takes the count past the limit
     */
    public void reject(String source, long line, String reason, String raw) {
        RejectedRow row = new RejectedRow(source, line, reason, raw);
        if (rejected.size() >= maxBadRows) {
            if (maxBadRows == 0) {
                throw new DatasetFormatException(row.location()
                        + ". Fix the row, or pass --max-bad-rows N to skip up to N bad rows into a rejects file.");
            }
            throw new DatasetFormatException("more than " + maxBadRows + " bad rows (limit --max-bad-rows "
                    + maxBadRows + "); the last one is " + row.location()
                    + ". Fix the input or raise --max-bad-rows.");
        }
        rejected.add(row);
    }

    public int maxBadRows() {
        return maxBadRows;
    }

    public int count() {
        return rejected.size();
    }

    public List<RejectedRow> rejected() {
        return List.copyOf(rejected);
    }
}
