package dev.tuneladder.local;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.EmbeddingException;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Sentence embeddings from the quantized all-MiniLM-L6-v2 model (384 dimensions, mean pooling), run in-process
 * through ONNX Runtime by langchain4j's {@link AllMiniLmL6V2QuantizedEmbeddingModel}.
 *
 * <p>Texts go to the model in batches of {@link Builder#batchSize(int)}. Inside a batch, langchain4j 1.19 encodes
 * each text on its own (no padding to a common length) on this embedder's thread pool. So a text's vector does not
 * depend on the batch it came in, its position, or the number of threads, which the sampler needs to be
 * reproducible; the tests check this bit for bit. Texts longer than the model's 512-token window are split by
 * langchain4j into partitions whose vectors are averaged, weighted by token count.
 *
 * <p>The thread pool belongs to this embedder: {@link #close()} shuts it down. ONNX Runtime also runs its own
 * intra-op threads (one per physical core by default) inside each encode call, which this class does not
 * control. The ONNX session is a static singleton inside langchain4j and stays loaded after {@code close()}.
 *
 * <p>Safe for use by several threads at once, though the progress callback then reports each call's own count.
 */
public final class OnnxMiniLmEmbedder implements Embedder, AutoCloseable {

    /** Model identifier recorded in manifests and index metadata. */
    public static final String MODEL_ID = "all-MiniLM-L6-v2-q";

    /** Length of every vector this model returns. */
    public static final int DIMENSIONS = 384;

    /** Texts per call into the model when the builder sets none. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final ExecutorService executor;
    private final EmbeddingModel model;
    private final int batchSize;
    private final LongConsumer progress;
    private volatile boolean closed;

    /** Creates an embedder with one worker thread and the default batch size. */
    public OnnxMiniLmEmbedder() {
        this(builder());
    }

    private OnnxMiniLmEmbedder(Builder builder) {
        this(newPool(builder.threads), builder.batchSize, builder.progress);
    }

    /** Uses the given executor, which this embedder then owns and shuts down on close. */
    OnnxMiniLmEmbedder(ExecutorService executor, int batchSize, LongConsumer progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
        this.batchSize = batchSize;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    /**
     * Embeds the texts in batches and calls the progress callback after each batch with the number of texts
     * done so far in this call. An empty list returns an empty list without touching the model.
     *
     * @throws IllegalArgumentException when a text is null or blank; the message gives its index
     * @throws EmbeddingException when the model fails on a batch; the message gives the batch's index range
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (closed) {
            throw new IllegalStateException(MODEL_ID + " embedder is closed: create a new one");
        }
        validate(texts);

        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(from + batchSize, texts.size());
            vectors.addAll(embedBatch(texts, from, to));
            progress.accept(to);
        }
        return vectors;
    }

    /** Shuts down the worker threads; calls already running finish first. */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
    }

    private static void validate(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new IllegalArgumentException("text at index " + i + " is null: drop the row or give it text");
            }
            if (text.isBlank()) {
                throw new IllegalArgumentException("text at index " + i + " is blank, and " + MODEL_ID
                        + " cannot embed empty or whitespace-only text: drop the row or give it text");
            }
        }
    }

    private List<float[]> embedBatch(List<String> texts, int from, int to) {
        List<TextSegment> segments = new ArrayList<>(to - from);
        for (String text : texts.subList(from, to)) {
            segments.add(TextSegment.from(text));
        }

        List<Embedding> embeddings;
        try {
            embeddings = model.embedAll(segments).content();
        } catch (RuntimeException e) {
            // The cause's message comes from ONNX Runtime or the executor and carries no input text.
            throw new EmbeddingException(MODEL_ID + " failed on texts [" + from + ", " + to + ") of "
                    + texts.size() + ": " + e.getClass().getSimpleName(), e);
        }
        if (embeddings.size() != segments.size()) {
            throw new EmbeddingException(MODEL_ID + " returned " + embeddings.size() + " vectors for texts ["
                    + from + ", " + to + "), expected " + segments.size(), null);
        }

        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            float[] vector = embeddings.get(i).vector();
            if (vector.length != DIMENSIONS) {
                throw new EmbeddingException(MODEL_ID + " returned " + vector.length + " dimensions for text at index "
                        + (from + i) + ", expected " + DIMENSIONS, null);
            }
            // langchain4j already L2-normalizes; normalizing again here keeps the port's contract independent of
            // that library detail and is deterministic.
            vectors.add(Vectors.normalized(vector));
        }
        return vectors;
    }

    private static ExecutorService newPool(int threads) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "minilm-embedder-" + counter.incrementAndGet());
            // Daemon threads, so an embedder that is never closed does not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(threads, factory);
    }

    /** Settings for {@link OnnxMiniLmEmbedder}: thread count, batch size and progress callback. */
    public static final class Builder {

        private int threads = 1;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private LongConsumer progress = done -> {
        };

        private Builder() {
        }

        /** Sets the number of worker threads that encode texts of a batch in parallel; default 1. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Sets the number of texts passed to the model per call; default {@value OnnxMiniLmEmbedder#DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets a callback run on the calling thread after each batch with the number of texts embedded so far in
         * the current {@code embedAll} call.
         */
        public Builder progress(LongConsumer progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public OnnxMiniLmEmbedder build() {
            return new OnnxMiniLmEmbedder(this);
        }
    }
}
