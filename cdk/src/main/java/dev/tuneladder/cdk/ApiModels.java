package dev.tuneladder.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the API's request schemas from {@code api/schemas/} as API Gateway models. The files refer to each other by
 * relative file name ({@code "$ref": "rubric.json"}), which API Gateway cannot resolve (it accepts only model URLs of
 * the same API), so each model gets the referenced schemas inlined.
 */
final class ApiModels {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path schemas;

    ApiModels(Path schemas) {
        this.schemas = schemas;
    }

    /** Returns the schema in the named file with every {@code $ref} to a sibling file replaced by that schema. */
    @SuppressWarnings("unchecked")
    Map<String, Object> inlined(String fileName) {
        ObjectNode schema = read(fileName);
        inline(schema, new ArrayDeque<>(java.util.List.of(fileName)));
        return MAPPER.convertValue(schema, Map.class);
    }

    /** Returns the schema's title without non-alphanumeric characters, a valid API Gateway model name. */
    String modelName(String fileName) {
        JsonNode title = read(fileName).get("title");
        if (title == null || !title.isTextual()) {
            throw new IllegalStateException("schema " + schemas.resolve(fileName) + " has no \"title\"; give it a"
                    + " title, which becomes the API Gateway model name");
        }
        return title.asText().replaceAll("[^A-Za-z0-9]", "");
    }

    private void inline(JsonNode node, Deque<String> path) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value instanceof ObjectNode child && child.has("$ref")) {
                    field.setValue(resolve(child, path));
                } else {
                    inline(value, path);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value instanceof ObjectNode child && child.has("$ref")) {
                    array.set(i, resolve(child, path));
                } else {
                    inline(value, path);
                }
            }
        }
    }

    private ObjectNode resolve(ObjectNode reference, Deque<String> path) {
        String target = reference.get("$ref").asText();
        if (target.startsWith("#") || target.contains("/") || !target.endsWith(".json")) {
            throw new IllegalStateException("schema " + schemas.resolve(path.peekLast()) + " has \"$ref\": \""
                    + target + "\"; only references to sibling files such as \"rubric.json\" are inlined for API"
                    + " Gateway");
        }
        if (path.contains(target)) {
            throw new IllegalStateException("schemas refer to each other in a cycle: " + path + " -> " + target
                    + "; API Gateway models cannot express it, so break the cycle");
        }
        ObjectNode referenced = read(target);
        referenced.remove("$schema");
        path.addLast(target);
        inline(referenced, path);
        path.removeLast();
        return referenced;
    }

    private ObjectNode read(String fileName) {
        Path file = schemas.resolve(fileName);
        try {
            JsonNode node = MAPPER.readTree(Files.readString(file));
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalStateException("schema " + file + " is not a JSON object");
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API schema " + file.toAbsolutePath(), e);
        }
    }
}
