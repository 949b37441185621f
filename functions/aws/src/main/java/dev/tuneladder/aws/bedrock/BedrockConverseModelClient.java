package dev.tuneladder.aws.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * A {@link ModelClient} over the Bedrock Runtime Converse API, for foundation models and for imported models
 * that Converse serves.
 *
 * <p>Request mapping: the system prompt becomes one {@code system} text block; {@code tool} messages become
 * {@code toolResult} blocks of a user message; consecutive messages that map to the same Converse role are merged
 * into one message, because Converse requires user and assistant turns to alternate. Tool call ids on assistant
 * messages follow {@link ToolCallIds}.
 *
 * <p>When {@link ChatRequest#cacheStaticPrefix()} is set, a {@code cachePoint} block goes after the tool list
 * and another after the system prompt: at most two of the four checkpoints a request may carry. The tools-only
 * checkpoint still hits when the system prompt changes between rows.
 * NOTE: Bedrock caches a prefix only when it reaches the model's minimum token count. The Bedrock prompt caching
 * documentation gives 1,024 tokens for Claude 3.7 Sonnet, Opus 4 and Sonnet 4.6, and 4,096 for Opus 4.5, Haiku 4.5
 * and Sonnet 4.5, counted cumulatively over tools, system and messages. Shorter prefixes are sent with the
 * checkpoints and are not cached, without any error.
 *
 * <p>Response mapping: text blocks are joined with a newline; reasoning blocks are dropped; {@code toolUse}
 * blocks become tool calls with their ids. {@code usage.inputTokens} excludes cached tokens, so the total
 * prompt size is input plus cache read plus cache write tokens.
 *
 * <p>One attempt per call: failures are thrown as {@link ModelCallException} with a {@link Kind} for the
 * caller's retry layer. Thread-safe. The SDK client is the caller's to close.
 */
public final class BedrockConverseModelClient implements ModelClient {

    private static final Logger LOG = LoggerFactory.getLogger(BedrockConverseModelClient.class);

    private final BedrockRuntimeClient client;

    public BedrockConverseModelClient(BedrockRuntimeClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        ConverseRequest converseRequest = toConverseRequest(request);

        long start = System.nanoTime();
        ConverseResponse response;
        try {
            response = client.converse(converseRequest);
        } catch (SdkException e) {
            throw BedrockErrors.toModelCallException("Converse", request.modelId(), e);
        }
        long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        ChatResponse chatResponse = fromConverseResponse(request.modelId(), response, latencyMillis);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Converse model={} requestId={} latencyMillis={} serviceLatencyMillis={} stopReason={} usage={}",
                    request.modelId(), response.responseMetadata().requestId(), latencyMillis,
                    response.metrics() == null ? null : response.metrics().latencyMs(), chatResponse.stopReason(),
                    chatResponse.usage());
        }
        return chatResponse;
    }

    static ConverseRequest toConverseRequest(ChatRequest request) {
        ConverseRequest.Builder builder = ConverseRequest.builder()
                .modelId(request.modelId())
                .messages(toMessages(request))
                .inferenceConfig(toInferenceConfiguration(request.settings()));

        List<SystemContentBlock> system = new ArrayList<>();
        if (!request.system().isEmpty()) {
            system.add(SystemContentBlock.fromText(request.system()));
            if (request.cacheStaticPrefix()) {
                system.add(SystemContentBlock.fromCachePoint(cachePoint()));
            }
        }
        if (!system.isEmpty()) {
            builder.system(system);
        }

        if (!request.tools().isEmpty()) {
            List<Tool> tools = new ArrayList<>();
            for (ToolSpec tool : request.tools()) {
                tools.add(Tool.fromToolSpec(toToolSpecification(tool)));
            }
            if (request.cacheStaticPrefix()) {
                tools.add(Tool.fromCachePoint(cachePoint()));
            }
            builder.toolConfig(ToolConfiguration.builder().tools(tools).build());
        }
        return builder.build();
    }

    private static CachePointBlock cachePoint() {
        return CachePointBlock.builder().type(CachePointType.DEFAULT).build();
    }

    private static ToolSpecification toToolSpecification(ToolSpec tool) {
        ToolSpecification.Builder spec = ToolSpecification.builder()
                .name(tool.name())
                .inputSchema(ToolInputSchema.fromJson(JsonDocuments.toDocument(tool.inputSchema())));
        // Converse rejects an empty description (minimum length 1), so an empty one is left out.
        if (!tool.description().isEmpty()) {
            spec.description(tool.description());
        }
        return spec.build();
    }

    private static InferenceConfiguration toInferenceConfiguration(InferenceSettings settings) {
        InferenceConfiguration.Builder config = InferenceConfiguration.builder();
        if (settings.maxTokens() != null) {
            config.maxTokens(settings.maxTokens());
        }
        if (settings.temperature() != null) {
            config.temperature(settings.temperature().floatValue());
        }
        if (settings.topP() != null) {
            config.topP(settings.topP().floatValue());
        }
        if (!settings.stopSequences().isEmpty()) {
            config.stopSequences(settings.stopSequences());
        }
        return config.build();
    }

    private static List<Message> toMessages(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        List<List<String>> callIds = ToolCallIds.assign(messages);

        List<Message> converseMessages = new ArrayList<>();
        ConversationRole currentRole = null;
        List<ContentBlock> currentBlocks = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            ConversationRole role = message.role().equals("assistant") ? ConversationRole.ASSISTANT
                    : ConversationRole.USER;
            if (role != currentRole && currentRole != null) {
                converseMessages.add(Message.builder().role(currentRole).content(currentBlocks).build());
                currentBlocks = new ArrayList<>();
            }
            currentRole = role;
            currentBlocks.addAll(toContentBlocks(request.modelId(), i, message, callIds.get(i)));
        }
        converseMessages.add(Message.builder().role(currentRole).content(currentBlocks).build());
        return converseMessages;
    }

    private static List<ContentBlock> toContentBlocks(String modelId, int index, ChatMessage message,
            List<String> callIds) {
        if (message.role().equals("tool")) {
            ToolResultBlock result = ToolResultBlock.builder()
                    .toolUseId(message.toolCallId())
                    .content(ToolResultContentBlock.fromText(message.content()))
                    .build();
            return List.of(ContentBlock.fromToolResult(result));
        }

        List<ContentBlock> blocks = new ArrayList<>();
        if (!message.content().isEmpty()) {
            blocks.add(ContentBlock.fromText(message.content()));
        }
        for (int j = 0; j < message.toolCalls().size(); j++) {
            ToolCall call = message.toolCalls().get(j);
            blocks.add(ContentBlock.fromToolUse(ToolUseBlock.builder()
                    .toolUseId(callIds.get(j))
                    .name(call.name())
                    .input(JsonDocuments.toDocument(call.arguments()))
                    .build()));
        }
        if (blocks.isEmpty()) {
            // Converse rejects empty text blocks; failing here names the message instead of a service error.
            throw new ModelCallException(Kind.CLIENT_ERROR, 0, "Converse request for model '" + modelId
                    + "': message " + index + " (" + message.role() + ") has no text and no tool calls;"
                    + " drop the message or give it content");
        }
        return blocks;
    }

    static ChatResponse fromConverseResponse(String modelId, ConverseResponse response, long latencyMillis) {
        String requestId = response.responseMetadata().requestId();
        if (response.output() == null || response.output().message() == null) {
            throw malformed(modelId, requestId, "has no output.message");
        }

        List<String> texts = new ArrayList<>();
        List<ToolCall> toolCalls = new ArrayList<>();
        List<String> toolCallIds = new ArrayList<>();
        for (ContentBlock block : response.output().message().content()) {
            if (block.text() != null) {
                texts.add(block.text());
            } else if (block.toolUse() != null) {
                ToolUseBlock toolUse = block.toolUse();
                if (toolUse.name() == null || toolUse.name().isBlank()) {
                    throw malformed(modelId, requestId, "has a toolUse block without a name");
                }
                toolCalls.add(new ToolCall(toolUse.name(), toArguments(modelId, requestId, toolUse)));
                toolCallIds.add(toolUse.toolUseId());
            }
        }

        return new ChatResponse(String.join("\n", texts), toolCalls, toolCallIds, response.stopReasonAsString(),
                toTokenUsage(response.usage()), latencyMillis, modelId);
    }

    private static ObjectNode toArguments(String modelId, String requestId, ToolUseBlock toolUse) {
        JsonNode input = JsonDocuments.toJson(toolUse.input());
        if (input.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!input.isObject()) {
            throw malformed(modelId, requestId, "has toolUse input for tool '" + toolUse.name() + "' that is a "
                    + input.getNodeType() + ", not a JSON object");
        }
        return (ObjectNode) input;
    }

    private static TokenUsage toTokenUsage(software.amazon.awssdk.services.bedrockruntime.model.TokenUsage usage) {
        if (usage == null) {
            return new TokenUsage(0, 0, 0, 0);
        }
        return new TokenUsage(orZero(usage.inputTokens()), orZero(usage.outputTokens()),
                orZero(usage.cacheReadInputTokens()), orZero(usage.cacheWriteInputTokens()));
    }

    private static long orZero(Integer count) {
        return count == null ? 0 : count;
    }

    private static ModelCallException malformed(String modelId, String requestId, String problem) {
        return new ModelCallException(Kind.MALFORMED_RESPONSE, 200, "Bedrock Converse response from model '"
                + modelId + "' (request id " + requestId + ") " + problem + "; the model or the SDK version may not"
                + " match the documented Converse shape");
    }
}
