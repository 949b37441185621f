package dev.tuneladder.core.judging;

import dev.tuneladder.core.model.InferenceSettings;
import dev.tuneladder.core.model.ModelClient;
import java.util.Objects;

/**
 * The model that a judge sends its requests to.
 *
 * @param client the client, usually wrapped in retries and a concurrency limiter
 * @param modelId the provider's model id, recorded in every verdict
 * @param settings sampling settings; null for {@link InferenceSettings#DETERMINISTIC}
 */
public record JudgeModel(ModelClient client, String modelId, InferenceSettings settings) {

    public JudgeModel {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(modelId, "modelId");
        if (modelId.isBlank()) {
            throw new IllegalArgumentException("judge modelId is blank");
        }
        settings = settings == null ? InferenceSettings.DETERMINISTIC : settings;
    }
}
