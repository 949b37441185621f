package dev.tuneladder.core.evaluation.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Comparison of produced argument values with a reference's accepted values, in the manner of the Berkeley
 * Function Calling Leaderboard answer files.
 *
 * <p>An accepted value is a JSON value, except that every JSON object inside it maps each key to a list of
 * accepted values for that key, recursively: {@code {"min": [300000], "max": [400000, 400000.5]}}. The empty string
 * in an accepted-value list means the argument or key may be omitted.
 *
 * <p>A produced value matches an accepted value when:
 * <ul>
 *   <li>both are strings that are equal after {@link #normalize};
 *   <li>both are numbers with the same value ({@code 5} matches {@code 5.0});
 *   <li>both are booleans, or both null, and equal;
 *   <li>both are arrays of the same length whose elements match pairwise, in order;
 *   <li>the accepted value is an object, the produced value is an object, every produced key is accepted and its
 *       value matches one of that key's accepted values, and every accepted key the produced object omits has the
 *       empty string among its accepted values.
 * </ul>
 */
public final class AcceptedValues {

    private AcceptedValues() {
    }

    /**
     * Normalizes a string for comparison: removes every whitespace character and each of the characters
     * {@code , . / - _ * ^}, replaces the single quote {@code '} by the double quote {@code "}, and lower-cases the
     * rest with {@link Locale#ROOT}. These are the characters the leaderboard's checker strips, so "New York, NY"
     * equals "newyorkny" and "2021-01-28" equals "20210128". Other punctuation, such as {@code : ; ( ) @}, is kept.
     */
    public static String normalize(String text) {
        StringBuilder normalized = new StringBuilder(text.length());
        text.codePoints().forEach(codePoint -> {
            if (Character.isWhitespace(codePoint) || isStripped(codePoint)) {
                return;
            }
            normalized.appendCodePoint(codePoint == '\'' ? '"' : codePoint);
        });
        return normalized.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isStripped(int codePoint) {
        return switch (codePoint) {
            case ',', '.', '/', '-', '_', '*', '^' -> true;
            default -> false;
        };
    }

    /** Returns whether {@code value} is the empty-string marker that lets an argument or key be omitted. */
    public static boolean isOmissionMarker(JsonNode value) {
        return value.isTextual() && value.asText().isEmpty();
    }

    /** Returns whether the list contains the empty-string marker, so the argument may be omitted. */
    public static boolean mayBeOmitted(List<JsonNode> acceptedValues) {
        return acceptedValues.stream().anyMatch(AcceptedValues::isOmissionMarker);
    }

    /** Returns whether {@code produced} matches any of {@code acceptedValues}. */
    public static boolean matchesAny(JsonNode produced, List<JsonNode> acceptedValues, String path) {
        for (JsonNode accepted : acceptedValues) {
            if (matches(produced, accepted, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether {@code produced} matches one accepted value, by the rules in the class documentation.
     *
     * @param path where the value sits, such as {@code get_weather.city}, for the error message
     * @throws IllegalArgumentException when an object inside the accepted value maps a key to something other
     *     than an array of accepted values
     */
    public static boolean matches(JsonNode produced, JsonNode accepted, String path) {
        if (accepted.isObject()) {
            return produced.isObject() && matchesObject((ObjectNode) produced, accepted, path);
        }
        if (accepted.isArray()) {
            if (!produced.isArray() || produced.size() != accepted.size()) {
                return false;
            }
            for (int i = 0; i < accepted.size(); i++) {
                if (!matches(produced.get(i), accepted.get(i), path + "[" + i + "]")) {
                    return false;
                }
            }
            return true;
        }
        if (accepted.isTextual()) {
            return produced.isTextual() && normalize(produced.asText()).equals(normalize(accepted.asText()));
        }
        if (accepted.isNumber()) {
            return produced.isNumber() && produced.decimalValue().compareTo(accepted.decimalValue()) == 0;
        }
        return produced.equals(accepted);
    }

    private static boolean matchesObject(ObjectNode produced, JsonNode accepted, String path) {
        for (Map.Entry<String, JsonNode> field : produced.properties()) {
            JsonNode acceptedForKey = accepted.get(field.getKey());
            if (acceptedForKey == null) {
                return false;
            }
            String keyPath = path + "." + field.getKey();
            if (!matchesAny(field.getValue(), acceptedList(acceptedForKey, keyPath), keyPath)) {
                return false;
            }
        }
        for (Map.Entry<String, JsonNode> field : accepted.properties()) {
            String keyPath = path + "." + field.getKey();
            if (!produced.has(field.getKey()) && !mayBeOmitted(acceptedList(field.getValue(), keyPath))) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> acceptedList(JsonNode node, String path) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("accepted value at " + path + " must be an array of accepted values,"
                    + " because an object inside an accepted value maps each key to its accepted values; wrap a"
                    + " single value in [ ]");
        }
        List<JsonNode> list = new ArrayList<>(node.size());
        node.forEach(list::add);
        return list;
    }

    /**
     * Builds the concrete value that the first accepted choice describes: an object takes each key's first accepted
     * value (leaving out keys whose first value is the omission marker), an array builds each element, and any
     * other value is itself.
     */
    public static JsonNode firstChoice(JsonNode accepted) {
        if (accepted.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : accepted.properties()) {
                List<JsonNode> values = acceptedList(field.getValue(), field.getKey());
                if (!values.isEmpty() && !isOmissionMarker(values.get(0))) {
                    object.set(field.getKey(), firstChoice(values.get(0)));
                }
            }
            return object;
        }
        if (accepted.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode(accepted.size());
            accepted.forEach(element -> array.add(firstChoice(element)));
            return array;
        }
        return accepted.deepCopy();
    }

    /**
     * Builds the call that takes the first accepted value of each argument and omits the arguments whose first
     * accepted value is the omission marker or whose list is empty. It is what a planner that always gives the
     * preferred reference answer would produce.
     */
    public static ToolCall firstChoiceCall(AcceptedCall reference) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<JsonNode>> argument : reference.acceptedValues().entrySet()) {
            List<JsonNode> values = argument.getValue();
            if (!values.isEmpty() && !isOmissionMarker(values.get(0))) {
                arguments.set(argument.getKey(), firstChoice(values.get(0)));
            }
        }
        return new ToolCall(reference.name(), arguments);
    }

    /**
     * Turns a reference call with one concrete value per argument into an accepted call that accepts exactly those
     * values and lets no argument be omitted. Objects in the values are wrapped so that each key accepts its one
     * value.
     */
    public static AcceptedCall exactly(ToolCall reference) {
        Map<String, List<JsonNode>> accepted = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> argument : reference.arguments().properties()) {
            accepted.put(argument.getKey(), List.of(asAccepted(argument.getValue())));
        }
        return new AcceptedCall(reference.name(), accepted);
    }

    private static JsonNode asAccepted(JsonNode value) {
        if (value.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                object.set(field.getKey(), JsonNodeFactory.instance.arrayNode().add(asAccepted(field.getValue())));
            }
            return object;
        }
        if (value.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode(value.size());
            value.forEach(element -> array.add(asAccepted(element)));
            return array;
        }
        return value.deepCopy();
    }
}
