package dev.tuneladder.aws.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** Converts between Jackson trees and the SDK's {@link Document}, which Converse uses for free-form JSON. */
final class JsonDocuments {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonDocuments() {
    }

    /** Converts a Jackson tree; numbers keep their exact decimal text. */
    static Document toDocument(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Document> members = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    members.put(field.getKey(), toDocument(field.getValue()));
                }
                return Document.fromMap(members);
            }
            case ARRAY -> {
                List<Document> elements = new ArrayList<>(node.size());
                node.forEach(element -> elements.add(toDocument(element)));
                return Document.fromList(elements);
            }
            case STRING -> {
                return Document.fromString(node.textValue());
            }
            case NUMBER -> {
                return Document.fromNumber(SdkNumber.fromString(node.numberValue().toString()));
            }
            case BOOLEAN -> {
                return Document.fromBoolean(node.booleanValue());
            }
            case NULL, MISSING -> {
                return Document.fromNull();
            }
            default -> throw new IllegalArgumentException("JSON node of type " + node.getNodeType()
                    + " has no Document form; use only JSON objects, arrays, strings, numbers, booleans and null");
        }
    }

    /**
     * Converts a Document to the Jackson tree that {@link ObjectMapper#readTree} would build from the same JSON,
     * so that numbers become the same node types (IntNode, LongNode, DoubleNode) as in datasets read from files
     * and compare equal to them.
     */
    static JsonNode toJson(Document document) {
        if (document == null || document.isNull()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (document.isMap()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            document.asMap().forEach((name, value) -> object.set(name, toJson(value)));
            return object;
        }
        if (document.isList()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            document.asList().forEach(element -> array.add(toJson(element)));
            return array;
        }
        if (document.isString()) {
            return JsonNodeFactory.instance.textNode(document.asString());
        }
        if (document.isBoolean()) {
            return JsonNodeFactory.instance.booleanNode(document.asBoolean());
        }
        return parseNumber(document.asNumber());
    }

    private static JsonNode parseNumber(SdkNumber number) {
        try {
            return MAPPER.readTree(number.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Document number '" + number + "' is not a JSON number", e);
        }
    }
}
