package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The routing section of one run in metrics.json: the part of {@link RoutingMetrics} that reports and run
 * comparisons read. Its JSON keys and their order are a stable contract.
 *
 * @param rows rows evaluated
 * @param accuracy correct rows / rows
 * @param macroF1 unweighted mean of per-label F1
 * @param microF1 F1 from tp, fp and fn summed over labels
 * @param weightedF1 support-weighted mean of per-label F1
 * @param macroPrecision unweighted mean of per-label precision
 * @param macroRecall unweighted mean of per-label recall
 * @param ci95 95% bootstrap intervals of accuracy and macro-F1
 * @param perLabel scores per label, sorted by label
 * @param topConfusions the most frequent (gold, predicted) pairs with gold ≠ predicted, most frequent first
 */
@JsonPropertyOrder({"rows", "accuracy", "macroF1", "microF1", "weightedF1", "macroPrecision", "macroRecall", "ci95",
    "perLabel", "topConfusions"})
public record RoutingSummary(
        @JsonProperty(required = true) long rows,
        @JsonProperty(required = true) double accuracy,
        @JsonProperty(required = true) double macroF1,
        @JsonProperty(required = true) double microF1,
        @JsonProperty(required = true) double weightedF1,
        @JsonProperty(required = true) double macroPrecision,
        @JsonProperty(required = true) double macroRecall,
        RoutingCi95 ci95,
        SortedMap<String, LabelScores> perLabel,
        List<Confusion> topConfusions) {

    /** How many confusions {@link #of(RoutingMetrics)} keeps. */
    public static final int DEFAULT_TOP_CONFUSIONS = 20;

    public RoutingSummary {
        Rates.requireCount("rows", rows);
        Rates.requireRate("accuracy", accuracy);
        Rates.requireRate("macroF1", macroF1);
        Rates.requireRate("microF1", microF1);
        Rates.requireRate("weightedF1", weightedF1);
        Rates.requireRate("macroPrecision", macroPrecision);
        Rates.requireRate("macroRecall", macroRecall);
        Objects.requireNonNull(ci95, "routing field 'ci95' is missing");
        Objects.requireNonNull(perLabel, "routing field 'perLabel' is missing");
        Objects.requireNonNull(topConfusions, "routing field 'topConfusions' is missing");
        for (Map.Entry<String, LabelScores> entry : perLabel.entrySet()) {
            Objects.requireNonNull(entry.getValue(), () -> "perLabel entry '" + entry.getKey() + "' is null");
        }
        perLabel = Collections.unmodifiableSortedMap(new TreeMap<>(perLabel));
        topConfusions = topConfusions.stream().sorted(Confusion.MOST_FREQUENT_FIRST).toList();
    }

    /** Summarizes {@code metrics}, keeping the {@value #DEFAULT_TOP_CONFUSIONS} most frequent confusions. */
    public static RoutingSummary of(RoutingMetrics metrics) {
        return of(metrics, DEFAULT_TOP_CONFUSIONS);
    }

    /** Summarizes {@code metrics}, keeping the {@code maxConfusions} most frequent confusions. */
    public static RoutingSummary of(RoutingMetrics metrics, int maxConfusions) {
        return new RoutingSummary(metrics.rows(), metrics.accuracy(), metrics.macro().f1(), metrics.micro().f1(),
                metrics.weighted().f1(), metrics.macro().precision(), metrics.macro().recall(), metrics.ci95(),
                metrics.perLabel(), metrics.topConfusions(maxConfusions));
    }
}
