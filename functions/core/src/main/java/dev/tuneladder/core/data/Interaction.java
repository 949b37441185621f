package dev.tuneladder.core.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One conversation to evaluate or learn from: the turns, the optional intent label, the optional reference
 * outcome, the tools offered to the planner and free-form metadata.
 *
 * @param id unique within its dataset
 * @param turns the conversation, oldest first; at least one turn
 * @param intent the routing label, or null when unlabelled
 * @param expected the reference outcome, or null when unknown
 * @param tools the function documents offered to the planner (JSON Schema style), empty when not given
 * @param metadata channel, escalation, feedback and other attributes; values are JSON scalars or objects
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Interaction(
        String id,
        List<Turn> turns,
        String intent,
        Expected expected,
        List<JsonNode> tools,
        Map<String, JsonNode> metadata) {

    public Interaction {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("interaction id is blank");
        }
        if (turns == null || turns.isEmpty()) {
            throw new IllegalArgumentException("interaction '" + id + "' has no turns");
        }
        turns = List.copyOf(turns);
        tools = tools == null ? List.of() : List.copyOf(tools);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (intent != null && intent.isBlank()) {
            intent = null;
        }
    }

    /** Creates a single-turn labelled interaction, the shape of intent-classification datasets. */
    public static Interaction ofUtterance(String id, String text, String intent) {
        return new Interaction(id, List.of(Turn.user(text)), intent, null, null, null);
    }

    /** Returns the content of the last user turn, the text a router or retriever looks at. */
    public String lastUserText() {
        for (int i = turns.size() - 1; i >= 0; i--) {
            if ("user".equals(turns.get(i).role())) {
                return turns.get(i).content();
            }
        }
        return turns.get(turns.size() - 1).content();
    }
}
