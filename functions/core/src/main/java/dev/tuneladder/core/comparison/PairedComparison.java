package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Baseline and candidate runs compared on the same rows.
 *
 * @param rows rows compared
 * @param replicates Poisson bootstrap replicates behind the intervals
 * @param seed seed of the bootstrap weights
 * @param metrics each metric's values and paired difference, keyed by metric name in the order requested
 * @param mcNemar the exact McNemar test on per-row correctness
 * @param fixed rows the baseline got wrong and the candidate got right
 * @param broken rows the baseline got right and the candidate got wrong
 * @param strata the per-stratum table, sorted by stratum name
 */
@JsonPropertyOrder({"rows", "replicates", "seed", "metrics", "mcNemar", "fixed", "broken", "strata"})
public record PairedComparison(long rows, int replicates, long seed, Map<String, MetricDifference> metrics,
        ExactMcNemar mcNemar, FlippedRows fixed, FlippedRows broken, List<StratumComparison> strata) {

    public PairedComparison {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(mcNemar, "mcNemar");
        Objects.requireNonNull(fixed, "fixed");
        Objects.requireNonNull(broken, "broken");
        Objects.requireNonNull(strata, "strata");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        strata = List.copyOf(strata);
        if (fixed.count() != mcNemar.candidateOnlyCorrect() || broken.count() != mcNemar.baselineOnlyCorrect()) {
            throw new IllegalArgumentException("flip counts (fixed " + fixed.count() + ", broken " + broken.count()
                    + ") disagree with McNemar's c=" + mcNemar.candidateOnlyCorrect() + " and b="
                    + mcNemar.baselineOnlyCorrect());
        }
    }

    /**
     * Returns the difference of the metric named {@code name}.
     *
     * @throws IllegalArgumentException when the comparison did not compute it; the message lists those it did
     */
    public MetricDifference metric(String name) {
        MetricDifference difference = metrics.get(name);
        if (difference == null) {
            throw new IllegalArgumentException("the comparison has no metric '" + name + "'; it has "
                    + metrics.keySet());
        }
        return difference;
    }
}
