package dev.tuneladder.core.embedding;

import java.util.List;

/**
 * Turns text into dense vectors. Implementations batch internally and are safe for use by one caller thread at
 * a time unless their documentation states otherwise.
 */
public interface Embedder {

    /** Returns the model identifier recorded in run manifests, for example {@code all-MiniLM-L6-v2-q}. */
    String modelId();

    /** Returns the length of every vector this embedder produces. */
    int dimensions();

    /**
     * Embeds the texts in order and returns one L2-normalized vector per text.
     *
     * @throws EmbeddingException when the model fails; no partial result is returned
     */
    List<float[]> embedAll(List<String> texts);

    /** Embeds one text. */
    default float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }
}
