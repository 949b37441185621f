package dev.tuneladder.core.planner;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a JSON object out of free model text, which often wraps it in prose or a Markdown code fence.
 *
 * <p>The first {@code {} from which a complete JSON object parses wins; the text around it is ignored. Text with
 * a stray brace before the object (<code>use {x} like this: {"a": 1}</code>) still yields the later object.
 * Duplicate keys are rejected, because a model that writes {@code "score"} twice has not produced one value.
 */
public final class ModelJson {

    /** Unlike the shared mapper, this one stops after the first value and ignores the text that follows it. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ModelJson() {
    }

    /** The outcome of an extraction: the object, or the reason none was found. Exactly one is non-null. */
    public record Extraction(ObjectNode object, String error) {

        public Extraction {
            if ((object == null) == (error == null)) {
                throw new IllegalArgumentException("an extraction has either an object or an error");
            }
        }

        public boolean found() {
            return object != null;
        }
    }

    /** Returns the first JSON object in {@code text}, or the reason there is none. */
    public static Extraction firstObject(String text) {
        if (text == null || text.isBlank()) {
            return new Extraction(null, "the output is empty; expected a JSON object");
        }
        String firstError = null;
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            try (JsonParser parser = MAPPER.createParser(text.substring(start))) {
                JsonNode node = MAPPER.readTree(parser);
                if (node instanceof ObjectNode object) {
                    return new Extraction(object, null);
                }
            } catch (JsonProcessingException e) {
                if (firstError == null) {
                    firstError = "invalid JSON: " + e.getOriginalMessage();
                }
            } catch (IOException e) {
                // Reading from a String does no I/O, so this is unreachable in practice.
                throw new UncheckedIOException("failed to read model output", e);
            }
        }
        return new Extraction(null, firstError != null ? firstError : "the output contains no JSON object");
    }
}
