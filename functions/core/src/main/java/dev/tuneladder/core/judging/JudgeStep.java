package dev.tuneladder.core.judging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One model call made while judging an item, kept so that a verdict can be audited and re-judged.
 *
 * @param step what the call was for: {@code judgment}, {@code signals}, {@code comparison}, with the suffix
 *     {@code -repair} for the one follow-up that asks for valid JSON
 * @param rawOutput the model's text exactly as returned
 * @param parsed the JSON object read from it and kept (for {@code signals}, only the requested signals), or
 *     null when the output was invalid
 * @param parseError why the output was invalid, or null when it was used
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JudgeStep(String step, String rawOutput, JsonNode parsed, String parseError) {

    public JudgeStep {
        Objects.requireNonNull(step, "step");
        rawOutput = rawOutput == null ? "" : rawOutput;
        parsed = parsed == null ? null : parsed.deepCopy();
    }
}
