package dev.tuneladder.aws.bedrock;

import java.util.Objects;

/**
 * Settings of {@link BedrockTitanEmbedder}.
 *
 * @param modelId the Bedrock model id, {@value #TITAN_TEXT_V2} unless a caller needs an inference profile or a
 *     provisioned-throughput ARN of that model
 * @param dimensions the vector length: 1024, 512 or 256, the values Titan Text Embeddings V2 accepts
 * @param normalize the request's {@code normalize} flag; the embedder returns unit vectors either way (see
 *     {@link BedrockTitanEmbedder})
 * @param parallelism the number of InvokeModel calls in flight at once during one {@code embedAll}; Titan takes
 *     one text per call
 */
public record TitanEmbeddingSettings(String modelId, int dimensions, boolean normalize, int parallelism) {

    /** Bedrock model id of Amazon Titan Text Embeddings V2. */
    public static final String TITAN_TEXT_V2 = "amazon.titan-embed-text-v2:0";

    /** Titan Text Embeddings V2 defaults: 1,024 dimensions, normalized by the service, one call at a time. */
    public static final TitanEmbeddingSettings DEFAULTS = new TitanEmbeddingSettings(TITAN_TEXT_V2, 1024, true, 1);

    /** Upper bound on parallelism, well above what the default per-minute request quotas sustain. */
    public static final int MAX_PARALLELISM = 64;

    public TitanEmbeddingSettings {
        Objects.requireNonNull(modelId, "modelId");
        if (modelId.isBlank()) {
            throw new IllegalArgumentException("Titan modelId is blank: give " + TITAN_TEXT_V2);
        }
        if (dimensions != 1024 && dimensions != 512 && dimensions != 256) {
            throw new IllegalArgumentException("Titan Text Embeddings V2 dimensions must be 1024, 512 or 256, got "
                    + dimensions);
        }
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Titan embedding parallelism must be in [1, " + MAX_PARALLELISM
                    + "], got " + parallelism);
        }
    }

    public TitanEmbeddingSettings withDimensions(int value) {
        return new TitanEmbeddingSettings(modelId, value, normalize, parallelism);
    }

    public TitanEmbeddingSettings withNormalize(boolean value) {
        return new TitanEmbeddingSettings(modelId, dimensions, value, parallelism);
    }

    public TitanEmbeddingSettings withParallelism(int value) {
        return new TitanEmbeddingSettings(modelId, dimensions, normalize, value);
    }
}
