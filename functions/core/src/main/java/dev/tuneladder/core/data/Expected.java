package dev.tuneladder.core.data;

import java.util.List;

/**
 * The reference outcome of an interaction: the tool calls a correct planner makes and/or the gold answer.
 *
 * @param toolCalls reference calls with one concrete value per argument; empty when none are known
 * @param acceptedCalls reference calls with accepted-value lists per argument; empty when none are known
 * @param answer the gold answer text; null when the reference has none
 */
public record Expected(List<ToolCall> toolCalls, List<AcceptedCall> acceptedCalls, String answer) {

    public Expected {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        acceptedCalls = acceptedCalls == null ? List.of() : List.copyOf(acceptedCalls);
    }
}
