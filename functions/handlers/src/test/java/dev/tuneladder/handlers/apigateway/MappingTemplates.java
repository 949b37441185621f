package dev.tuneladder.handlers.apigateway;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;

/**
 * Renders the API's mapping templates ({@code api/integration/*.vtl}) as API Gateway would, with Apache Velocity
 * and stand-ins for {@code $input}, {@code $util} and {@code $context}.
 *
 * <p>API Gateway's engine behaves like Velocity 1.7, so the engine here is set to 1.7's rules where 2.x changed
 * them: whitespace around directives is kept as 1.7 kept it, and an empty string counts as true in {@code #if}.
 * Gateway responses are not run through Velocity at all: API Gateway only substitutes {@code $context} variables
 * in them, which {@link #substitute} reproduces.
 */
public final class MappingTemplates {

    /** The folder of the template files, from the handlers module. */
    public static final Path FOLDER = Path.of("../../api/integration");

    private final VelocityEngine engine;

    public MappingTemplates() {
        engine = new VelocityEngine();
        engine.setProperty(RuntimeConstants.SPACE_GOBBLING, "bc");
        engine.setProperty(RuntimeConstants.CHECK_EMPTY_OBJECTS, false);
        engine.init();
    }

    /** What a mapping template produced: the body, and the status that it set through responseOverride, if any. */
    public record Rendered(String body, Integer statusOverride) {
    }

    /**
     * Renders one template file.
     *
     * @param file the file name under {@link #FOLDER}
     * @param placeholders values for the {@code ${Name}} placeholders that the CDK app replaces before deploying;
     *     each must occur in the file
     * @param input the {@code $input} of the request or response
     * @param requestId {@code $context.requestId}
     * @param resourcePath {@code $context.resourcePath}, such as {@code /v1/datasets/{dataset}/splits}
     */
    public Rendered render(String file, Map<String, String> placeholders, InputVariable input, String requestId,
            String resourcePath) {
        String text = withPlaceholders(file, placeholders);

        Map<String, Object> responseOverride = new LinkedHashMap<>();
        responseOverride.put("header", new LinkedHashMap<String, String>());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("requestId", requestId);
        context.put("resourcePath", resourcePath);
        context.put("responseOverride", responseOverride);

        VelocityContext variables = new VelocityContext();
        variables.put("input", input);
        variables.put("util", new UtilVariable());
        variables.put("context", context);
        StringWriter out = new StringWriter();
        engine.evaluate(variables, out, file, text);

        Object status = responseOverride.get("status");
        return new Rendered(out.toString(), status == null ? null : Integer.valueOf(status.toString()));
    }

    /**
     * Applies API Gateway's gateway-response substitution: each {@code $context} variable named in {@code values}
     * is replaced by its value, longest names first so that {@code $context.error.messageString} is not read as
     * {@code $context.error.message} followed by text.
     */
    public static String substitute(String file, Map<String, String> placeholders, Map<String, String> values) {
        String text = withPlaceholders(file, placeholders);
        for (String name : values.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .toList()) {
            text = text.replace(name, values.get(name));
        }
        return text;
    }

    private static String withPlaceholders(String file, Map<String, String> placeholders) {
        String text;
        try {
            text = Files.readString(FOLDER.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            String token = "${" + placeholder.getKey() + "}";
            if (!text.contains(token)) {
                throw new IllegalArgumentException(file + " has no placeholder " + token);
            }
            text = text.replace(token, placeholder.getValue());
        }
        return text;
    }
}
