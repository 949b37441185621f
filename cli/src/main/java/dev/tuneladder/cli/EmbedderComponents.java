package dev.tuneladder.cli;

import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.bedrock.BedrockTitanEmbedder;
import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.EmbeddingException;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * Retries a remote embedder on throttling, server errors and timeouts. The texts go in slices of
     * {@code sliceSize}, each retried on its own, so a throttled call re-sends at most one slice rather than the
     * whole list.
     */
    static final class RetryingEmbedder implements Embedder {

        private final Embedder delegate;
        private final ResilientCaller caller;
        private final int sliceSize;

        RetryingEmbedder(Embedder delegate, ResilientCaller caller, int sliceSize) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.caller = Objects.requireNonNull(caller, "caller");
            if (sliceSize < 1) {
                throw new IllegalArgumentException("sliceSize must be at least 1, got " + sliceSize);
            }
            this.sliceSize = sliceSize;
        }

        @Override
        public String modelId() {
            return delegate.modelId();
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }

        /**
         * Embeds the texts slice by slice.
         *
         * @throws EmbeddingException when a slice still fails after the retries; its cause is the last
         *     {@link ModelCallException}
         */
        @Override
        public List<float[]> embedAll(List<String> texts) {
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += sliceSize) {
                List<String> slice = texts.subList(from, Math.min(from + sliceSize, texts.size()));
                try {
                    vectors.addAll(caller.call("embed " + delegate.modelId(), () -> embedSlice(slice)));
                } catch (ModelCallException e) {
                    throw new EmbeddingException(delegate.modelId() + " failed to embed the texts at index " + from
                            + " to " + (from + slice.size() - 1) + ": " + e.getMessage(), e);
                }
            }
            return vectors;
        }

        /** Unwraps the model call failure, on which the caller decides whether to retry. */
        private List<float[]> embedSlice(List<String> slice) {
            try {
                return delegate.embedAll(slice);
            } catch (EmbeddingException e) {
                if (e.getCause() instanceof ModelCallException failure) {
                    throw failure;
                }
                throw e;
            }
        }
    }
}
