package dev.tuneladder.cli;

import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.bedrock.BedrockApi;
import dev.tuneladder.aws.bedrock.BedrockModelClients;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.ResilientModelClient;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.local.openai.OpenAiCompatibleModelClient;
import dev.tuneladder.local.openai.OpenAiCompatibleSettings;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The one place that chooses the model adapter behind the {@link ModelClient} port from {@link ModelOptions}:
 * Bedrock Runtime (Converse or InvokeModel) or an OpenAI-compatible server, always wrapped in retries and one
 * adaptive concurrency limiter shared by every call of the command.
 */
final class ModelComponents {

    private ModelComponents() {
    }

    /**
     * A model client ready for a run, with what must be closed after it.
     *
     * @param client the resilient client; every call waits for a permit of {@code limiter}
     * @param modelId the model id sent in requests
     * @param limiter the limiter shared by all calls of the command
     */
    record ConfiguredModel(ModelClient client, String modelId, AdaptiveConcurrencyLimiter limiter,
            AutoCloseable resources) implements AutoCloseable {

        @Override
        public void close() {
            if (resources == null) {
                return;
            }
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("failed to close the model client: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Builds the client the options select.
     *
     * @throws IllegalArgumentException when an option is malformed or missing (the message names it and the fix)
     */
    static ConfiguredModel open(ModelOptions options, BedrockOptions bedrock) {
        ModelSpec spec = options.spec();
        if (options.concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + options.concurrency);
        }
        if (options.maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts must be at least 1, got " + options.maxAttempts);
        }
        if (options.requestTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--request-timeout must be at least 1 second, got "
                    + options.requestTimeoutSeconds);
        }
        Duration timeout = Duration.ofSeconds(options.requestTimeoutSeconds);
        AdaptiveConcurrencyLimiter limiter = AdaptiveConcurrencyLimiter.withMaxLimit(options.concurrency);
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        ResilientCaller caller = new ResilientCaller(new RetryPolicy(options.maxAttempts, defaults.baseDelay(),
                defaults.maxDelay(), defaults.deadline()), limiter);

        return switch (spec.provider()) {
            case OPENAI -> openAiCompatible(options, spec, timeout, limiter, caller);
            case BEDROCK -> bedrock(options, bedrock, spec, timeout, limiter, caller);
        };
    }

    private static ConfiguredModel openAiCompatible(ModelOptions options, ModelSpec spec, Duration timeout,
            AdaptiveConcurrencyLimiter limiter, ResilientCaller caller) {
        OpenAiCompatibleSettings settings = OpenAiCompatibleSettings.of(spec.baseUrl())
                .withApiKeyVariable(options.apiKeyVariable)
                .withRequestTimeout(timeout);
        ModelClient client = new ResilientModelClient(new OpenAiCompatibleModelClient(settings), caller);
        return new ConfiguredModel(client, spec.modelId(), limiter, null);
    }

    private static ConfiguredModel bedrock(ModelOptions options, BedrockOptions bedrock, ModelSpec spec,
            Duration timeout, AdaptiveConcurrencyLimiter limiter, ResilientCaller caller) {
        if (options.apiKeyVariable != null) {
            throw new IllegalArgumentException("--api-key-env applies to OpenAI-compatible servers; Bedrock takes"
                    + " credentials from the standard AWS chain (environment, profile, role)");
        }
        String region = bedrock.requireRegion("--model");
        BedrockApi api = BedrockApi.parse(options.bedrockApi);
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        AwsClientFactory factory = new AwsClientFactory(Region.of(region), bedrock.endpointUrl, credentials,
                AwsClientFactory.DEFAULT_CONNECT_TIMEOUT, timeout, options.concurrency);
        BedrockRuntimeClient runtime = factory.bedrockRuntime();
        ModelClient client = new ResilientModelClient(new BedrockModelClients(runtime, Map.of(), api), caller);
        return new ConfiguredModel(client, spec.modelId(), limiter, () -> {
            runtime.close();
            credentials.close();
        });
    }
}
