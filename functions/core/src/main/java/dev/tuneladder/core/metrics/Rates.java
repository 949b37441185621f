package dev.tuneladder.core.metrics;

/** Checks shared by the metric records. */
final class Rates {

    private Rates() {
    }

    /** Throws unless {@code value} is a finite number in [0, 1]; {@code field} names it in the message. */
    static void requireRate(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1], got " + value);
        }
    }

    static void requireCount(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more, got " + value);
        }
    }

    /** Returns numerator / denominator, or 0 when the denominator is 0 (scikit-learn's zero_division=0). */
    static double divide(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
