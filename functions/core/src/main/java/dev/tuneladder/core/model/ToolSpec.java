package dev.tuneladder.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A tool offered to the model.
 *
 * @param name the function name the model calls
 * @param description what the tool does, shown to the model
 * @param inputSchema a JSON Schema object describing the arguments
 */
public record ToolSpec(String name, String description, ObjectNode inputSchema) {

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputSchema, "inputSchema");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool name is blank");
        }
        description = description == null ? "" : description;
        inputSchema = inputSchema.deepCopy();
    }

    @Override
    public ObjectNode inputSchema() {
        return inputSchema.deepCopy();
    }
}
