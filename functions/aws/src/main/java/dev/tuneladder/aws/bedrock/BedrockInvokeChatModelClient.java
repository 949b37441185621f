package dev.tuneladder.aws.bedrock;

import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.openai.OpenAiChatCodec;
import dev.tuneladder.core.model.openai.OpenAiChatCodec.ResponseSource;
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
 * <p>{@link OpenAiChatCodec} writes the request body and reads the response, with the options below for
 * imported models. A body the codec cannot read raises MALFORMED_RESPONSE naming the model and the request id.
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

    /**
     * The codec options for imported models. The body has no {@code model} field, because InvokeModel takes the
     * model from its path. {@link ChatResponse#modelId()} is always the requested ARN, and the usage has no cache
     * split, because the documented response has {@code usage{prompt_tokens, completion_tokens, total_tokens}} only.
     * No {@code tool_choice} is sent, because the invoke guide does not list it for imported models, and the
     * OpenAI API already defaults to {@code auto} when tools are present.
     */
    private static final OpenAiChatCodec.Options IMPORTED_MODEL_OPTIONS = new OpenAiChatCodec.Options(false, false, false,
            false);

    private static final OpenAiChatCodec CODEC = new OpenAiChatCodec(IMPORTED_MODEL_OPTIONS);

    private static final String MALFORMED_ADVICE = "Check that the model was imported with a chat template in"
            + " tokenizer_config.json, which the OpenAI chat format needs.";

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
                .body(SdkBytes.fromUtf8String(CODEC.requestBody(request)))
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
        ResponseSource source = new ResponseSource(request.modelId(), response.sdkHttpResponse().statusCode(),
                "Bedrock InvokeModel for model '" + request.modelId() + "' (request id " + requestId + ")",
                MALFORMED_ADVICE);
        ChatResponse chatResponse = CODEC.parseResponse(response.body().asUtf8String(), latencyMillis, source);
        LOG.debug("InvokeModel chat model={} requestId={} latencyMillis={} finishReason={} usage={}",
                request.modelId(), requestId, latencyMillis, chatResponse.stopReason(), chatResponse.usage());
        return chatResponse;
    }
}
