package dev.tuneladder.core.model;

import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import java.util.List;
import java.util.Objects;

/**
 * What the model returned for one request.
 *
 * @param text the generated text; empty when the model only called tools
 * @param toolCalls the tool calls, in order
 * @param toolCallIds the provider's id of each tool call, in the same order (null entries when it gives none)
 * @param stopReason why generation stopped, in the provider's words ({@code end_turn}, {@code tool_use},
 *     {@code max_tokens}, {@code stop}, …)
 * @param usage token counts, cache reads and writes included
 * @param latencyMillis wall time of the successful call in milliseconds, retries excluded
 * @param modelId the model that answered
 */
public record ChatResponse(
        String text,
        List<ToolCall> toolCalls,
        List<String> toolCallIds,
        String stopReason,
        TokenUsage usage,
        long latencyMillis,
        String modelId) {

    public ChatResponse {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        toolCallIds = toolCallIds == null ? java.util.Collections.nCopies(toolCalls.size(), null)
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(toolCallIds));
        if (toolCallIds.size() != toolCalls.size()) {
            throw new IllegalArgumentException("toolCallIds has " + toolCallIds.size() + " entries for "
                    + toolCalls.size() + " tool calls");
        }
        Objects.requireNonNull(usage, "usage");
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latencyMillis must not be negative");
        }
    }
}
