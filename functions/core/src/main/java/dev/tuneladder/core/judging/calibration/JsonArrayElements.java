package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Streams the elements of a file that contains one JSON array, handing each to a consumer with its index and the line
 * where it starts. An element the consumer rejects goes to {@link BadRows} as {@code source:line} with the reason
 * prefixed by {@code element [index]}, and its compact JSON as the raw row.
 */
final class JsonArrayElements {

    /** Reads one element at a time; the shared mapper's trailing-token check would reject the next element. */
    private static final ObjectReader ELEMENT_READER = Json.mapper().readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonArrayElements() {
    }

    /** Checks one element; throws {@link IllegalArgumentException} with the reason to reject it. */
    @FunctionalInterface
    interface ElementConsumer {
        void accept(int index, long line, JsonNode element);
    }

    /**
     * Reads every element of the top-level array.
     *
     * @param expected a description of the expected content, for messages
     * @throws DatasetFormatException when the file is not one JSON array, is not valid JSON (parsing cannot go on
     *     past a syntax error), has no elements, or has more bad elements than {@code badRows} allows
     */
    static void read(Reader input, String source, String expected, BadRows badRows, ElementConsumer consumer) {
        int index = 0;
        try (JsonParser parser = Json.mapper().createParser(input)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new DatasetFormatException(source + " must contain one JSON array of " + expected
                        + ", but starts with " + (first == null ? "nothing" : parser.getText()) + ".");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new DatasetFormatException(source + " ends inside the JSON array; the file is truncated.");
                }
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode element = ELEMENT_READER.readValue(parser);
                try {
                    consumer.accept(index, line, element);
                } catch (IllegalArgumentException e) {
                    badRows.reject(source, line, "element [" + index + "]: " + e.getMessage(), element.toString());
                }
                index++;
            }
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":"
                    + e.getLocation().getColumnNr();
            throw new DatasetFormatException(source + location + ": invalid JSON in element [" + index + "]: "
                    + e.getOriginalMessage() + ". Fix the file; reading cannot continue past a syntax error.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + source, e);
        }
        if (index == 0) {
            throw new DatasetFormatException(source + " has no elements: expected a JSON array of " + expected + ".");
        }
    }

    /** Returns the text of a required string field, or throws with the field name. */
    static String requireText(JsonNode element, String field) {
        JsonNode value = element.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, got " + value.getNodeType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        return value.asText();
    }
}
