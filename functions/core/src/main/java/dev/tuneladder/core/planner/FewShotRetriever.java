package dev.tuneladder.core.planner;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.index.SearchHit;
import dev.tuneladder.core.index.VectorIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Retrieves the k golden examples most similar to an interaction's last user text and renders them for the
 * planner's prompt.
 *
 * <p>Thread-safe: embedding and search run under one lock, because the {@link Embedder} port is single-caller by
 * default and the {@link VectorIndex} port makes no promise about concurrent searches. Both are fast next to a
 * model call, so the lock does not limit a planner run.
 */
public final class FewShotRetriever {

    private static final FewShotRetriever NONE = new FewShotRetriever();

    private final Embedder embedder;
    private final VectorIndex index;
    private final int k;
    private final ExampleRenderer renderer;
    private final Object lock = new Object();

    /**
     * @param k examples per request, at least 1; use {@link #none()} for zero
     */
    public FewShotRetriever(Embedder embedder, VectorIndex index, int k, ExampleRenderer renderer) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.index = Objects.requireNonNull(index, "index");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k + "; use FewShotRetriever.none()"
                    + " to run without retrieved examples");
        }
        this.k = k;
    }

    private FewShotRetriever() {
        this.embedder = null;
        this.index = null;
        this.k = 0;
        this.renderer = null;
    }

    /** Returns the retriever that retrieves nothing (k = 0) and calls no embedder. */
    public static FewShotRetriever none() {
        return NONE;
    }

    public int k() {
        return k;
    }

    /**
     * Returns up to k examples, most similar first. An example whose id equals the interaction's id is skipped,
     * so a row that was also indexed cannot be its own example.
     *
     * @throws dev.tuneladder.core.embedding.EmbeddingException when the embedder fails
     */
    public List<SearchHit> retrieve(Interaction interaction) {
        if (k == 0) {
            return List.of();
        }
        List<SearchHit> hits;
        synchronized (lock) {
            float[] query = embedder.embed(interaction.lastUserText());
            hits = index.search(query, k + 1, null);
        }
        List<SearchHit> examples = new ArrayList<>(k);
        for (SearchHit hit : hits) {
            if (examples.size() < k && !hit.id().equals(interaction.id())) {
                examples.add(hit);
            }
        }
        return examples;
    }

    /** Renders the examples in the given order, separated by blank lines; empty text for no examples. */
    public String render(List<SearchHit> examples) {
        if (examples.isEmpty()) {
            return "";
        }
        List<String> rendered = new ArrayList<>(examples.size());
        for (SearchHit example : examples) {
            rendered.add(renderer.render(example));
        }
        return String.join("\n\n", rendered);
    }
}
