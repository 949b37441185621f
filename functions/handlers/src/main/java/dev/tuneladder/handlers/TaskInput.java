package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One JSON object of a Step Functions task input, read field by field. Every read that fails throws
 * {@link InvalidTaskInput} naming the field by its path from the input's root, such as {@code spec.loraRank}.
 */
final class TaskInput {

    /**
     * A run id becomes a Step Functions execution name and a segment of {@code runs/{runId}/}: 1 to 80 letters,
     * digits, '.', '_' and '-', starting with a letter or digit. Execution names allow 80 characters.
     */
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    private final ObjectNode node;
    private final String path;

    private TaskInput(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** Wraps the root of an input; anything but an object is an {@link InvalidTaskInput}. */
    static TaskInput root(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidTaskInput(null, "the task input is " + kind(node) + ", not a JSON object; pass the"
                    + " state's input as an object with the fields the task documents");
        }
        return new TaskInput(object, "");
    }

    /** Returns the full path of {@code field}, such as {@code spec.loraRank}. */
    String path(String field) {
        return path + field;
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    /** Returns the field names in input order. */
    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Returns the run id, checked against {@link #RUN_ID}. */
    String runId() {
        String runId = text("runId");
        if (!RUN_ID.matcher(runId).matches()) {
            throw invalid("runId", "is '" + runId + "'; use 1 to 80 letters, digits, '.', '_' and '-', starting"
                    + " with a letter or digit, such as ft-2025-06-01-a");
        }
        return runId;
    }

    /** Returns a required, non-blank string field. */
    String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw invalid(field, "is missing; add it to the task's input");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(field, "must be a non-empty string, got " + kind(value));
        }
        return value.asText();
    }

    /** Returns a required string field that may be empty or blank. */
    String textAllowingBlank(String field) {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw invalid(field, "must be a string, got " + kind(value));
        }
        return value.asText();
    }

    /** Returns a string field, or null when it is absent or null. */
    String optionalText(String field) {
        return has(field) ? text(field) : null;
    }

    /** Returns a required whole-number field that fits an int. */
    int integer(String field) {
        JsonNode value = required(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(field, "must be a whole number, got " + kind(value));
        }
        return value.intValue();
    }

    /** Returns a whole-number field within [min, max], or {@code fallback} when it is absent or null. */
    long optionalLong(String field, long fallback, long min, long max) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            throw invalid(field, "must be a whole number from " + min + " to " + max + ", got " + kind(value));
        }
        return value.longValue();
    }

    /** Returns a required finite number field. */
    double number(String field) {
        JsonNode value = required(field);
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw invalid(field, "must be a number, got " + kind(value));
        }
        return value.doubleValue();
    }

    OptionalDouble optionalNumber(String field) {
        return has(field) ? OptionalDouble.of(number(field)) : OptionalDouble.empty();
    }

    /** Returns a required object field as a nested input whose paths start with {@code field.}. */
    TaskInput object(String field) {
        JsonNode value = required(field);
        if (!(value instanceof ObjectNode object)) {
            throw invalid(field, "must be a JSON object, got " + kind(value));
        }
        return new TaskInput(object, path(field) + ".");
    }

    /** Returns an object field as a nested input, or null when it is absent or null. */
    TaskInput optionalObject(String field) {
        return has(field) ? object(field) : null;
    }

    /** Returns a field's value as parsed, or null when it is absent or null, for fields read as raw JSON. */
    JsonNode value(String field) {
        return has(field) ? node.get(field) : null;
    }

    /** Returns a required array of non-blank strings. */
    List<String> textList(String field) {
        JsonNode value = required(field);
        if (!value.isArray()) {
            throw invalid(field, "must be an array of strings, got " + kind(value));
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                throw invalid(field + "[" + i + "]", "must be a string, got " + kind(item));
            }
            items.add(item.asText());
        }
        return items;
    }

    /** Returns a required object whose values are all strings, in input order. */
    Map<String, String> textMap(String field) {
        JsonNode value = required(field);
        if (!value.isObject()) {
            throw invalid(field, "must be a JSON object of string values, got " + kind(value));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw invalid(field + "." + entry.getKey(), "must be a string, got " + kind(entry.getValue())
                        + "; quote numbers and booleans");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }

    /** Returns an {@link InvalidTaskInput} for {@code field} whose message is the field's path and {@code problem}. */
    InvalidTaskInput invalid(String field, String problem) {
        return new InvalidTaskInput(path(field), "task input field '" + path(field) + "' " + problem);
    }

    private JsonNode required(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw invalid(field, "is missing; add it to the task's input");
        }
        return value;
    }

    /** Describes a value by its JSON type only, so that messages never quote long or private input. */
    private static String kind(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        return switch (value.getNodeType()) {
            case STRING -> value.asText().isBlank() ? "a blank string" : "a string";
            case NUMBER -> "the number " + value.asText();
            case BOOLEAN -> "the boolean " + value.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
        };
    }
}
