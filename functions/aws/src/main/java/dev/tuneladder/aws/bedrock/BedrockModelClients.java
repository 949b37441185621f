package dev.tuneladder.aws.bedrock;

import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelClient;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * A {@link ModelClient} that sends each request through the Bedrock API configured for its model id: Converse
 * or InvokeModel with the OpenAI chat body. Models missing from the map use the default API.
 *
 * <p>Thread-safe. The SDK client is the caller's to close.
 */
public final class BedrockModelClients implements ModelClient {

    private final Map<String, BedrockApi> apiByModelId;
    private final BedrockApi defaultApi;
    private final ModelClient converse;
    private final ModelClient invokeOpenAiChat;

    /**
     * @param apiByModelId the API per model id (a model id, inference profile id or imported-model ARN), exactly
     *     as requests give it
     * @param defaultApi the API for model ids not in the map
     */
    public BedrockModelClients(BedrockRuntimeClient client, Map<String, BedrockApi> apiByModelId,
            BedrockApi defaultApi) {
        Objects.requireNonNull(client, "client");
        this.apiByModelId = Map.copyOf(Objects.requireNonNull(apiByModelId, "apiByModelId"));
        this.defaultApi = Objects.requireNonNull(defaultApi, "defaultApi");
        this.converse = new BedrockConverseModelClient(client);
        this.invokeOpenAiChat = new BedrockInvokeChatModelClient(client);
    }

    /** Returns the API that requests for this model id go through. */
    public BedrockApi apiFor(String modelId) {
        return apiByModelId.getOrDefault(modelId, defaultApi);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return switch (apiFor(request.modelId())) {
            case CONVERSE -> converse.chat(request);
            case INVOKE_OPENAI_CHAT -> invokeOpenAiChat.chat(request);
        };
    }
}
