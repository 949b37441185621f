package dev.tuneladder.cli;

import picocli.CommandLine.Option;

/** Options of the in-process embedding model. */
final class EmbeddingOptions {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads that run the embedding model. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--batch-size", paramLabel = "TEXTS", defaultValue = "64",
            description = "Texts sent to the embedding model per call. Default: ${DEFAULT-VALUE}.")
    int batchSize;
}
