package dev.tuneladder.core.evaluation.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parts of an offered function document that the structured check uses: its name, the declared parameters
 * with their types, and the required parameter names.
 *
 * @param name the function name
 * @param parameters parameter name to declared type, in document order
 * @param required the names of the required parameters, each of them declared in {@code parameters}
 */
public record FunctionDoc(String name, Map<String, ParameterSpec> parameters, Set<String> required) {

    public FunctionDoc {
        Objects.requireNonNull(name, "name");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        required = Collections.unmodifiableSet(new LinkedHashSet<>(required));
        for (String parameter : required) {
            if (!parameters.containsKey(parameter)) {
                throw new IllegalArgumentException("function '" + name + "' lists '" + parameter + "' as required"
                        + " but does not declare it under parameters.properties; declare it or drop it from"
                        + " 'required'");
            }
        }
    }

    /**
     * Parses one function document: either the Berkeley Function Calling Leaderboard shape
     * {@code {name, description, parameters: {type, properties, required}}}, or the same object wrapped as
     * {@code {type: "function", function: {...}}}. A document without {@code parameters} takes no arguments.
     *
     * @throws IllegalArgumentException when the name is missing or a parameter has the wrong shape or an unknown
     *     type
     */
    public static FunctionDoc parse(JsonNode document) {
        JsonNode doc = document;
        if (doc != null && doc.isObject() && doc.path("function").isObject()) {
            doc = doc.get("function");
        }
        if (doc == null || !doc.isObject() || !doc.path("name").isTextual() || doc.get("name").asText().isBlank()) {
            throw new IllegalArgumentException("a function document must be a JSON object with a non-blank string"
                    + " 'name'");
        }
        String name = doc.get("name").asText();

        Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        JsonNode schema = doc.get("parameters");
        if (schema != null && !schema.isNull()) {
            JsonNode properties = schema.get("properties");
            if (properties != null && !properties.isObject()) {
                throw new IllegalArgumentException("parameters.properties of function '" + name + "' must be a"
                        + " JSON object of parameter name to type");
            }
            if (properties != null) {
                for (Map.Entry<String, JsonNode> property : properties.properties()) {
                    String path = name + "." + property.getKey();
                    parameters.put(property.getKey(), ParameterSpec.parse(property.getValue(), path));
                }
            }
            JsonNode requiredNode = schema.get("required");
            if (requiredNode != null && !requiredNode.isNull()) {
                if (!requiredNode.isArray()) {
                    throw new IllegalArgumentException("parameters.required of function '" + name + "' must be an"
                            + " array of parameter names");
                }
                requiredNode.forEach(parameter -> required.add(parameter.asText()));
            }
        }
        return new FunctionDoc(name, parameters, required);
    }

    /**
     * Parses every document and indexes them by name.
     *
     * @throws IllegalArgumentException when a document is invalid or two documents share a name
     */
    public static Map<String, FunctionDoc> byName(List<JsonNode> documents) {
        Map<String, FunctionDoc> byName = new LinkedHashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            FunctionDoc doc;
            try {
                doc = parse(documents.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("offered function " + i + ": " + e.getMessage(), e);
            }
            if (byName.putIfAbsent(doc.name(), doc) != null) {
                throw new IllegalArgumentException("two offered functions are named '" + doc.name() + "'; function"
                        + " names must be unique within a row");
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
