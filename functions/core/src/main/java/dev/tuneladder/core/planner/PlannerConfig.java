package dev.tuneladder.core.planner;

import dev.tuneladder.core.model.InferenceSettings;
import java.util.Objects;

/**
 * Settings of the LLM planner.
 *
 * @param modelId the provider's model id sent in every request
 * @param prompt the system prompt; it must contain {@value PromptTemplate#EXAMPLES_PLACEHOLDER} when examples
 *     are retrieved
 * @param settings sampling settings; null for {@link InferenceSettings#DETERMINISTIC}
 * @param cacheStaticPrefix ask clients that support prompt caching to cache the tools and system prompt. The
 *     planner sends it only when it retrieves no examples, because retrieved examples make the system prompt
 *     differ per row and a cache write per row costs more than no cache
 * @param requireToolCall a response without any tool call is an error row; true for routing and for BFCL
 *     categories where every question has a reference call
 * @param toolCallsInText when a response has no native tool call, read one call written as JSON text
 *     {@code {"name": ..., "arguments": {...}}}, for local models served without tool-call support
 */
public record PlannerConfig(
        String modelId,
        PromptTemplate prompt,
        InferenceSettings settings,
        boolean cacheStaticPrefix,
        boolean requireToolCall,
        boolean toolCallsInText) {

    public PlannerConfig {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(prompt, "prompt");
        if (modelId.isBlank()) {
            throw new IllegalArgumentException("planner modelId is blank");
        }
        settings = settings == null ? InferenceSettings.DETERMINISTIC : settings;
    }

    /** Creates settings for evaluation: deterministic sampling, caching on, a tool call required, native calls only. */
    public static PlannerConfig of(String modelId, PromptTemplate prompt) {
        return new PlannerConfig(modelId, prompt, null, true, true, false);
    }
}
