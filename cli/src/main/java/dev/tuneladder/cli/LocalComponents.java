package dev.tuneladder.cli;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.local.IncompatibleIndexException;
import dev.tuneladder.local.LuceneHnswIndex;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that chooses the vector index adapter for local runs, the Lucene HNSW index, and embeds rows with
 * progress. {@link EmbedderComponents} chooses the embedder.
 */
final class LocalComponents {

    /** Texts per progress step; large enough that the embedder's own batching stays efficient. */
    private static final int PROGRESS_CHUNK = 512;

    private LocalComponents() {
    }

    /**
     * Opens or creates the index in {@code folder} for {@code embedder}'s vectors.
     *
     * @throws IllegalArgumentException when the folder's index was built with another embedding model or
     *     dimension; the message gives the {@code --embedder} value that matches it
     */
    static LuceneHnswIndex openIndex(Path folder, Embedder embedder, IndexOptions options) {
        LuceneHnswIndex index;
        try {
            index = LuceneHnswIndex.open(folder, embedder.modelId(), embedder.dimensions(), options.hnsw());
        } catch (IncompatibleIndexException e) {
            throw new IllegalArgumentException(incompatibleIndexMessage(folder, embedder, e), e);
        }
        index.setSearchCandidates(options.searchCandidates);
        return index;
    }

    private static String incompatibleIndexMessage(Path folder, Embedder embedder, IncompatibleIndexException e) {
        String recordedModel = e.recordedModelId();
        if (recordedModel == null) {
            return e.getMessage();
        }
        String matching = recordedModel.equals(OnnxMiniLmEmbedder.MODEL_ID) ? "local"
                : "bedrock:" + recordedModel + "#" + e.recordedDimensions();
        return "the index at " + folder + " was built with embedding model " + recordedModel + " ("
                + e.recordedDimensions() + " dimensions), and vectors of " + embedder.modelId() + " ("
                + embedder.dimensions() + " dimensions) cannot be searched in it: give --embedder " + matching
                + ", or build a new index into an empty folder with the embedder you want";
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
