package dev.tuneladder.core.evaluation.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The declared type of one parameter, or of an array item or object property nested inside one.
 *
 * @param type the declared type; {@link ParameterType#ANY} when the document gives none
 * @param items the type of every element of an array or tuple, or null when not declared
 * @param properties the types of an object's declared properties, in document order; empty when not declared
 */
public record ParameterSpec(ParameterType type, ParameterSpec items, Map<String, ParameterSpec> properties) {

    public ParameterSpec {
        Objects.requireNonNull(type, "type");
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Parses a JSON-Schema-like type object such as {@code {"type": "array", "items": {"type": "integer"}}}.
     *
     * @param path where the object sits, for error messages, such as {@code get_weather.city}
     * @throws IllegalArgumentException when the node or its {@code type}, {@code items} or {@code properties} has
     *     the wrong shape
     */
    static ParameterSpec parse(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("parameter " + path + " must be a JSON object with a 'type' field");
        }
        JsonNode typeNode = node.get("type");
        ParameterType type;
        if (typeNode == null || typeNode.isNull()) {
            type = ParameterType.ANY;
        } else if (!typeNode.isTextual()) {
            throw new IllegalArgumentException("parameter " + path + " has a non-string 'type'; write one type name"
                    + " such as \"string\"");
        } else {
            try {
                type = ParameterType.ofDocName(typeNode.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter " + path + ": " + e.getMessage(), e);
            }
        }

        ParameterSpec items = null;
        JsonNode itemsNode = node.get("items");
        if (itemsNode != null && !itemsNode.isNull()) {
            items = parse(itemsNode, path + "[]");
        }

        Map<String, ParameterSpec> properties = new LinkedHashMap<>();
        JsonNode propertiesNode = node.get("properties");
        if (propertiesNode != null && !propertiesNode.isNull()) {
            if (!propertiesNode.isObject()) {
                throw new IllegalArgumentException("'properties' of parameter " + path + " must be a JSON object");
            }
            for (Map.Entry<String, JsonNode> property : propertiesNode.properties()) {
                properties.put(property.getKey(), parse(property.getValue(), path + "." + property.getKey()));
            }
        }
        return new ParameterSpec(type, items, properties);
    }

    /** Where a value's type differs from the declared one, for the failure detail. */
    record TypeMismatch(String path, ParameterType expected, String actual) {
    }

    /**
     * Returns the first value inside {@code value}, searched depth first, whose type does not match its declared
     * type, or null when every declared type matches. Object properties the spec does not declare are not checked.
     *
     * @param path the path of {@code value}, such as {@code city}, used in the returned mismatch
     */
    TypeMismatch firstTypeMismatch(JsonNode value, String path) {
        if (!type.admits(value)) {
            return new TypeMismatch(path, type, value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (items != null && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                TypeMismatch mismatch = items.firstTypeMismatch(value.get(i), path + "[" + i + "]");
                if (mismatch != null) {
                    return mismatch;
                }
            }
        }
        if (!properties.isEmpty() && value.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                ParameterSpec property = properties.get(field.getKey());
                TypeMismatch mismatch = property == null ? null
                        : property.firstTypeMismatch(field.getValue(), path + "." + field.getKey());
                if (mismatch != null) {
                    return mismatch;
                }
            }
        }
        return null;
    }
}
