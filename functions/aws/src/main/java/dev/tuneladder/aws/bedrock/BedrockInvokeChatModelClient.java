package dev.tuneladder.aws.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.InferenceSettings;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.ToolCallIds;
import dev.tuneladder.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * A {@link ModelClient} over Bedrock InvokeModel with the OpenAI chat completion body, for imported models that
 * Converse does not serve (Qwen2.5, Qwen3 and GPT-OSS architectures, per the Custom Model Import guide). The
 * model id is usually an imported-model ARN.
 *
 * <p>Request body: {@code messages} (the system prompt first as a {@code system} message), {@code max_tokens},
 * {@code temperature}, {@code top_p}, {@code stop} and, when tools are given, {@code tools} as OpenAI function
 * definitions. Tool call ids on assistant messages follow {@link ToolCallIds}. Response body:
 * {@code choices[0].message} with {@code content} and {@code tool_calls}, {@code choices[0].finish_reason} and
 * {@code usage{prompt_tokens, completion_tokens}}. Tool call arguments may come as a JSON string (the OpenAI
 * format) or as an object; both are accepted. This format reports no cache tokens.
 *
 * <p>The OpenAI chat format needs the model's chat template inside its {@code tokenizer_config.json}, per the
 * imported-model invocation guide.
 *
 * <p>One attempt per call, errors mapped as in {@link BedrockConverseModelClient}. Thread-safe. The SDK client
 * is the caller's to close.
 */
public final class BedrockInvokeChatModelClient implements ModelClient {

    private static final Logger LOG = LoggerFactory.getLogger(BedrockInvokeChatModelClient.class);

    private static final String JSON = "application/json";

    private final BedrockRuntimeClient client;

    public BedrockInvokeChatModelClient(BedrockRuntimeClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        InvokeModelRequest invokeRequest = InvokeModelRequest.builder()
                .modelId(request.modelId())
                .contentType(JSON)
                .accept(JSON)
                .body(SdkBytes.fromUtf8String(toBody(request).toString()))
                .build();

        long start = System.nanoTime();
        InvokeModelResponse response;
        try {
            response = client.invokeModel(invokeRequest);
        } catch (SdkException e) {
            throw BedrockErrors.toModelCallException("InvokeModel", request.modelId(), e);
        }
        long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        String requestId = response.responseMetadata().requestId();
        ChatResponse chatResponse = fromBody(request.modelId(), requestId, response.body(), latencyMillis);
        LOG.debug("InvokeModel chat model={} requestId={} latencyMillis={} finishReason={} usage={}",
                request.modelId(), requestId, latencyMillis, chatResponse.stopReason(), chatResponse.usage());
        return chatResponse;
    }

