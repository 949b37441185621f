package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.metrics.LatencySummary;
import dev.tuneladder.core.metrics.UsageCost;
import java.util.Map;
import java.util.Objects;

/**
 * The content of comparison.json: which runs were compared, the verdict, the paired comparison, and each run's
 * latency and cost where known.
 *
 * @param baseline the baseline run's reference as given, for example "runs/ladder#random-10"
 * @param candidate the candidate run's reference as given
 * @param verdict the regression verdict on the chosen metric
 * @param comparison the paired comparison
 * @param latency end-to-end latency per run ("baseline", "candidate"), empty when no row had a latency
 * @param cost token cost per run, empty when no price table was given
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"baseline", "candidate", "verdict", "comparison", "latency", "cost"})
public record ComparisonDocument(String baseline, String candidate, RegressionVerdict verdict,
        PairedComparison comparison, Map<String, LatencySummary> latency, Map<String, UsageCost> cost) {

    public ComparisonDocument {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(comparison, "comparison");
        latency = latency == null ? Map.of() : Map.copyOf(latency);
        cost = cost == null ? Map.of() : Map.copyOf(cost);
    }

    /** Returns the document as pretty-printed JSON ending in a line break. */
    public String toJson() {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a comparison document failed to serialize", e);
        }
    }
}
