package dev.tuneladder.core.metrics;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Single-label routing metrics of one evaluation, as computed by {@link RoutingMetricsState#result()}.
 *
 * <p>Every average follows scikit-learn's precision_recall_fscore_support with zero_division=0 over the label
 * set in {@code perLabel}. A row without a prediction counts as wrong and as a false negative of its gold label,
 * which equals scikit-learn given a sentinel prediction that is left out of {@code labels}.
 *
 * @param rows rows evaluated
 * @param predictedRows rows with a prediction; the rest had none (for example the planner failed)
 * @param accuracy correct rows / rows
 * @param micro precision, recall and F1 from tp, fp and fn summed over labels
 * @param macro unweighted means of the per-label values
 * @param weighted means of the per-label values weighted by support
 * @param perLabel scores per label, sorted by label
 * @param confusions every (gold, predicted) pair with gold ≠ predicted, most frequent first (see
 *     {@link Confusion#MOST_FREQUENT_FIRST}); rows without a prediction are not confusions
 * @param ci95 95% percentile-bootstrap intervals of accuracy and macro-F1
 * @param bootstrapReplicates the number of Poisson bootstrap replicates behind {@code ci95}
 * @param bootstrapSeed the seed of the bootstrap weights
 */
public record RoutingMetrics(
        long rows,
        long predictedRows,
        double accuracy,
        AveragedScores micro,
        AveragedScores macro,
        AveragedScores weighted,
        SortedMap<String, LabelScores> perLabel,
        List<Confusion> confusions,
        RoutingCi95 ci95,
        int bootstrapReplicates,
        long bootstrapSeed) {

    public RoutingMetrics {
        Rates.requireCount("rows", rows);
        Rates.requireCount("predictedRows", predictedRows);
        if (predictedRows > rows) {
            throw new IllegalArgumentException("predictedRows " + predictedRows + " exceeds rows " + rows);
        }
        Rates.requireRate("accuracy", accuracy);
        Objects.requireNonNull(micro, "micro");
        Objects.requireNonNull(macro, "macro");
        Objects.requireNonNull(weighted, "weighted");
        Objects.requireNonNull(ci95, "ci95");
        if (bootstrapReplicates < 1) {
            throw new IllegalArgumentException("bootstrapReplicates must be at least 1, got " + bootstrapReplicates);
        }
        Objects.requireNonNull(perLabel, "perLabel");
        Objects.requireNonNull(confusions, "confusions");
        perLabel = Collections.unmodifiableSortedMap(new TreeMap<>(perLabel));
        confusions = confusions.stream().sorted(Confusion.MOST_FREQUENT_FIRST).toList();
    }

    /** Returns the {@code n} most frequent confusions, or all of them when there are fewer. */
    public List<Confusion> topConfusions(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("confusion count must be 0 or more, got " + n);
        }
        return confusions.subList(0, Math.min(n, confusions.size()));
    }

    /** Returns the labels in the label set, sorted. */
    public List<String> labels() {
        return List.copyOf(perLabel.keySet());
    }

    /** Returns the scores of {@code label}, or throws naming the known labels when it is not in the label set. */
    public LabelScores label(String label) {
        LabelScores scores = perLabel.get(label);
        if (scores == null) {
            throw new IllegalArgumentException("label '" + label + "' is not in the label set " + perLabel.keySet());
        }
        return scores;
    }
}
