package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates request bodies with the JSON Schema files of the API contract ({@code api/schemas/*.json}, packed on
 * the class path under {@value #CLASSPATH_ROOT}), the same files API Gateway's request models are built from.
 * Draft 4 is the dialect, because API Gateway models accept only draft 4. Thread-safe.
 */
public final class RequestSchemas {

    /** Class path folder of the schema files. */
    public static final String CLASSPATH_ROOT = "api/schemas/";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** Returns the parsed schema of one file, such as {@code fewshot-search-request.json}. */
    public Schema schema(String file) {
        return schemas.computeIfAbsent(file, name -> {
            Schema schema = REGISTRY.getSchema(SchemaLocation.of("classpath:" + CLASSPATH_ROOT + name));
            schema.initializeValidators();
            return schema;
        });
    }

    /**
     * Throws a 400 {@link ApiException} naming the first field that breaks the schema; returns when the body fits.
     */
    public void validate(String file, JsonNode body) {
        List<Error> errors = schema(file).validate(body);
        if (errors.isEmpty()) {
            return;
        }
        Error first = errors.get(0);
        String field = fieldOf(first);
        throw ApiException.validation(field, "request body field '" + (field == null ? "(body)" : field)
                + "' is invalid: " + first.getMessage() + ". Fix: send a body that matches " + CLASSPATH_ROOT + file
                + " (see api/openapi.json).");
    }

    /**
     * Writes the error's instance location as {@code examples[1].text}: draft 4 reports it as a JSON pointer
     * ({@code /examples/1}), and for a missing required property the property is reported apart from it.
     */
    static String fieldOf(Error error) {
        String pointer = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        StringBuilder field = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty() || segment.equals("$")) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                field.append('[').append(name).append(']');
            } else {
                field.append(field.length() == 0 ? "" : ".").append(name);
            }
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            field.append(field.length() == 0 ? "" : ".").append(error.getProperty());
        }
        return field.length() == 0 ? null : field.toString();
    }
}
