package dev.tuneladder.handlers.apigateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API Gateway's {@code $input} in a mapping template: the payload being transformed (the method request body in a
 * request template, the integration response body in a response template) and the method request's parameters,
 * which a response template can read as well.
 *
 * <p>JSONPath support is the subset the templates use, {@code $} and dotted field names such as
 * {@code $.executionArn}; other expressions throw, so a template that needs more fails its test instead of being
 * rendered wrongly.
 */
public final class InputVariable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String body;
    private final Map<String, Map<String, String>> parameters;

    /**
     * @param body the payload as received
     * @param pathParameters method request path parameters
     * @param headers method request headers, with the names as the client sent them
     */
    public InputVariable(String body, Map<String, String> pathParameters, Map<String, String> headers) {
        this.body = body;
        this.parameters = new LinkedHashMap<>();
        parameters.put("path", Map.copyOf(pathParameters));
        parameters.put("querystring", Map.of());
        parameters.put("header", Map.copyOf(headers));
    }

    /** {@code $input.body}: the raw payload. */
    public String getBody() {
        return body;
    }

    /** {@code $input.json(x)}: the value at the JSONPath as JSON text. */
    public String json(String path) {
        try {
            return MAPPER.writeValueAsString(select(path));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code $input.path(x)}: the value at the JSONPath as a map, list, string, number, boolean or null. */
    public Object path(String path) {
        JsonNode node = select(path);
        return node.isMissingNode() ? null : MAPPER.convertValue(node, Object.class);
    }

    /** {@code $input.params()}: {@code path}, {@code querystring} and {@code header}, each a name-value map. */
    public Map<String, Map<String, String>> params() {
        return parameters;
    }

    /**
     * {@code $input.params(x)}: the parameter from the path, query string or headers, searched in that order; an
     * empty string when none has it.
     */
    public String params(String name) {
        for (String location : new String[] {"path", "querystring", "header"}) {
            String value = parameters.get(location).get(name);
            if (value != null) {
                return value;
            }
        }
        return "";
    }

    private JsonNode select(String path) {
        if (!path.equals("$") && !path.matches("\\$(\\.[A-Za-z_][A-Za-z0-9_]*)+")) {
            throw new IllegalArgumentException("JSONPath '" + path + "' is outside the subset this test harness"
                    + " evaluates ($ and $.name.name); extend InputVariable.select before using it in a template");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getOriginalMessage(), e);
        }
        for (String field : path.substring(1).split("\\.")) {
            if (!field.isEmpty()) {
                node = node.path(field);
            }
        }
        return node;
    }
}
