package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One metric of two runs on the same rows and the paired interval of their difference.
 *
 * @param metric the metric's name, as in {@link CountMetric#name()}
 * @param baseline the baseline's value on all rows
 * @param candidate the candidate's value on all rows
 * @param difference candidate − baseline
 * @param ci95 the 95% paired Poisson-bootstrap interval of the difference
 */
@JsonPropertyOrder({"metric", "baseline", "candidate", "difference", "ci95"})
public record MetricDifference(String metric, double baseline, double candidate, double difference,
        DifferenceInterval ci95) {

    public MetricDifference {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(ci95, "ci95");
        if (!Double.isFinite(baseline) || !Double.isFinite(candidate) || !Double.isFinite(difference)) {
            throw new IllegalArgumentException("metric '" + metric + "' has a non-finite value: baseline " + baseline
                    + ", candidate " + candidate + ", difference " + difference);
        }
    }
}
