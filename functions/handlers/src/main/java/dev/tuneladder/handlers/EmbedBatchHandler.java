package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.storage.BlobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code embed-batch}, the first step of the {@code sampling} state machine: embeds the last
 * user text of rows {@code [offset, offset + limit)} of a dataset with Bedrock Titan and stores the vectors in
 * {@code runs/{runId}/split/embeddings/{offset}.bin} (see {@link EmbeddingBatchFile}).
 *
 * <p>Input: {@code {runId, dataset: {key, maxBadRows?}, offset, limit}}. Offsets count the dataset's valid rows,
 * not its lines, so rejected lines shift no batch; see {@link SplitDataset} for how bad lines are handled. An
 * offset at or past the last row embeds nothing, so the state machine may plan batches from an upper bound of the
 * row count. Output: {@code {offset, count, embeddingsKey}}, with no key when {@code count} is 0, and nothing else,
 * because the Map state collects one output per batch into a payload limited to 256 KiB.
 *
 * <p>The rows are embedded in calls of {@value HandlerConfig#SAMPLING_EMBEDDING_BATCH} texts, each retried on
 * throttling and server errors with backoff and jitter drawn after a SnapStart restore (see {@link Resilience}).
 * The key depends on the offset only, so a retried batch overwrites its own object.
 *
 * <p>NOTE: every batch reads and parses the whole dataset to find its rows by index, so a run reads the dataset
 * once per batch and its parsing work grows with rows × batches. No run of that size has been measured.
 */
public final class EmbedBatchHandler extends StepTaskHandler {

    /** Concurrent embedding calls per container; Titan's own parallelism applies inside each call. */
    static final int MAX_CONCURRENCY = 4;

    /**
     * Largest {@code limit}, the bound that HandlerConfig puts on the call size. A batch must also finish within the
     * function's timeout (15 minutes at most), which no test measures.
     */
    static final int MAX_LIMIT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(EmbedBatchHandler.class);

    private final BlobStore store;
    private final Embedder embedder;
    private final int callSize;

    /** Builds the S3 and Bedrock clients from the environment (see {@link HandlerConfig}). */
    public EmbedBatchHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private EmbedBatchHandler(HandlerConfig config) {
        this(runStore(config), Resilience.titanEmbedder(config, taskCaller()), config.samplingEmbeddingBatch());
    }

    /**
     * @param embedder returns unit vectors, already wrapped in retries
     * @param callSize texts per embedding call
     */
    EmbedBatchHandler(BlobStore store, Embedder embedder, int callSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (callSize < 1) {
            throw new IllegalArgumentException("embedding call size must be 1 or more, got " + callSize);
        }
        this.callSize = callSize;
    }

    static ResilientCaller taskCaller() {
        return Resilience.taskCaller(MAX_CONCURRENCY);
    }

    /** Returns the key of the embeddings batch that starts at {@code offset}, zero-padded so keys sort by offset. */
    static String embeddingsKey(String runId, int offset) {
        return SplitDataset.splitKey(runId, String.format(Locale.ROOT, "embeddings/%010d.bin", offset));
    }

    @Override
    String function() {
        return "embed-batch";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        int offset = input.integer("offset");
        if (offset < 0) {
            throw input.invalid("offset", "is " + offset + "; pass the index of the batch's first row, 0 or more");
        }
        int limit = input.integer("limit");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw input.invalid("limit", "is " + limit + "; pass the rows per batch, from 1 to " + MAX_LIMIT);
        }
        SplitDataset dataset = SplitDataset.read(store, input);

        List<Interaction> rows = dataset.rows();
        List<Interaction> batch = rows.subList(Math.min(offset, rows.size()),
                (int) Math.min(rows.size(), (long) offset + limit));
        ObjectNode output = MAPPER.createObjectNode();
        output.put("offset", offset);
        output.put("count", batch.size());
        if (!batch.isEmpty()) {
            String key = embeddingsKey(runId, offset);
            List<float[]> vectors = embed(batch);
            store.write(key, new EmbeddingBatchFile(dataset.sha256(), embedder.modelId(), offset, vectors).encode());
            output.put("embeddingsKey", key);
        }
        LOG.info("batch embedded: offset={} count={} datasetRows={} rejected={}", offset, batch.size(), rows.size(),
                dataset.badRows().count());
        return output;
    }

    /** Embeds the rows' last user texts, {@link #callSize} texts per retried call. */
    private List<float[]> embed(List<Interaction> rows) {
        List<float[]> vectors = new ArrayList<>(rows.size());
        for (int start = 0; start < rows.size(); start += callSize) {
            List<String> texts = new ArrayList<>();
            for (Interaction row : rows.subList(start, Math.min(rows.size(), start + callSize))) {
                texts.add(row.lastUserText());
            }
            vectors.addAll(embedder.embedAll(texts));
        }
        return vectors;
    }
}
