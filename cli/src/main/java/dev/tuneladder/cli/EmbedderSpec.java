package dev.tuneladder.cli;

import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.util.Locale;
import java.util.Objects;

/**
 * The embedding model a command uses, parsed from {@code --embedder}: {@code local} (the in-process MiniLM model)
 * or {@code bedrock:MODEL_ID[#DIMENSIONS]} (Titan Text Embeddings V2 on Bedrock).
 *
 * @param provider which adapter computes the vectors
 * @param modelId the model id recorded in indexes and manifests
 * @param dimensions the vector length
 */
record EmbedderSpec(Provider provider, String modelId, int dimensions) {

    /** The embedding providers the command line can use. */
    enum Provider {
        LOCAL,
        BEDROCK
    }

    static final String FORMS = "local, or bedrock:MODEL_ID[#DIMENSIONS] for Titan Text Embeddings V2 with 1024"
            + " (default), 512 or 256 dimensions (for example bedrock:" + TitanEmbeddingSettings.TITAN_TEXT_V2
            + "#512)";

    /** The default: the in-process MiniLM model. */
    static final EmbedderSpec LOCAL = new EmbedderSpec(Provider.LOCAL, OnnxMiniLmEmbedder.MODEL_ID,
            OnnxMiniLmEmbedder.DIMENSIONS);

    EmbedderSpec {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(modelId, "modelId");
    }

    /**
     * Parses an {@code --embedder} value. A Bedrock model id contains colons ({@code ...-v2:0}, ARNs), so only the
     * first colon separates the provider, and the dimensions follow the last {@code #}.
     *
     * @throws IllegalArgumentException naming the accepted forms when the value is malformed
     */
    static EmbedderSpec parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--embedder is blank; use " + FORMS);
        }
        String trimmed = value.strip();
        if (trimmed.equalsIgnoreCase("local")) {
            return LOCAL;
        }
        int colon = trimmed.indexOf(':');
        String prefix = colon < 0 ? "" : trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!prefix.equals("bedrock")) {
            throw new IllegalArgumentException("--embedder " + value + " names no known embedder; use " + FORMS);
        }

        String rest = trimmed.substring(colon + 1).strip();
        int hash = rest.lastIndexOf('#');
        String modelId = (hash < 0 ? rest : rest.substring(0, hash)).strip();
        if (modelId.isEmpty()) {
            throw new IllegalArgumentException("--embedder " + value + " has no model id after 'bedrock:'; use "
                    + FORMS);
        }
        int dimensions = hash < 0 ? TitanEmbeddingSettings.DEFAULTS.dimensions()
                : parseDimensions(value, rest.substring(hash + 1).strip());
        return new EmbedderSpec(Provider.BEDROCK, modelId, dimensions);
    }

    private static int parseDimensions(String value, String text) {
        int dimensions;
        try {
            dimensions = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--embedder " + value + " has dimensions '" + text + "', which is not"
                    + " a whole number; use " + FORMS, e);
        }
        if (dimensions != 1024 && dimensions != 512 && dimensions != 256) {
            throw new IllegalArgumentException("--embedder " + value + " requests " + dimensions + " dimensions, but"
                    + " Titan Text Embeddings V2 returns 1024, 512 or 256; use " + FORMS);
        }
        return dimensions;
    }

    /** Returns the value as given to {@code --embedder}, with the dimensions spelled out, for config.json. */
    String spec() {
        return provider == Provider.LOCAL ? "local" : "bedrock:" + modelId + "#" + dimensions;
    }
}
