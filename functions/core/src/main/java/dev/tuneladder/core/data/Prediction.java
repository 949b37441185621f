package dev.tuneladder.core.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What a planner produced for one interaction.
 *
 * @param id the id of the interaction this prediction belongs to
 * @param label the predicted routing label (intent), or null when the planner produced none
 * @param confidence the planner's confidence in {@code label}, in [0, 1], or null when unknown
 * @param toolCalls the tool calls produced, in order
 * @param answer the answer text produced, or null
 * @param latencyMillis wall time of the planner call in milliseconds, or null when not measured
 * @param usage token counts, or null when no model was called
 * @param modelId the model or router that produced it
 * @param promptVersion the content hash of the prompt used, or null
 * @param error why the planner failed on this row, or null when it did not fail
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Prediction(
        String id,
        String label,
        Double confidence,
        List<ToolCall> toolCalls,
        String answer,
        Long latencyMillis,
        TokenUsage usage,
        String modelId,
        String promptVersion,
        String error) {

    public Prediction {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("prediction id is blank");
        }
        if (confidence != null && (confidence < 0 || confidence > 1 || confidence.isNaN())) {
            throw new IllegalArgumentException("prediction '" + id + "' has confidence " + confidence
                    + " outside [0, 1]");
        }
        if (latencyMillis != null && latencyMillis < 0) {
            throw new IllegalArgumentException("prediction '" + id + "' has negative latencyMillis");
        }
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** Creates the prediction of a classifier-style router. */
    public static Prediction ofLabel(String id, String label, double confidence, long latencyMillis, String modelId) {
        return new Prediction(id, label, confidence, null, null, latencyMillis, null, modelId, null, null);
    }
}
