package dev.tuneladder.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reference tool call whose arguments may take any of several accepted values, in the manner of the
 * Berkeley Function Calling Leaderboard answer files.
 *
 * <p>An accepted-value list that contains the empty string {@code ""} means the argument may be omitted.
 *
 * @param name the tool (function) name
 * @param acceptedValues argument name to the list of values a correct call may pass, in insertion order
 */
public record AcceptedCall(String name, Map<String, List<JsonNode>> acceptedValues) {

    public AcceptedCall {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("accepted call name is blank");
        }
        Map<String, List<JsonNode>> copy = new LinkedHashMap<>();
        if (acceptedValues != null) {
            acceptedValues.forEach((argument, values) -> copy.put(argument, List.copyOf(values)));
        }
        acceptedValues = java.util.Collections.unmodifiableMap(copy);
    }
}
