package dev.tuneladder.cli;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.local.LuceneHnswIndex;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that chooses the adapters behind the ports for local runs: the in-process MiniLM embedder and
 * the Lucene HNSW index.
 */
final class LocalComponents {

    /** Texts per progress step; large enough that the embedder's own batching stays efficient. */
    private static final int PROGRESS_CHUNK = 512;

    private LocalComponents() {
    }

    static OnnxMiniLmEmbedder embedder(EmbeddingOptions options) {
        return OnnxMiniLmEmbedder.builder()
                .threads(options.threads)
                .batchSize(options.batchSize)
                .build();
    }

    static LuceneHnswIndex openIndex(Path folder, Embedder embedder, IndexOptions options) {
        LuceneHnswIndex index = LuceneHnswIndex.open(folder, embedder.modelId(), embedder.dimensions(), options.hnsw());
        index.setSearchCandidates(options.searchCandidates);
        return index;
    }

    /** Embeds the last user turn of every interaction, in order, showing progress on standard error. */
    static List<float[]> embed(Embedder embedder, List<Interaction> rows, String task) {
        List<float[]> vectors = new ArrayList<>(rows.size());
        try (Progress progress = Progress.start(task, rows.size())) {
            for (int from = 0; from < rows.size(); from += PROGRESS_CHUNK) {
                int to = Math.min(from + PROGRESS_CHUNK, rows.size());
                List<String> texts = new ArrayList<>(to - from);
                for (Interaction row : rows.subList(from, to)) {
                    texts.add(row.lastUserText());
                }
                vectors.addAll(embedder.embedAll(texts));
                progress.advance(to - from);
            }
        }
        return vectors;
    }
}
