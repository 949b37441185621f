package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Field readers for the JSON form of the mergeable metric states. Every failure is a
 * {@link MetricsFormatException} that names the source (an S3 key or file), the field, and the method that writes
 * a valid state.
 */
public final class StateJsonFields {

    private StateJsonFields() {
    }

    /**
     * Returns an integer field.
     *
     * @param writer the method that writes the state, named in the fix, such as {@code RoutingMetricsState.toJson()}
     */
    public static long requireLong(JsonNode node, String field, String source, String writer) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MetricsFormatException(source + ": field '" + field + "' is missing or not an integer;"
                    + " write the state with " + writer, null);
        }
        return value.asLong();
    }

    /** Returns a non-blank text field. */
    public static String requireText(JsonNode node, String field, String source, String writer) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new MetricsFormatException(source + ": field '" + field + "' is missing or not a non-empty"
                    + " string; write the state with " + writer, null);
        }
        return value.asText();
    }

    /** Returns an array field of strings. */
    public static List<String> requireTexts(JsonNode node, String field, String source, String writer) {
        JsonNode array = requireArray(node, field, source, writer);
        List<String> texts = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isTextual()) {
                throw new MetricsFormatException(source + ": " + field + "[" + i + "] is not a string", null);
            }
            texts.add(array.get(i).asText());
        }
        return List.copyOf(texts);
    }

    /** Returns an array field. */
    public static JsonNode requireArray(JsonNode node, String field, String source, String writer) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new MetricsFormatException(source + ": field '" + field + "' is missing or not an array;"
                    + " write the state with " + writer, null);
        }
        return value;
    }

    /** Reads one integer per bootstrap replicate into {@code target}, whose length is the state's replicates. */
    public static void readLongs(JsonNode node, String field, long[] target, String source, String writer) {
        JsonNode array = requireArray(node, field, source, writer);
        if (array.size() != target.length) {
            throw new MetricsFormatException(source + ": field '" + field + "' has " + array.size()
                    + " values; the state has " + target.length + " bootstrap replicates", null);
        }
        for (int b = 0; b < target.length; b++) {
            if (!array.get(b).isIntegralNumber()) {
                throw new MetricsFormatException(source + ": " + field + "[" + b + "] is not an integer", null);
            }
            target[b] = array.get(b).asLong();
        }
    }
}
