package dev.tuneladder.core.model;

import dev.tuneladder.core.data.ToolCall;
import java.util.List;
import java.util.Objects;

/**
 * One message of a chat request or response.
 *
 * @param role {@code user}, {@code assistant} or {@code tool}; system text goes in {@link ChatRequest#system()}
 * @param content the text; empty when an assistant message carries only tool calls
 * @param toolCalls the calls an assistant message makes, in order; empty otherwise
 * @param toolCallId for a {@code tool} message, the id of the call whose result {@code content} is; else null
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        if (!role.equals("user") && !role.equals("assistant") && !role.equals("tool")) {
            throw new IllegalArgumentException("chat message role '" + role
                    + "' is not user, assistant or tool; put system text in ChatRequest.system");
        }
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (role.equals("tool") && (toolCallId == null || toolCallId.isBlank())) {
            throw new IllegalArgumentException("a tool message needs the toolCallId of the call it answers");
        }
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null);
    }
}
