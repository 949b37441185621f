package dev.tuneladder.cli;

import dev.tuneladder.local.HnswParameters;
import picocli.CommandLine.Option;

/** HNSW graph and search options of the local vector index. */
final class IndexOptions {

    @Option(names = "--hnsw-m", paramLabel = "N", defaultValue = "16",
            description = "Maximum connections per node in the HNSW graph. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--hnsw-beam-width", paramLabel = "N", defaultValue = "100",
            description = "Candidates considered while building the HNSW graph. Default: ${DEFAULT-VALUE}.")
    int beamWidth;

    @Option(names = "--search-candidates", paramLabel = "N", defaultValue = "100",
            description = "Candidates each search collects from the HNSW graph before keeping the best k (ef at "
                    + "query time); more raise recall and latency. Default: ${DEFAULT-VALUE}.")
    int searchCandidates;

    HnswParameters hnsw() {
        return new HnswParameters(maxConnections, beamWidth);
    }
}
