package dev.tuneladder.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.tuneladder.core.embedding.EmbeddingException;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OnnxMiniLmEmbedderTest {

    private static final List<String> SENTENCES = List.of(
            "How do I reset my password?",
            "I forgot my password and need to change it.",
            "The train to Lisbon leaves at nine in the morning.",
            "My card payment was declined at the supermarket.",
            "Why was my card refused when I tried to pay?",
            "Tomatoes grow best in full sun.",
            "Can I get a refund for a purchase I cancelled?");

    @Test
    void embedAll_returnsUnitVectorsOf384Dimensions() {
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder()) {
            List<float[]> vectors = embedder.embedAll(SENTENCES);

            assertThat(vectors).hasSize(SENTENCES.size());
            for (float[] vector : vectors) {
                assertThat(vector).hasSize(384);
                assertThat(Math.sqrt(Vectors.dot(vector, vector))).isCloseTo(1.0, offset(1e-6));
            }
        }
    }

    @Test
    void modelIdAndDimensions_matchTheModel() {
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder()) {
            assertThat(embedder.modelId()).isEqualTo("all-MiniLM-L6-v2-q");
            assertThat(embedder.dimensions()).isEqualTo(384);
        }
    }

    @Test
    void paraphrases_closerThanUnrelatedSentences() {
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder()) {
            List<float[]> v = embedder.embedAll(SENTENCES);

            double passwordPair = Vectors.dot(v.get(0), v.get(1));
            double declinedPair = Vectors.dot(v.get(3), v.get(4));

            assertThat(passwordPair).isGreaterThan(Vectors.dot(v.get(0), v.get(2)));
            assertThat(passwordPair).isGreaterThan(Vectors.dot(v.get(0), v.get(5)));
            assertThat(passwordPair).isGreaterThan(Vectors.dot(v.get(1), v.get(3)));
            assertThat(declinedPair).isGreaterThan(Vectors.dot(v.get(3), v.get(2)));
            assertThat(declinedPair).isGreaterThan(Vectors.dot(v.get(4), v.get(5)));
            assertThat(declinedPair).isGreaterThan(Vectors.dot(v.get(4), v.get(6)));
        }
    }

    @Test
    void sameTextTwice_givesSameBits() {
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder()) {
            List<float[]> first = embedder.embedAll(SENTENCES);
            List<float[]> second = embedder.embedAll(SENTENCES);

            for (int i = 0; i < SENTENCES.size(); i++) {
                assertThat(second.get(i)).as("sentence %d", i).containsExactly(first.get(i));
            }
        }
    }

    @Test
    void textAloneOrInsideBatch_givesSameBits() {
        List<float[]> batched;
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder().threads(2).batchSize(3).build()) {
            batched = embedder.embedAll(SENTENCES);
        }

        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder().threads(1).batchSize(64).build()) {
            for (int i = 0; i < SENTENCES.size(); i++) {
                float[] alone = embedder.embed(SENTENCES.get(i));
                assertThat(alone).as("sentence %d", i).containsExactly(batched.get(i));
            }
        }
    }

    @Test
    void emptyList_returnsEmptyListAndNoProgress() {
        List<Long> progress = new ArrayList<>();
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder().progress(progress::add).build()) {
            assertThat(embedder.embedAll(List.of())).isEmpty();
        }
        assertThat(progress).isEmpty();
    }

    @Test
    void progress_reportsTextsDoneAfterEachBatch() {
        List<Long> progress = new ArrayList<>();
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder().batchSize(3).progress(progress::add).build()) {
            embedder.embedAll(SENTENCES);
        }
        assertThat(progress).containsExactly(3L, 6L, 7L);
    }

    @Test
    void blankText_rejectedWithItsIndex() {
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder()) {
            assertThatThrownBy(() -> embedder.embedAll(List.of("fine", "  \t")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("index 1")
                    .hasMessageContaining("blank");
        }
    }

    @Test
    void modelFailure_reportsBatchRangeNotText() {
        String secret = "customer account number 12345";
        List<String> texts = List.of("first text", "second text", "third text", secret, "fifth text");

        // The first batch [0, 2) succeeds; the second fails because the executor rejects its tasks.
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder(new RejectAfterExecutor(2), 2, done -> { })) {
            assertThatThrownBy(() -> embedder.embedAll(texts))
                    .isInstanceOf(EmbeddingException.class)
                    .hasMessageContaining("[2, 4) of 5")
                    .hasMessageNotContaining(secret)
                    .hasCauseInstanceOf(RejectedExecutionException.class);
        }
    }

    @Test
    void closedEmbedder_rejectsCalls() {
        OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder();
        embedder.close();

        assertThatThrownBy(() -> embedder.embed("hello"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void builder_rejectsNonPositiveSettings() {
        assertThatThrownBy(() -> OnnxMiniLmEmbedder.builder().threads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads");
        assertThatThrownBy(() -> OnnxMiniLmEmbedder.builder().batchSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize");
    }

    /** Runs the first {@code allowed} tasks on the calling thread, then rejects every task. */
    private static final class RejectAfterExecutor extends AbstractExecutorService {

        private int allowed;
        private boolean shutdown;

        RejectAfterExecutor(int allowed) {
            this.allowed = allowed;
        }

        @Override
        public void execute(Runnable command) {
            if (allowed-- <= 0) {
                throw new RejectedExecutionException("test executor accepts no more tasks");
            }
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
