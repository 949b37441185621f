package dev.tuneladder.core.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Converts Berkeley Function Calling Leaderboard (BFCL) function documents into tool specifications whose input
 * schema is valid JSON Schema.
 *
 * <p>A BFCL document is {@code {name, description, parameters}} where {@code parameters} is
 * {@code {type: "dict", properties: {...}, required: [...]}} and property types use Python names. The conversion:
 * <ul>
 *   <li>types {@code dict} → {@code object}, {@code float} → {@code number}, {@code tuple} → {@code array};
 *       {@code any} drops the type keyword, so any value is valid. JSON Schema type names pass through.
 *   <li>keywords kept at every level: {@code type}, {@code description}, {@code properties}, {@code required},
 *       {@code items}, {@code enum}, {@code default}, {@code format}, {@code minimum}, {@code maximum}. Other
 *       keywords are dropped; BFCL's non-standard {@code optional} flag is one of them, and {@code required}
 *       already carries the same information.
 *   <li>the top level is always {@code {type: "object", properties, required}}, empty when the function takes no
 *       arguments.
 *   <li>a name in {@code required} that is missing from {@code properties} gets an empty schema {@code {}} there.
 *       JSON Schema already accepts any value for such a name, so the set of valid arguments stays the same, but
 *       every required name then appears among the properties. BFCL's {@code parallel_29} needs this: its
 *       {@code population} dict lists required keys and no properties.
 *   <li>tool names are made provider-safe by {@link ToolSet#of}, which keeps the map back to the BFCL name.
 * </ul>
 */
public final class BfclToolSchemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> TYPE_NAMES = Map.of(
            "dict", "object",
            "float", "number",
            "tuple", "array",
            "object", "object",
            "number", "number",
            "array", "array",
            "string", "string",
            "integer", "integer",
            "boolean", "boolean",
            "null", "null");
    private static final List<String> COPIED_KEYWORDS =
            List.of("description", "enum", "default", "format", "minimum", "maximum");

    private BfclToolSchemas() {
    }

    /**
     * Converts the function documents of one interaction, in order, into a tool set.
     *
     * @throws ToolSchemaException when a document is not of the shape above; the message names the function and
     *     the field at fault
     */
    public static ToolSet toToolSet(List<JsonNode> functionDocuments) {
        List<ToolSpec> specs = new ArrayList<>();
        for (int i = 0; i < functionDocuments.size(); i++) {
            specs.add(toToolSpec(functionDocuments.get(i), i));
        }
        try {
            return ToolSet.of(specs);
        } catch (IllegalArgumentException e) {
            throw new ToolSchemaException(e.getMessage());
        }
    }

    /** Converts one function document; {@code position} is its index, used in messages when it has no name. */
    public static ToolSpec toToolSpec(JsonNode document, int position) {
        if (document == null || !document.isObject()) {
            throw new ToolSchemaException("function document " + position + " is not a JSON object");
        }
        JsonNode name = document.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new ToolSchemaException("function document " + position + " has no 'name' text");
        }
        String function = name.asText();
        JsonNode description = document.get("description");
        ObjectNode schema = topLevelSchema(document.get("parameters"), function);
        return new ToolSpec(function, description != null && description.isTextual() ? description.asText() : "",
                schema);
    }

    private static ObjectNode topLevelSchema(JsonNode parameters, String function) {
        if (parameters == null || parameters.isNull()) {
            ObjectNode empty = NODES.objectNode().put("type", "object");
            empty.set("properties", NODES.objectNode());
            empty.set("required", NODES.arrayNode());
            return empty;
        }
        ObjectNode schema = convert(parameters, function, "parameters");
        if (!"object".equals(schema.path("type").asText())) {
            throw new ToolSchemaException("function '" + function + "': 'parameters' has type '"
                    + parameters.path("type").asText() + "'; the arguments of a tool must be a dict (object)");
        }
        if (!schema.has("properties")) {
            schema.set("properties", NODES.objectNode());
        }
        if (!schema.has("required")) {
            schema.set("required", NODES.arrayNode());
        }
        return schema;
    }

    private static ObjectNode convert(JsonNode source, String function, String path) {
        if (!source.isObject()) {
            throw new ToolSchemaException("function '" + function + "': '" + path + "' is not a JSON object");
        }
        ObjectNode target = NODES.objectNode();
        JsonNode type = source.get("type");
        if (type != null) {
            String converted = convertType(type, function, path);
            if (converted != null) {
                target.put("type", converted);
            }
        }
        for (String keyword : COPIED_KEYWORDS) {
            if (source.has(keyword)) {
                target.set(keyword, source.get(keyword).deepCopy());
            }
        }
        if (source.has("items")) {
            target.set("items", convert(source.get("items"), function, path + ".items"));
        }
        if (source.has("properties")) {
            target.set("properties", convertProperties(source.get("properties"), function, path));
        }
        if (source.has("required")) {
            target.set("required", convertRequired(source.get("required"), target, function, path));
        }
        return target;
    }

    private static String convertType(JsonNode type, String function, String path) {
        if (!type.isTextual()) {
            throw new ToolSchemaException("function '" + function + "': '" + path + ".type' is " + type
                    + "; expected one type name such as \"string\" or \"dict\"");
        }
        if (type.asText().equals("any")) {
            return null;
        }
        String converted = TYPE_NAMES.get(type.asText());
        if (converted == null) {
            throw new ToolSchemaException("function '" + function + "': '" + path + ".type' is '" + type.asText()
                    + "', which is not a BFCL or JSON Schema type; use one of " + TYPE_NAMES.keySet()
                    + " or any");
        }
        return converted;
    }

    private static ObjectNode convertProperties(JsonNode properties, String function, String path) {
        if (!properties.isObject()) {
            throw new ToolSchemaException("function '" + function + "': '" + path
                    + ".properties' is not a JSON object of parameter name to schema");
        }
        ObjectNode converted = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            converted.set(field.getKey(), convert(field.getValue(), function, path + ".properties." + field.getKey()));
        }
        return converted;
    }

    private static ArrayNode convertRequired(JsonNode required, ObjectNode target, String function, String path) {
        if (!required.isArray()) {
            throw new ToolSchemaException("function '" + function + "': '" + path
                    + ".required' is not an array of parameter names");
        }
        ArrayNode converted = NODES.arrayNode();
        for (JsonNode name : required) {
            if (!name.isTextual()) {
                throw new ToolSchemaException("function '" + function + "': '" + path + ".required' contains "
                        + name + ", which is not a parameter name");
            }
            ObjectNode properties = target.has("properties")
                    ? (ObjectNode) target.get("properties")
                    : target.putObject("properties");
            if (!properties.has(name.asText())) {
                properties.putObject(name.asText());
            }
            converted.add(name.asText());
        }
        return converted;
    }
}
