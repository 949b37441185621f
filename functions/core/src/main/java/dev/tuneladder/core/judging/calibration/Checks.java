package dev.tuneladder.core.judging.calibration;

/** Argument checks shared by the calibration records. */
final class Checks {

    private Checks() {
    }

    static void requireCount(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more, got " + value);
        }
    }

    /** Throws unless {@code value} is null (undefined) or a number in [0, 1]. */
    static void requireRateOrNull(String field, Double value) {
        if (value != null && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1] or null, got " + value);
        }
    }

    /** Throws unless {@code value} is null (undefined) or a kappa in [-1, 1]. */
    static void requireKappaOrNull(String field, Double value) {
        if (value != null && !(value >= -1 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in [-1, 1] or null, got " + value);
        }
    }

    static void requireName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing or blank");
        }
    }

    /** Returns numerator / denominator, or null when the denominator is 0. */
    static Double rate(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
