package dev.tuneladder.core.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.index.SearchHit;

/** Renders one retrieved golden example as text for the few-shot block of the planner's system prompt. */
@FunctionalInterface
public interface ExampleRenderer {

    String render(SearchHit example);

    /**
     * Renders an intent example as the routing call that answers it:
     * <pre>
     * Request: I still have not received my card
     * Call: route({"intent":"card_arrival"})
     * </pre>
     */
    static ExampleRenderer routing() {
        return example -> {
            String arguments;
            try {
                arguments = Json.mapper().writeValueAsString(JsonNodeFactory.instance.objectNode()
                        .put(RoutingTool.INTENT_ARGUMENT, example.label()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("failed to write a one-field JSON object", e);
            }
            return "Request: " + example.text() + "\nCall: " + RoutingTool.TOOL_NAME + "(" + arguments + ")";
        };
    }

    /**
     * Renders an example whose label holds the expected outcome as text, for instance the JSON of the reference
     * tool calls: {@code Request: <text>} then {@code Expected: <label>} on the next line.
     */
    static ExampleRenderer labelled() {
        return example -> "Request: " + example.text() + "\nExpected: " + example.label();
    }
}
