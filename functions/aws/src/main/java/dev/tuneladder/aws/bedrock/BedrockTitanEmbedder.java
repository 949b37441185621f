package dev.tuneladder.aws.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.EmbeddingException;
import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * An {@link Embedder} over Amazon Titan Text Embeddings V2 on Bedrock InvokeModel.
 *
 * <p>Titan takes one text per call ({@code {inputText, dimensions, normalize}} in,
 * {@code {embedding, inputTextTokenCount}} out), so {@link #embedAll} sends one request per text, up to
 * {@link TitanEmbeddingSettings#parallelism()} at a time on this embedder's own threads, and returns the vectors
 * in input order.
 *
 * <p>Normalization: the port promises unit vectors, so every vector is L2-normalized here after it arrives. With
 * {@code normalize=true} (the default) the service has already done it and this step only removes rounding
 * error. With {@code normalize=false} the service returns raw vectors and this step does all the work, so the
 * flag changes where normalization happens, not the result beyond float rounding.
 *
 * <p>Failures: an {@link EmbeddingException} whose cause is a {@link ModelCallException} with the {@link Kind}
 * (throttled, server error, …), so a retry layer can tell transient failures from bad requests. No partial
 * result is returned. There are no retries here.
 *
 * <p>Safe for use by several threads at once. {@link #close()} stops the worker threads; the SDK client is the
 * caller's to close.
 */
public final class BedrockTitanEmbedder implements Embedder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BedrockTitanEmbedder.class);

    /** Maximum text length Titan Text Embeddings V2 accepts, in characters. Its other limit is 8,192 tokens. */
    public static final int MAX_INPUT_CHARS = 50_000;

    private static final String JSON = "application/json";

    private final BedrockRuntimeClient client;
    private final TitanEmbeddingSettings settings;
    private final ExecutorService executor;
    private volatile boolean closed;

    public BedrockTitanEmbedder(BedrockRuntimeClient client, TitanEmbeddingSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = settings.parallelism() > 1 ? newPool(settings.parallelism()) : null;
    }

    /** Returns the Bedrock model id, for example {@value TitanEmbeddingSettings#TITAN_TEXT_V2}. */
    @Override
    public String modelId() {
        return settings.modelId();
    }

    @Override
    public int dimensions() {
        return settings.dimensions();
    }

    /**
     * Embeds each text with one InvokeModel call and returns unit vectors in input order.
     *
     * @throws IllegalArgumentException when a text is null, blank or longer than {@value #MAX_INPUT_CHARS}
     *     characters; the message gives its index
     * @throws EmbeddingException when a call fails; the message gives the text's index, the cause the kind
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (closed) {
            throw new IllegalStateException(modelId() + " embedder is closed: create a new one");
        }
        validate(texts);

        if (executor == null || texts.size() < 2) {
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                vectors.add(embedOne(texts, i));
            }
            return vectors;
        }
        return embedInParallel(texts);
    }

    /** Stops the worker threads; calls already running finish first. */
    @Override
    public void close() {
        closed = true;
        if (executor != null) {
            executor.shutdown();
        }
    }

    private void validate(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new IllegalArgumentException("text at index " + i + " is null: drop the row or give it text");
            }
            if (text.isBlank()) {
                throw new IllegalArgumentException("text at index " + i + " is blank, and " + modelId()
                        + " rejects empty input: drop the row or give it text");
            }
            if (text.length() > MAX_INPUT_CHARS) {
                throw new IllegalArgumentException("text at index " + i + " has " + text.length()
                        + " characters, more than the " + MAX_INPUT_CHARS + " that " + modelId()
                        + " accepts: shorten or split it");
            }
        }
    }

    private List<float[]> embedInParallel(List<String> texts) {
        List<Future<float[]>> futures = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            int index = i;
            futures.add(executor.submit(() -> embedOne(texts, index)));
        }

        List<float[]> vectors = new ArrayList<>(texts.size());
        try {
            for (Future<float[]> future : futures) {
                vectors.add(future.get());
            }
        } catch (ExecutionException e) {
            cancelAll(futures);
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new EmbeddingException(modelId() + " embedding failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            cancelAll(futures);
            Thread.currentThread().interrupt();
            throw new EmbeddingException(modelId() + " embedding was cancelled: the calling thread was interrupted",
                    new ModelCallException(Kind.CANCELLED, 0, "interrupted while waiting for " + modelId(), e));
        }
        return vectors;
    }

    private static void cancelAll(List<Future<float[]>> futures) {
        for (Future<float[]> future : futures) {
            future.cancel(true);
        }
    }

    private float[] embedOne(List<String> texts, int index) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("inputText", texts.get(index))
                .put("dimensions", settings.dimensions())
                .put("normalize", settings.normalize());
        InvokeModelRequest request = InvokeModelRequest.builder()
                .modelId(settings.modelId())
                .contentType(JSON)
                .accept(JSON)
                .body(SdkBytes.fromUtf8String(body.toString()))
                .build();

        InvokeModelResponse response;
        try {
            response = client.invokeModel(request);
        } catch (SdkException e) {
            ModelCallException failure = BedrockErrors.toModelCallException("InvokeModel", settings.modelId(), e);
            throw new EmbeddingException("text at index " + index + " of " + texts.size() + ": "
                    + failure.getMessage(), failure);
        }

        String requestId = response.responseMetadata().requestId();
        float[] vector = parseEmbedding(response.body(), requestId, index, texts.size());
        return Vectors.normalized(vector);
    }

    private float[] parseEmbedding(SdkBytes body, String requestId, int index, int count) {
        JsonNode root;
        try {
            root = JsonDocuments.MAPPER.readTree(body.asByteArray());
        } catch (IOException e) {
            throw malformed(requestId, index, count, "is not JSON (" + e.getClass().getSimpleName() + ")", e);
        }
        JsonNode embedding = root == null ? null : root.get("embedding");
        if (embedding == null || !embedding.isArray()) {
            throw malformed(requestId, index, count, "has no embedding array", null);
        }
        if (embedding.size() != settings.dimensions()) {
            throw malformed(requestId, index, count, "has " + embedding.size() + " dimensions, expected "
                    + settings.dimensions(), null);
        }

        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = embedding.get(i);
            if (!value.isNumber()) {
                throw malformed(requestId, index, count, "has a non-number at embedding[" + i + "]", null);
            }
            vector[i] = value.floatValue();
        }
        LOG.debug("Titan embedding model={} requestId={} inputTextTokenCount={}", settings.modelId(), requestId,
                root.path("inputTextTokenCount").asLong(-1));
        return vector;
    }

    private EmbeddingException malformed(String requestId, int index, int count, String problem, Throwable cause) {
        String message = "Bedrock InvokeModel response from model '" + settings.modelId() + "' (request id "
                + requestId + ") for text at index " + index + " of " + count + " " + problem
                + "; check that the model id names Titan Text Embeddings V2";
        return new EmbeddingException(message, new ModelCallException(Kind.MALFORMED_RESPONSE, 200, message, cause));
    }

    private static ExecutorService newPool(int threads) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "titan-embedder-" + counter.incrementAndGet());
            // Daemon threads, so an embedder that is never closed does not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(threads, factory);
    }
}
