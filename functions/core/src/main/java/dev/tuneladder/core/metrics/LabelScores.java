package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Precision, recall and F1 of one label, defined as in scikit-learn's precision_recall_fscore_support with
 * zero_division=0.
 *
 * @param precision tp / (tp + fp), or 0 when the label was never predicted
 * @param recall tp / (tp + fn), or 0 when the label never occurs in gold
 * @param f1 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall, or 0 when both are 0
 * @param support the number of rows whose gold label is this label
 */
@JsonPropertyOrder({"precision", "recall", "f1", "support"})
public record LabelScores(
        @JsonProperty(required = true) double precision,
        @JsonProperty(required = true) double recall,
        @JsonProperty(required = true) double f1,
        @JsonProperty(required = true) long support) {

    public LabelScores {
        Rates.requireRate("precision", precision);
        Rates.requireRate("recall", recall);
        Rates.requireRate("f1", f1);
        Rates.requireCount("support", support);
    }
}
