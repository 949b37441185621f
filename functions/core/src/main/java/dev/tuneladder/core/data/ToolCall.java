package dev.tuneladder.core.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A call of one tool with concrete arguments, as a planner produced it or as a reference gives it.
 *
 * @param name the tool (function) name
 * @param arguments a JSON object of argument name to value; empty when the tool takes none
 */
public record ToolCall(String name, ObjectNode arguments) {

    public ToolCall {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool call name is blank");
        }
        arguments = arguments == null ? JsonNodeFactory.instance.objectNode() : arguments.deepCopy();
    }

    public static ToolCall of(String name) {
        return new ToolCall(name, null);
    }

    @Override
    public ObjectNode arguments() {
        return arguments.deepCopy();
    }
}
