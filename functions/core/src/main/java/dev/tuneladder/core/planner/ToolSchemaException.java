package dev.tuneladder.core.planner;

/** Thrown when a function document cannot be converted to a tool schema. The message names the function and field. */
public class ToolSchemaException extends RuntimeException {

    public ToolSchemaException(String message) {
        super(message);
    }
}
