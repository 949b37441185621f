package dev.tuneladder.cli;

import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.bedrock.BedrockTitanEmbedder;
import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.RetryingEmbedder;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The one place that chooses the adapter behind the {@link Embedder} port from {@code --embedder}: the in-process
 * MiniLM model, or Titan Text Embeddings V2 on Bedrock Runtime with retries.
 */
final class EmbedderComponents {

    /**
     * Limit for one Titan call. A call embeds one text, so a minute is generous, and a stalled connection fails
     * after it and is retried instead of holding the run for the 5 minutes that model calls get.
     */
    static final Duration TITAN_CALL_TIMEOUT = Duration.ofSeconds(60);

    private EmbedderComponents() {
    }

    /** An embedder ready for a run, with what must be closed after it. */
    static final class OpenEmbedder implements Embedder, AutoCloseable {

        private final Embedder delegate;
        private final AutoCloseable resources;

        OpenEmbedder(Embedder delegate, AutoCloseable resources) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.resources = Objects.requireNonNull(resources, "resources");
        }

        @Override
        public String modelId() {
            return delegate.modelId();
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return delegate.embedAll(texts);
        }

        @Override
        public void close() {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("failed to close the " + modelId() + " embedder: " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * Builds the embedder the options select.
     *
     * @throws IllegalArgumentException when {@code --embedder}, {@code --threads} or the Bedrock Region is invalid
     *     or missing; the message names the option and the fix
     */
    static OpenEmbedder open(EmbeddingOptions options, BedrockOptions bedrock) {
        EmbedderSpec spec = options.spec();
        if (options.threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + options.threads);
        }
        return switch (spec.provider()) {
            case LOCAL -> local(options);
            case BEDROCK -> titan(spec, options, bedrock);
        };
    }

    private static OpenEmbedder local(EmbeddingOptions options) {
        OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder()
                .threads(options.threads)
                .batchSize(options.batchSize)
                .build();
        return new OpenEmbedder(embedder, embedder);
    }

    private static OpenEmbedder titan(EmbedderSpec spec, EmbeddingOptions options, BedrockOptions bedrock) {
        if (options.threads > TitanEmbeddingSettings.MAX_PARALLELISM) {
            throw new IllegalArgumentException("--threads sets the Titan calls in flight with --embedder bedrock:"
                    + " and must be at most " + TitanEmbeddingSettings.MAX_PARALLELISM + ", got " + options.threads);
        }
        String region = bedrock.requireRegion("--embedder");
        TitanEmbeddingSettings settings = new TitanEmbeddingSettings(spec.modelId(), spec.dimensions(), true,
                options.threads);
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        AwsClientFactory factory = new AwsClientFactory(Region.of(region), bedrock.endpointUrl, credentials,
                AwsClientFactory.DEFAULT_CONNECT_TIMEOUT, TITAN_CALL_TIMEOUT, options.threads);
        BedrockRuntimeClient runtime = factory.bedrockRuntime();
        BedrockTitanEmbedder titan = new BedrockTitanEmbedder(runtime, settings);
        ResilientCaller caller = new ResilientCaller(RetryPolicy.DEFAULT, AdaptiveConcurrencyLimiter.withMaxLimit(1));
        return new OpenEmbedder(new RetryingEmbedder(titan, caller, options.threads), () -> {
            titan.close();
            runtime.close();
            credentials.close();
        });
    }
}
