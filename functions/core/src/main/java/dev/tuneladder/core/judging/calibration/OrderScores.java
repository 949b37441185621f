package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tuneladder.core.metrics.ConfidenceInterval;

/**
 * A judge's agreement with gold in one presentation order (or both pooled).
 *
 * @param verdicts the judge's verdicts in this order
 * @param withGold those on items with a gold label
 * @param correct those equal to the gold label
 * @param accuracy correct / withGold, or null when no verdict has gold
 * @param accuracyCi95 the 95% Poisson bootstrap interval of accuracy, resampling items, or null with accuracy
 * @param kappa Cohen's kappa of the judge against gold, or null when undefined
 */
@JsonPropertyOrder({"verdicts", "withGold", "correct", "accuracy", "accuracyCi95", "kappa"})
public record OrderScores(
        long verdicts, long withGold, long correct, Double accuracy, ConfidenceInterval accuracyCi95, Double kappa) {

    public OrderScores {
        Checks.requireCount("verdicts", verdicts);
        Checks.requireCount("withGold", withGold);
        Checks.requireCount("correct", correct);
        if (withGold > verdicts || correct > withGold) {
            throw new IllegalArgumentException("counts must satisfy correct <= withGold <= verdicts, got "
                    + correct + ", " + withGold + ", " + verdicts);
        }
        Checks.requireRateOrNull("accuracy", accuracy);
        Checks.requireKappaOrNull("kappa", kappa);
    }
}
