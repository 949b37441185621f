package dev.tuneladder.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One chat completion request, independent of the provider.
 *
 * @param modelId the provider's model id (a Bedrock model id or ARN, or an OpenAI-compatible model name)
 * @param system the system prompt; empty for none
 * @param messages the conversation, oldest first, starting with a user message
 * @param tools the tools the model may call; empty for none
 * @param settings sampling settings
 * @param cacheStaticPrefix when true, clients that support prompt caching mark the end of the static prefix
 *     (tools and system prompt) as a cache checkpoint
 */
public record ChatRequest(
        String modelId,
        String system,
        List<ChatMessage> messages,
        List<ToolSpec> tools,
        InferenceSettings settings,
        boolean cacheStaticPrefix) {

    public ChatRequest {
        Objects.requireNonNull(modelId, "modelId");
        if (modelId.isBlank()) {
            throw new IllegalArgumentException("modelId is blank");
        }
        system = system == null ? "" : system;
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        settings = settings == null ? InferenceSettings.DETERMINISTIC : settings;
    }
}
