package dev.tuneladder.core.model;

import java.util.List;

/**
 * Sampling settings of one call; a null field leaves the model's default.
 *
 * @param maxTokens the maximum number of tokens to generate
 * @param temperature sampling temperature, 0 for the most deterministic output
 * @param topP nucleus sampling mass in (0, 1]
 * @param stopSequences texts that end generation
 */
public record InferenceSettings(Integer maxTokens, Double temperature, Double topP, List<String> stopSequences) {

    /** Settings for evaluation runs: temperature 0, up to 1,024 generated tokens. */
    public static final InferenceSettings DETERMINISTIC = new InferenceSettings(1024, 0.0, null, null);

    public InferenceSettings {
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (temperature != null && (temperature < 0 || temperature.isNaN())) {
            throw new IllegalArgumentException("temperature must be 0 or more, got " + temperature);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }
}
