package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tuneladder.core.data.TokenUsage;
import java.util.Objects;

/**
 * The routing outcome of one row in one run, the unit that two runs are compared on. One JSON object per line in
 * {@code outcomes.jsonl}.
 *
 * @param id the dataset row's id
 * @param gold the correct label
 * @param predicted the predicted label, or null when the run produced none (a missing or failed prediction)
 * @param correct whether {@code predicted} equals {@code gold}; stored so a reader needs no label logic, and
 *     checked against the labels
 * @param stratum the group the row is reported under in per-stratum tables; the gold label unless the run was
 *     configured otherwise
 * @param latencyMillis wall time of the prediction in milliseconds, or null when not measured
 * @param usage token counts of the prediction, or null when no model was called
 * @param modelId the model or router that produced the prediction, or null when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "gold", "predicted", "correct", "stratum", "latencyMillis", "usage", "modelId"})
public record RowOutcome(
        String id,
        String gold,
        String predicted,
        @JsonProperty(required = true) boolean correct,
        String stratum,
        Long latencyMillis,
        TokenUsage usage,
        String modelId) {

    public RowOutcome {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("outcome id is blank");
        }
        Objects.requireNonNull(gold, "gold");
        if (gold.isBlank()) {
            throw new IllegalArgumentException("outcome '" + id + "' has a blank gold label");
        }
        if (predicted != null && predicted.isBlank()) {
            predicted = null;
        }
        if (correct != gold.equals(predicted)) {
            throw new IllegalArgumentException("outcome '" + id + "' has correct=" + correct + " but gold '" + gold
                    + "' and predicted " + (predicted == null ? "null" : "'" + predicted + "'") + "; correct must be"
                    + " true exactly when predicted equals gold");
        }
        if (stratum == null || stratum.isBlank()) {
            stratum = gold;
        }
        if (latencyMillis != null && latencyMillis < 0) {
            throw new IllegalArgumentException("outcome '" + id + "' has negative latencyMillis " + latencyMillis);
        }
    }

    /** Creates the outcome of a row, deriving {@code correct} from the labels and using the gold label as stratum. */
    public static RowOutcome of(String id, String gold, String predicted, Long latencyMillis) {
        String label = predicted == null || predicted.isBlank() ? null : predicted;
        return new RowOutcome(id, gold, label, gold.equals(label), gold, latencyMillis, null, null);
    }
}
