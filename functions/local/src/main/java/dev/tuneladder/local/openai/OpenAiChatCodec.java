package dev.tuneladder.local.openai;

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

/**
 * Converts between the provider-neutral chat records and the OpenAI chat completions JSON. Parse errors name the
 * position and field at fault, never the text around it, because that text is the model's output about customer
 * input; the unreadable text goes into {@link ModelCallException#rawResponse()}.
 */
final class OpenAiChatCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiChatCodec() {
    }

    /**
     * Builds the request body: {@code model}, {@code messages} with the system prompt first, {@code tools} as
     * functions with {@code tool_choice: auto}, and the sampling settings that are set.
     */
    static String requestBody(ChatRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.modelId());
        body.set("messages", messages(request));

        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec spec : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", spec.name());
                function.put("description", spec.description());
                function.set("parameters", spec.inputSchema());
            }
            body.put("tool_choice", "auto");
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
     * {@code usage} and {@code model}.
     *
     * @param requestedModel the model id to report when the response names none
     * @throws ModelCallException of kind {@link Kind#MALFORMED_RESPONSE} when the body is not the documented shape
     *     or a tool call's arguments are not a JSON object
     */
    static ChatResponse parseResponse(String body, String requestedModel, long latencyMillis, int status,
            String endpointDescription) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // The parser's own message quotes the offending token, so only its position goes into ours.
            throw malformed(status, endpointDescription + " returned a body that is not JSON ("
                    + position(e.getLocation()) + ")", body);
        }
        if (root == null || !root.isObject()) {
            throw malformed(status, endpointDescription + " returned JSON that is not an object", body);
        }

        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw malformed(status, endpointDescription + " returned no choices[]", body);
        }
        JsonNode message = choices.get(0).path("message");
        if (!message.isObject()) {
            throw malformed(status, endpointDescription + " returned choices[0] without a message object", body);
        }

        String text = content(message.path("content"), status, endpointDescription, body);
        List<ToolCall> toolCalls = new ArrayList<>();
        List<String> toolCallIds = new ArrayList<>();
        JsonNode calls = message.path("tool_calls");
        if (calls.isArray()) {
            for (int i = 0; i < calls.size(); i++) {
                JsonNode call = calls.get(i);
                toolCalls.add(toolCall(call, i, status, endpointDescription, body));
                toolCallIds.add(call.path("id").isTextual() ? call.path("id").asText() : null);
            }
        } else if (!calls.isMissingNode() && !calls.isNull()) {
            throw malformed(status, endpointDescription + " returned tool_calls that is not an array", body);
        }

        JsonNode finishReason = choices.get(0).path("finish_reason");
        String stopReason = finishReason.isTextual() ? finishReason.asText() : null;
        String modelId = root.path("model").isTextual() && !root.path("model").asText().isBlank()
                ? root.path("model").asText() : requestedModel;
        TokenUsage usage = usage(root.path("usage"), status, endpointDescription, body);
        return new ChatResponse(text, toolCalls, toolCallIds, stopReason, usage, latencyMillis, modelId);
    }

    /** Reads message content: a string, null, or an array of text parts (which some servers return). */
    private static String content(JsonNode content, int status, String endpointDescription, String body) {
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
        throw malformed(status, endpointDescription + " returned message.content that is neither text, null nor"
                + " an array of parts", body);
    }

    private static ToolCall toolCall(JsonNode call, int index, int status, String endpointDescription,
            String body) {
        JsonNode function = call.path("function");
        JsonNode name = function.path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw malformed(status, endpointDescription + " returned tool_calls[" + index
                    + "] without a function.name", body);
        }

        JsonNode arguments = function.path("arguments");
        if (arguments.isObject()) {
            // Some servers send the arguments as an object instead of the documented JSON string.
            return new ToolCall(name.asText(), (ObjectNode) arguments);
        }
        if (arguments.isMissingNode() || arguments.isNull()) {
            return ToolCall.of(name.asText());
        }
        if (!arguments.isTextual()) {
            throw malformed(status, endpointDescription + " returned tool_calls[" + index + "] (" + name.asText()
                    + ") with function.arguments that is neither a JSON string nor an object", arguments.toString());
        }

        String raw = arguments.asText();
        if (raw.isBlank()) {
            return ToolCall.of(name.asText());
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw malformed(status, endpointDescription + " returned tool_calls[" + index + "] (" + name.asText()
                    + ") with function.arguments that are not valid JSON (" + position(e.getLocation())
                    + "); the raw arguments are kept in the exception", raw);
        }
        if (parsed == null || !parsed.isObject()) {
            throw malformed(status, endpointDescription + " returned tool_calls[" + index + "] (" + name.asText()
                    + ") with function.arguments that are not a JSON object; the raw arguments are kept in the"
                    + " exception", raw);
        }
        return new ToolCall(name.asText(), (ObjectNode) parsed);
    }

    /**
     * Reads token usage. OpenAI's {@code prompt_tokens} includes the cached prompt tokens that
     * {@code prompt_tokens_details.cached_tokens} reports, so input tokens are the difference, to match
     * {@link TokenUsage#inputTokens()} (tokens billed at the input price) and Bedrock's split. A missing usage object
     * gives zero counts; the OpenAI API reports no cache writes.
     */
    private static TokenUsage usage(JsonNode usage, int status, String endpointDescription, String body) {
        if (usage.isMissingNode() || usage.isNull()) {
            return new TokenUsage(0, 0, 0, 0);
        }
        long prompt = count(usage.path("prompt_tokens"), "usage.prompt_tokens", status, endpointDescription, body);
        long completion = count(usage.path("completion_tokens"), "usage.completion_tokens", status,
                endpointDescription, body);
        long cached = count(usage.path("prompt_tokens_details").path("cached_tokens"),
                "usage.prompt_tokens_details.cached_tokens", status, endpointDescription, body);
        if (cached > prompt) {
            throw malformed(status, endpointDescription + " returned usage with cached_tokens " + cached
                    + " above prompt_tokens " + prompt, body);
        }
        return new TokenUsage(prompt - cached, completion, cached, 0);
    }

    private static long count(JsonNode node, String field, int status, String endpointDescription, String body) {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToExactIntegral() || node.asLong() < 0) {
            throw malformed(status, endpointDescription + " returned " + field + " of type " + node.getNodeType()
                    + (node.isNumber() ? " and value " + node.asText() : "") + ", not a non-negative integer", body);
        }
        return node.asLong();
    }

    private static String position(JsonLocation location) {
        return location == null ? "position unknown"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static ModelCallException malformed(int status, String message, String raw) {
        return new ModelCallException(Kind.MALFORMED_RESPONSE, status, message, null, null, raw);
    }
}
