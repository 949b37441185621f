package dev.tuneladder.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryingEmbedderTest {

    private static final RetryPolicy POLICY =
            new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMinutes(1));

    /** Embeds each text as {length}; fails the listed calls (0-based) with a throttling error. */
    private static final class FlakyEmbedder implements Embedder {

        final List<List<String>> calls = new ArrayList<>();
        private final List<Integer> failingCalls;

        FlakyEmbedder(List<Integer> failingCalls) {
            this.failingCalls = failingCalls;
        }

        @Override
        public String modelId() {
            return "stub-embedder";
        }

        @Override
        public int dimensions() {
            return 1;
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            int call = calls.size();
            calls.add(List.copyOf(texts));
            if (failingCalls.contains(call)) {
                throw new EmbeddingException("call " + call + " throttled",
                        new ModelCallException(ModelCallException.Kind.THROTTLED, 429, "throttled"));
            }
            return texts.stream().map(t -> new float[] {t.length()}).toList();
        }
    }

    private static ResilientCaller caller() {
        return new ResilientCaller(POLICY, AdaptiveConcurrencyLimiter.withMaxLimit(1), MonotonicClock.SYSTEM,
                duration -> { }, new Random(5));
    }

    @Test
    void throttledSlice_retriesThatSliceOnly() {
        FlakyEmbedder delegate = new FlakyEmbedder(List.of(1));
        RetryingEmbedder embedder = new RetryingEmbedder(delegate, caller(), 2);

        List<float[]> vectors = embedder.embedAll(List.of("a", "bb", "ccc", "dddd", "eeeee"));

        assertThat(vectors).extracting(v -> v[0]).containsExactly(1f, 2f, 3f, 4f, 5f);
        assertThat(delegate.calls).containsExactly(List.of("a", "bb"), List.of("ccc", "dddd"),
                List.of("ccc", "dddd"), List.of("eeeee"));
    }

    @Test
    void failingSlice_namesTextRange() {
        FlakyEmbedder delegate = new FlakyEmbedder(List.of(1, 2, 3, 4));
        RetryingEmbedder embedder = new RetryingEmbedder(delegate, caller(), 2);

        assertThatThrownBy(() -> embedder.embedAll(List.of("a", "bb", "ccc", "dddd")))
                .isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("index 2 to 3")
                .hasCauseInstanceOf(ModelCallException.class);
        assertThat(delegate.calls).hasSize(1 + POLICY.maxAttempts());
    }

    @Test
    void sliceSizeBelowOne_isRejected() {
        assertThatThrownBy(() -> new RetryingEmbedder(new FlakyEmbedder(List.of()), caller(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sliceSize");
    }
}
