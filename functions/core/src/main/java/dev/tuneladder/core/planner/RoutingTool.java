package dev.tuneladder.core.planner;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.model.ToolSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tool that turns an intent-classification dataset such as BANKING77 into a tool-calling task: one tool
 * {@code route} with one required argument {@code intent} whose JSON Schema {@code enum} lists every label.
 *
 * <p>One tool with an enum, rather than one argument-less tool per intent, because the label is then the
 * argument value exactly as the dataset spells it, with no renaming to a provider-safe tool name. The prompt
 * also grows by one enum entry per label rather than one tool definition per label, and the set stays far below
 * the tool-count limits some providers set (OpenAI-compatible servers commonly cap a request at 128 tools). The
 * cost is that the model can return a value outside the enum. {@link LlmPlanner} records such a row as an error.
 */
public final class RoutingTool {

    /** Name of the tool. */
    public static final String TOOL_NAME = "route";
    /** Name of its only argument. */
    public static final String INTENT_ARGUMENT = "intent";

    private final List<String> labels;
    private final Set<String> labelSet;
    private final String description;

    /**
     * @param labels the intents, in the order shown to the model; unique and non-blank
     * @param description the tool description shown to the model
     */
    public RoutingTool(List<String> labels, String description) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("a routing tool needs at least one intent label");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String label : labels) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("intent labels must not be blank");
            }
            if (!unique.add(label)) {
                throw new IllegalArgumentException("intent label '" + label + "' is listed twice");
            }
        }
        this.labels = List.copyOf(labels);
        this.labelSet = Set.copyOf(unique);
        this.description = description == null || description.isBlank()
                ? "Route the customer's latest message to the team that handles its intent." : description;
    }

    /** Creates the tool with the default description. */
    public static RoutingTool of(List<String> labels) {
        return new RoutingTool(labels, null);
    }

    public List<String> labels() {
        return labels;
    }

    /** Returns whether {@code label} is one of the intents. */
    public boolean isLabel(String label) {
        return labelSet.contains(label);
    }

    /** Returns the tool set holding the single {@code route} tool. */
    public ToolSet toolSet() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode intent = nodes.objectNode()
                .put("type", "string")
                .put("description", "The intent of the customer's latest message.");
        labels.forEach(intent.putArray("enum")::add);
        ObjectNode schema = nodes.objectNode().put("type", "object");
        schema.putObject("properties").set(INTENT_ARGUMENT, intent);
        schema.putArray("required").add(INTENT_ARGUMENT);
        return ToolSet.of(List.of(new ToolSpec(TOOL_NAME, description, schema)));
    }
}
