package dev.tuneladder.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** Options that select the embedding model and how it runs. */
final class EmbeddingOptions {

    @Option(names = "--embedder", paramLabel = "SPEC", defaultValue = "local",
            description = "Embedding model: local (all-MiniLM-L6-v2, in process, 384 dimensions) or "
                    + "bedrock:MODEL_ID[#DIMENSIONS] (Titan Text Embeddings V2 on Bedrock Runtime with 1024, 512 or "
                    + "256 dimensions, default 1024; credentials from the standard AWS chain, Region from --region). "
                    + "An index can only be searched with the embedder that built it. Default: ${DEFAULT-VALUE}.")
    String embedder;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads that run the local embedding model, or Bedrock embedding calls in flight at "
                    + "once (at most 64). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--batch-size", paramLabel = "TEXTS", defaultValue = "64",
            description = "Texts sent to the local embedding model per call; Bedrock Titan takes one text per "
                    + "call. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    /** Returns the parsed {@code --embedder}. */
    EmbedderSpec spec() {
        return EmbedderSpec.parse(embedder);
    }

    /** Returns whether {@code --embedder} sends to Bedrock. */
    boolean usesBedrock() {
        return spec().provider() == EmbedderSpec.Provider.BEDROCK;
    }

    /** Adds the embedding options to the options recorded in config.json, with the Region for Bedrock. */
    void describeInto(Map<String, Object> options, BedrockOptions bedrock) {
        options.put("embedder", spec().spec());
        options.put("threads", threads);
        options.put("batchSize", batchSize);
        if (usesBedrock()) {
            bedrock.describeInto(options);
        }
    }
}
