package dev.tuneladder.core.model.openai;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.InferenceSettings;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ToolCallIds;
import dev.tuneladder.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Converts between the provider-neutral chat records and the OpenAI chat completions JSON body, for every client
 * that speaks it: OpenAI-compatible HTTP servers and Bedrock InvokeModel on imported models. The clients keep their
 * transport and their mapping of transport errors; {@link Options} contains the few places where the servers differ.
 *
 * <p>Parse errors name the position and field at fault, never the text around it, because that text is the
 * model's output about customer input. The unreadable text goes into {@link ModelCallException#rawResponse()}.
 * Thread-safe.
 */
public final class OpenAiChatCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;

    public OpenAiChatCodec(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The parts of the body where servers that speak this format differ.
     *
     * @param sendsModel whether the request carries a {@code model} field. An OpenAI-compatible server selects the
     *     model by it. Bedrock InvokeModel takes the model id from the request path instead, and the body it
     *     documents for imported models (the "Invoke your imported model" guide) has no model field.
     * @param sendsToolChoice whether a request with tools carries {@code tool_choice: "auto"}, which is also the
     *     OpenAI API's default when tools are present
     * @param readsCachedTokens whether {@code usage.prompt_tokens_details.cached_tokens} is split off the prompt
     *     tokens into {@link TokenUsage#cacheReadTokens()}; when false the field is ignored
     * @param reportsResponseModel whether a non-blank {@code model} field of the response becomes
     *     {@link ChatResponse#modelId()}; when false, or when the field is missing, the requested model id does
     */
    public record Options(boolean sendsModel, boolean sendsToolChoice, boolean readsCachedTokens,
            boolean reportsResponseModel) {

        /** OpenAI-compatible servers such as llama.cpp's {@code llama-server}, vLLM and Ollama: all parts on. */
        public static final Options OPENAI_SERVER = new Options(true, true, true, true);
    }

    /**
     * The origin of a response, which goes into the {@link ChatResponse} and into every error message.
     *
     * @param requestedModel the model id of the request
     * @param statusCode the HTTP status of the response, carried by the exceptions
     * @param description the endpoint and model, which starts every error message, for example
     *     {@code OpenAI-compatible server http://127.0.0.1:8080/v1/chat/completions (model qwen2.5-7b)}
     * @param advice a sentence on what to check when the body is malformed, appended to every error message, or
     *     null for none
     */
    public record ResponseSource(String requestedModel, int statusCode, String description, String advice) {

        public ResponseSource {
            Objects.requireNonNull(requestedModel, "requestedModel");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Builds the request body: {@code model} when the options send it, {@code messages} with the system prompt
     * first, {@code tools} as functions (with {@code tool_choice: auto} when the options send it), and the sampling
     * settings that are set. A tool with an empty description gets no {@code description} field, which the OpenAI
     * function definition marks optional.
     */
    public String requestBody(ChatRequest request) {
        ObjectNode body = JSON.createObjectNode();
        if (options.sendsModel()) {
            body.put("model", request.modelId());
        }
        body.set("messages", messages(request));

        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec spec : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", spec.name());
                if (!spec.description().isEmpty()) {
                    function.put("description", spec.description());
                }
                function.set("parameters", spec.inputSchema());
            }
            if (options.sendsToolChoice()) {
                body.put("tool_choice", "auto");
            }
        }

        InferenceSettings settings = request.settings();
        if (settings.temperature() != null) {
            body.put("temperature", settings.temperature());
        }
        if (settings.maxTokens() != null) {
            body.put("max_tokens", settings.maxTokens());
        }
        if (settings.topP() != null) {
            body.put("top_p", settings.topP());
        }
        if (!settings.stopSequences().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            settings.stopSequences().forEach(stop::add);
        }
        return body.toString();
    }

    /** Builds {@code messages}. The ids on assistant tool calls follow {@link ToolCallIds}. */
    private static ArrayNode messages(ChatRequest request) {
        ArrayNode messages = JSON.createArrayNode();
        if (!request.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        List<List<String>> callIds = ToolCallIds.assign(request.messages());
        for (int m = 0; m < request.messages().size(); m++) {
            ChatMessage message = request.messages().get(m);
            ObjectNode node = messages.addObject().put("role", message.role());
            if (message.role().equals("tool")) {
                node.put("tool_call_id", message.toolCallId());
                node.put("content", message.content());
            } else if (message.toolCalls().isEmpty()) {
                node.put("content", message.content());
            } else {
                // OpenAI expects null content on an assistant message that only calls tools.
                if (message.content().isEmpty()) {
                    node.putNull("content");
                } else {
                    node.put("content", message.content());
                }
                ArrayNode calls = node.putArray("tool_calls");
                for (int c = 0; c < message.toolCalls().size(); c++) {
                    ToolCall call = message.toolCalls().get(c);
                    ObjectNode entry = calls.addObject().put("id", callIds.get(m).get(c)).put("type", "function");
                    entry.putObject("function").put("name", call.name())
                            .put("arguments", call.arguments().toString());
                }
            }
        }
        return messages;
    }

    /**
     * Reads a successful response: {@code choices[0].message} (content and tool calls), {@code finish_reason},
     * {@code usage} and, when the options read it, {@code model}. Tool call arguments may be the documented JSON
     * string or, as some servers send them, a JSON object. Message content may be a string, null, or an array of
     * text parts.
     *
     * @throws ModelCallException of kind {@link Kind#MALFORMED_RESPONSE} when the body is not the documented shape
     *     or a tool call's arguments are not a JSON object
     */
    public ChatResponse parseResponse(String body, long latencyMillis, ResponseSource source) {
        Objects.requireNonNull(source, "source");
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // The parser's own message quotes the offending token, so only its position goes into ours.
            throw malformed(source, "returned a body that is not JSON (" + position(e.getLocation()) + ")", body);
        }
        if (root == null || !root.isObject()) {
            throw malformed(source, "returned JSON that is not an object", body);
        }

        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw malformed(source, "returned no choices[]", body);
        }
        JsonNode message = choices.get(0).path("message");
        if (!message.isObject()) {
            throw malformed(source, "returned choices[0] without a message object", body);
        }

        String text = content(message.path("content"), source, body);
        List<ToolCall> toolCalls = new ArrayList<>();
        List<String> toolCallIds = new ArrayList<>();
        JsonNode calls = message.path("tool_calls");
        if (calls.isArray()) {
            for (int i = 0; i < calls.size(); i++) {
                JsonNode call = calls.get(i);
                toolCalls.add(toolCall(call, i, source, body));
                toolCallIds.add(call.path("id").isTextual() ? call.path("id").asText() : null);
            }
        } else if (!calls.isMissingNode() && !calls.isNull()) {
            throw malformed(source, "returned tool_calls that is not an array", body);
        }

        JsonNode finishReason = choices.get(0).path("finish_reason");
        String stopReason = finishReason.isTextual() ? finishReason.asText() : null;
        TokenUsage usage = usage(root.path("usage"), source, body);
        return new ChatResponse(text, toolCalls, toolCallIds, stopReason, usage, latencyMillis, modelId(root, source));
    }

    private String modelId(JsonNode root, ResponseSource source) {
        JsonNode model = root.path("model");
        if (options.reportsResponseModel() && model.isTextual() && !model.asText().isBlank()) {
            return model.asText();
        }
        return source.requestedModel();
    }

    /** Reads message content: a string, null, or an array of text parts (which some servers return). */
    private static String content(JsonNode content, ResponseSource source, String body) {
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    text.append(part.path("text").asText());
                }
            }
            return text.toString();
        }
        throw malformed(source, "returned message.content that is neither text, null nor an array of parts", body);
    }

    private static ToolCall toolCall(JsonNode call, int index, ResponseSource source, String body) {
        JsonNode function = call.path("function");
        JsonNode name = function.path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw malformed(source, "returned tool_calls[" + index + "] without a function.name", body);
        }

        JsonNode arguments = function.path("arguments");
        if (arguments.isObject()) {
            return new ToolCall(name.asText(), (ObjectNode) arguments);
        }
        if (arguments.isMissingNode() || arguments.isNull()) {
            return ToolCall.of(name.asText());
        }
        String field = "tool_calls[" + index + "].function.arguments";
        if (!arguments.isTextual()) {
            throw malformed(source, "returned tool_calls[" + index + "] (" + name.asText() + ") with"
                    + " function.arguments that is neither a JSON string nor an object; the exception keeps the raw "
                    + field, arguments.toString());
        }

        String raw = arguments.asText();
        if (raw.isBlank()) {
            return ToolCall.of(name.asText());
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw malformed(source, "returned tool_calls[" + index + "] (" + name.asText() + ") with"
                    + " function.arguments that are not valid JSON (" + position(e.getLocation()) + "); the"
                    + " exception keeps the raw " + field, raw);
        }
        if (parsed == null || !parsed.isObject()) {
            throw malformed(source, "returned tool_calls[" + index + "] (" + name.asText() + ") with"
                    + " function.arguments that are not a JSON object; the exception keeps the raw " + field, raw);
        }
        return new ToolCall(name.asText(), (ObjectNode) parsed);
    }

    /**
     * Reads token usage. OpenAI's {@code prompt_tokens} includes the cached prompt tokens that
     * {@code prompt_tokens_details.cached_tokens} reports, so input tokens are the difference, to match
     * {@link TokenUsage#inputTokens()} (tokens billed at the input price) and Bedrock Converse's split. A missing
     * usage object gives zero counts, and the format reports no cache writes.
     */
    private TokenUsage usage(JsonNode usage, ResponseSource source, String body) {
        if (usage.isMissingNode() || usage.isNull()) {
            return new TokenUsage(0, 0, 0, 0);
        }
        long prompt = count(usage.path("prompt_tokens"), "usage.prompt_tokens", source, body);
        long completion = count(usage.path("completion_tokens"), "usage.completion_tokens", source, body);
        if (!options.readsCachedTokens()) {
            return new TokenUsage(prompt, completion, 0, 0);
        }
        long cached = count(usage.path("prompt_tokens_details").path("cached_tokens"),
                "usage.prompt_tokens_details.cached_tokens", source, body);
        if (cached > prompt) {
            throw malformed(source, "returned usage with cached_tokens " + cached + " above prompt_tokens " + prompt,
                    body);
        }
        return new TokenUsage(prompt - cached, completion, cached, 0);
    }

    private static long count(JsonNode node, String field, ResponseSource source, String body) {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToExactIntegral() || node.asLong() < 0) {
            throw malformed(source, "returned " + field + " of type " + node.getNodeType()
                    + (node.isNumber() ? " and value " + node.asText() : "") + ", not a non-negative integer", body);
        }
        return node.asLong();
    }

    private static String position(JsonLocation location) {
        return location == null ? "position unknown"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static ModelCallException malformed(ResponseSource source, String problem, String raw) {
        String message = source.description() + " " + problem
                + (source.advice() == null ? "" : ". " + source.advice());
        return new ModelCallException(Kind.MALFORMED_RESPONSE, source.statusCode(), message, null, null, raw);
    }
}
