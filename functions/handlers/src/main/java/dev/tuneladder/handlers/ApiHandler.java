package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.model.ModelCallException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API Gateway proxy side shared by the route handlers: parses and validates the JSON body against the route's
 * schema, runs the route, and turns every failure into the shared error body. Status mapping: a validation failure
 * is 400, an unknown resource 404, a model that still throttles after the retries 429, anything else 500 with the
 * request id and no internals.
 */
abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    static final ObjectMapper MAPPER = Json.mapper();

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json");

    private final RequestSchemas schemas;

    ApiHandler(RequestSchemas schemas) {
        this.schemas = schemas;
    }

    /** The function name written in log lines. */
    abstract String function();

    /** The schema file of the request body, or null for a route that takes no body (a GET). */
    abstract String requestSchema();

    /**
     * Handles a request whose body fits {@link #requestSchema()}; returns the 200 body. The body is a missing node
     * when the route takes none.
     */
    abstract JsonNode handle(APIGatewayProxyRequestEvent event, JsonNode body);

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (Invocation ignored = Invocation.start(context, function())) {
            long started = System.nanoTime();
            APIGatewayProxyResponseEvent response = respond(event, context);
            LOG.info("request done: status={} millis={}", response.getStatusCode(),
                    (System.nanoTime() - started) / 1_000_000);
            return response;
        }
    }

    private APIGatewayProxyResponseEvent respond(APIGatewayProxyRequestEvent event, Context context) {
        try {
            JsonNode body = MAPPER.missingNode();
            if (requestSchema() != null) {
                body = parseBody(event);
                schemas.validate(requestSchema(), body);
            }
            return response(200, handle(event, body));
        } catch (ApiException e) {
            return error(e.status(), e.code(), e.getMessage(), e.field());
        } catch (RuntimeException e) {
            ModelCallException failure = Resilience.modelFailure(e);
            if (failure != null && failure.kind() == ModelCallException.Kind.THROTTLED) {
                return error(429, "throttled", "the model is throttling requests and retries did not get"
                        + " through; retry after a few seconds or lower the request rate", null);
            }
            if (failure != null) {
                LOG.error("model call failed: kind={} status={}", failure.kind(), failure.statusCode());
                return internalError(context);
            }
            // The exception class and stack only: messages of lower layers may quote request text.
            LOG.error("request failed: exception={}", e.getClass().getName());
            return internalError(context);
        }
    }

    private static JsonNode parseBody(APIGatewayProxyRequestEvent event) {
        String text = event == null ? null : event.getBody();
        if (text == null || text.isBlank()) {
            throw ApiException.validation(null, "the request body is empty; send a JSON object as described in"
                    + " api/openapi.json");
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            text = new String(java.util.Base64.getDecoder().decode(text), java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.validation(null, "the request body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); send a JSON object as described in api/openapi.json");
        }
    }

    /** Returns the path parameter, or a 400 naming it when API Gateway did not pass it. */
    static String pathParameter(APIGatewayProxyRequestEvent event, String name) {
        Map<String, String> parameters = event.getPathParameters();
        String value = parameters == null ? null : parameters.get(name);
        if (value == null || value.isBlank()) {
            throw ApiException.validation(name, "path parameter '" + name + "' is missing; call the route with"
                    + " it in the path");
        }
        return value;
    }

    static APIGatewayProxyResponseEvent response(int status, JsonNode body) {
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(JSON_HEADERS)
                .withBody(body.toString());
    }

    static APIGatewayProxyResponseEvent error(int status, String code, String message, String field) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (field == null) {
            error.putNull("field");
        } else {
            error.put("field", field);
        }
        return response(status, root);
    }

    private static APIGatewayProxyResponseEvent internalError(Context context) {
        String requestId = context == null ? "-" : context.getAwsRequestId();
        return error(500, "internal_error", "the request failed inside the service; retry it, and quote request"
                + " id " + requestId + " when reporting the failure", null);
    }
}
