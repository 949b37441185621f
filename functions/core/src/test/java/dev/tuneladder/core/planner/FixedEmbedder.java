package dev.tuneladder.core.planner;

import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An embedder for tests that returns hand-made vectors for known texts and counts its calls. */
final class FixedEmbedder implements Embedder {

    private final Map<String, float[]> vectors = new HashMap<>();
    private int calls;

    FixedEmbedder with(String text, float... vector) {
        vectors.put(text, Vectors.normalized(vector));
        return this;
    }

    int calls() {
        return calls;
    }

    @Override
    public String modelId() {
        return "fixed-test-vectors";
    }

    @Override
    public int dimensions() {
        return 3;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        calls++;
        List<float[]> result = new ArrayList<>();
        for (String text : texts) {
            float[] vector = vectors.get(text);
            if (vector == null) {
                throw new AssertionError("no test vector for text '" + text + "'");
            }
            result.add(vector.clone());
        }
        return result;
    }
}
