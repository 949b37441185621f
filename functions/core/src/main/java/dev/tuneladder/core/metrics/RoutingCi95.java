package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * 95% percentile-bootstrap intervals of the headline routing metrics.
 *
 * @param accuracy the interval of accuracy
 * @param macroF1 the interval of macro-averaged F1
 */
@JsonPropertyOrder({"accuracy", "macroF1"})
public record RoutingCi95(ConfidenceInterval accuracy, ConfidenceInterval macroF1) {

    public RoutingCi95 {
        Objects.requireNonNull(accuracy, "ci95 accuracy is missing");
        Objects.requireNonNull(macroF1, "ci95 macroF1 is missing");
    }
}