    static ObjectNode toBody(ChatRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("messages", toMessages(request));

        InferenceSettings settings = request.settings();
        if (settings.maxTokens() != null) {
            body.put("max_tokens", settings.maxTokens());
        }
        if (settings.temperature() != null) {
            body.put("temperature", settings.temperature());
        }
        if (settings.topP() != null) {
            body.put("top_p", settings.topP());
        }
        if (!settings.stopSequences().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            settings.stopSequences().forEach(stop::add);
        }

        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = JsonNodeFactory.instance.objectNode();
                function.put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    function.put("description", tool.description());
                }
                function.set("parameters", tool.inputSchema());
                tools.addObject().put("type", "function").set("function", function);
            }
        }
        return body;
    }

    private static ArrayNode toMessages(ChatRequest request) {
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        if (!request.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }

        List<List<String>> callIds = ToolCallIds.assign(request.messages());
        for (int i = 0; i < request.messages().size(); i++) {
            ChatMessage message = request.messages().get(i);
            ObjectNode node = messages.addObject().put("role", message.role());
            if (message.role().equals("tool")) {
                node.put("tool_call_id", message.toolCallId()).put("content", message.content());
            } else if (message.toolCalls().isEmpty()) {
                node.put("content", message.content());
            } else {
                // OpenAI's format gives an assistant message that only calls tools a null content.
                if (message.content().isEmpty()) {
                    node.putNull("content");
                } else {
                    node.put("content", message.content());
                }
                ArrayNode toolCalls = node.putArray("tool_calls");
                for (int j = 0; j < message.toolCalls().size(); j++) {
                    ToolCall call = message.toolCalls().get(j);
                    ObjectNode function = JsonNodeFactory.instance.objectNode()
                            .put("name", call.name())
                            .put("arguments", call.arguments().toString());
                    toolCalls.addObject()
                            .put("id", callIds.get(i).get(j))
                            .put("type", "function")
                            .set("function", function);
                }
            }
        }
        return messages;
    }

    static ChatResponse fromBody(String modelId, String requestId, SdkBytes body, long latencyMillis) {
        JsonNode root;
        try {
            root = JsonDocuments.MAPPER.readTree(body.asByteArray());
        } catch (java.io.IOException e) {
            throw malformed(modelId, requestId, "is not JSON (" + e.getClass().getSimpleName() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw malformed(modelId, requestId, "is not a JSON object", null);
        }

        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw malformed(modelId, requestId, "has no choices", null);
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw malformed(modelId, requestId, "has no choices[0].message object", null);
        }

        JsonNode content = message.path("content");
        if (!content.isMissingNode() && !content.isNull() && !content.isTextual()) {
            throw malformed(modelId, requestId, "has a choices[0].message.content that is not a string", null);
        }
        String text = content.isTextual() ? content.textValue() : "";

        List<ToolCall> toolCalls = new ArrayList<>();
        List<String> toolCallIds = new ArrayList<>();
        JsonNode calls = message.path("tool_calls");
        if (calls.isArray()) {
            for (int j = 0; j < calls.size(); j++) {
                JsonNode call = calls.get(j);
                JsonNode name = call.path("function").path("name");
                if (!name.isTextual() || name.textValue().isBlank()) {
                    throw malformed(modelId, requestId, "has tool_calls[" + j + "] without function.name", null);
                }
                toolCalls.add(new ToolCall(name.textValue(),
                        toArguments(modelId, requestId, j, call.path("function").path("arguments"))));
                toolCallIds.add(call.path("id").isTextual() ? call.path("id").textValue() : null);
            }
        } else if (!calls.isMissingNode() && !calls.isNull()) {
            throw malformed(modelId, requestId, "has choices[0].message.tool_calls that is not an array", null);
        }

        JsonNode finishReason = choice.path("finish_reason");
        JsonNode usage = root.path("usage");
        TokenUsage tokens = new TokenUsage(usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0), 0, 0);
        return new ChatResponse(text, toolCalls, toolCallIds, finishReason.isTextual() ? finishReason.textValue() : null,
                tokens, latencyMillis, modelId);
    }

    private static ObjectNode toArguments(String modelId, String requestId, int index, JsonNode arguments) {
        if (arguments.isMissingNode() || arguments.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (arguments.isObject()) {
            return (ObjectNode) arguments;
        }
        if (!arguments.isTextual()) {
            throw malformed(modelId, requestId, "has tool_calls[" + index + "].function.arguments that is neither a"
                    + " JSON string nor an object", null);
        }
        if (arguments.textValue().isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }

        JsonNode parsed;
        try {
            parsed = JsonDocuments.MAPPER.readTree(arguments.textValue());
        } catch (JsonProcessingException e) {
            throw malformed(modelId, requestId, "has tool_calls[" + index + "].function.arguments that is not valid"
                    + " JSON", e);
        }
        if (!parsed.isObject()) {
            throw malformed(modelId, requestId, "has tool_calls[" + index + "].function.arguments that is a "
                    + parsed.getNodeType() + ", not a JSON object", null);
        }
        return (ObjectNode) parsed;
    }

    private static ModelCallException malformed(String modelId, String requestId, String problem, Throwable cause) {
        return new ModelCallException(Kind.MALFORMED_RESPONSE, 200, "Bedrock InvokeModel response from model '"
                + modelId + "' (request id " + requestId + ") " + problem + "; check that the model was imported"
                + " with a chat template in tokenizer_config.json, which the OpenAI chat format needs", cause);
    }
}
