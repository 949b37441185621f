package dev.tuneladder.core.embedding;

import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Retries a remote embedder on throttling, server errors and timeouts. The texts go in slices of
 * {@code sliceSize}, each retried on its own, so a throttled call re-sends at most one slice rather than the
 * whole list.
 */
public final class RetryingEmbedder implements Embedder {

    private final Embedder delegate;
    private final ResilientCaller caller;
    private final int sliceSize;

    public RetryingEmbedder(Embedder delegate, ResilientCaller caller, int sliceSize) {
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
