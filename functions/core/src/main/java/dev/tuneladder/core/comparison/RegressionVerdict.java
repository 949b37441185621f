package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether a candidate is significantly worse than its baseline on one metric by more than a tolerance.
 *
 * <p>The candidate regressed when the upper bound of the 95% interval of candidate − baseline is below
 * −maxRegression: even the most favourable plausible difference is a loss larger than the tolerance. With
 * maxRegression = 0 that is the usual "significantly worse at the 5% level" (one-sided 2.5%).
 *
 * @param metric the metric judged, for example "macroF1"
 * @param maxRegression the tolerated loss, 0 or more, in the metric's units
 * @param difference candidate − baseline on all rows
 * @param ci95 the interval of the difference
 * @param regressed whether {@code ci95.high() < -maxRegression}
 */
@JsonPropertyOrder({"metric", "maxRegression", "difference", "ci95", "regressed"})
public record RegressionVerdict(String metric, double maxRegression, double difference, DifferenceInterval ci95,
        boolean regressed) {

    public RegressionVerdict {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(ci95, "ci95");
        requireTolerance(maxRegression);
        if (regressed != ci95.high() < -maxRegression) {
            throw new IllegalArgumentException("regressed=" + regressed + " contradicts interval high " + ci95.high()
                    + " and maxRegression " + maxRegression);
        }
    }

    /**
     * Judges {@code metric} in {@code comparison}.
     *
     * @throws IllegalArgumentException when the comparison lacks the metric or maxRegression is negative or NaN
     */
    public static RegressionVerdict judge(PairedComparison comparison, String metric, double maxRegression) {
        requireTolerance(maxRegression);
        MetricDifference difference = comparison.metric(metric);
        return new RegressionVerdict(metric, maxRegression, difference.difference(), difference.ci95(),
                difference.ci95().high() < -maxRegression);
    }

    /**
     * Returns the verdict as one line, for example
     * "PASS: macroF1 +0.0120, 95% CI [-0.0040, +0.0290] does not lie entirely below -0.0100".
     */
    public String describe() {
        String interval = String.format(Locale.ROOT, "%s %+.4f, 95%% CI [%+.4f, %+.4f]", metric, difference,
                ci95.low(), ci95.high());
        String threshold = maxRegression == 0 ? "0" : String.format(Locale.ROOT, "%.4f", -maxRegression);
        return regressed
                ? "REGRESSION: " + interval + " lies entirely below " + threshold
                : "PASS: " + interval + " does not lie entirely below " + threshold;
    }

    private static void requireTolerance(double maxRegression) {
        if (!(maxRegression >= 0) || Double.isInfinite(maxRegression)) {
            throw new IllegalArgumentException("max regression must be a finite number 0 or more, got "
                    + maxRegression);
        }
    }
}
