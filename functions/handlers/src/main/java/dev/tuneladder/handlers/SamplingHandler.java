package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.core.model.resilience.Sleeper;
import dev.tuneladder.core.sampling.KMeans;
import dev.tuneladder.core.sampling.SamplerConfig;
import dev.tuneladder.core.sampling.SplitResult;
import dev.tuneladder.core.sampling.SplitWriter;
import dev.tuneladder.core.sampling.StratifiedSampler;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code sampling}: embeds a dataset with Bedrock Titan in batches, splits it into train and
 * eval by stratum and near-duplicate group, draws the few-shot sample from train with {@link StratifiedSampler}, and
 * writes {@code train.jsonl}, {@code eval.jsonl}, {@code sample.jsonl} and {@code manifest.json} under
 * {@code runs/{runId}/split/}.
 *
 * <p>Input: {@code {runId, datasetKey, maxBadRows?, config: {stratifyBy?, clusters?, perCluster?, evalFraction?,
 * nearDuplicateThreshold?, seed?, maxIterations?}}}, where {@code datasetKey} is a JSON Lines object of
 * interactions in the run bucket and absent config fields take the {@link SamplerConfig#defaults() defaults}.
 * Output: {@code {runId, rows, train, eval, sample, rejected, trainKey, evalKey, sampleKey, manifestKey,
 * rejectsKey?, embeddingModelId}}. Rows that do not parse fail the task unless {@code maxBadRows} allows them; the
 * allowed ones go to {@code runs/{runId}/split/rejects.jsonl}.
 *
 * <p>The embedding calls of each batch retry throttling and server errors with backoff and jitter drawn after a
 * SnapStart restore (see {@link Resilience}).
 */
public final class SamplingHandler extends StepTaskHandler {

    /**
     * Retries of one embedding batch. The task runs outside API Gateway's 29-second limit, so it waits out longer
     * throttling than the API functions do. Give the function a timeout well above the 2-minute deadline.
     */
    static final RetryPolicy TASK_POLICY =
            new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(20), Duration.ofMinutes(2));

    /** Concurrent embedding batches per container; Titan's own parallelism applies inside each batch. */
    static final int MAX_CONCURRENCY = 4;

    private static final Logger LOG = LoggerFactory.getLogger(SamplingHandler.class);

    private final BlobStore store;
    private final Embedder embedder;
    private final int batchSize;

    /** Builds the S3 and Bedrock clients from the environment (see {@link HandlerConfig}). */
    public SamplingHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private SamplingHandler(HandlerConfig config) {
        this(runStore(config), Resilience.titanEmbedder(config, taskCaller()), config.samplingEmbeddingBatch());
    }

    /**
     * @param embedder returns unit vectors, already wrapped in retries
     * @param batchSize texts per embedding call
     */
    SamplingHandler(BlobStore store, Embedder embedder, int batchSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (batchSize < 1) {
            throw new IllegalArgumentException("embedding batch size must be 1 or more, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    static ResilientCaller taskCaller() {
        return new ResilientCaller(TASK_POLICY, AdaptiveConcurrencyLimiter.withMaxLimit(MAX_CONCURRENCY),
                MonotonicClock.SYSTEM, Sleeper.SYSTEM, Resilience.RestoreSafeRandom.INSTANCE);
    }

    @Override
    String function() {
        return "sampling";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String datasetKey = input.text("datasetKey");
        int maxBadRows = (int) input.optionalLong("maxBadRows", 0, 0, Integer.MAX_VALUE);
        SamplerConfig config = config(input);

        byte[] dataset = read(datasetKey);
        BadRows badRows = new BadRows(maxBadRows);
        List<Interaction> rows;
        try (InputStreamReader reader = new InputStreamReader(new ByteArrayInputStream(dataset),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            rows = JsonLines.readInteractions(reader, store.location(datasetKey), badRows);
        } catch (DatasetFormatException e) {
            throw new InvalidTaskInput("datasetKey", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(datasetKey), e);
        }

        List<float[]> vectors = embed(rows);
        SplitResult result;
        try {
            result = StratifiedSampler.split(rows, vectors, config, embedder.modelId(),
                    Map.of(datasetKey, sha256(dataset)));
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput("datasetKey", store.location(datasetKey) + ": " + e.getMessage());
        }

        String trainKey = runKey(runId, "split/" + SplitWriter.TRAIN_FILE);
        String evalKey = runKey(runId, "split/" + SplitWriter.EVAL_FILE);
        String sampleKey = runKey(runId, "split/" + SplitWriter.SAMPLE_FILE);
        String manifestKey = runKey(runId, "split/" + SplitWriter.MANIFEST_FILE);
        store.writeJsonLines(trainKey, result.train());
        store.writeJsonLines(evalKey, result.eval());
        store.writeJsonLines(sampleKey, result.sample());
        store.write(manifestKey, (SplitWriter.manifestJson(result.manifest()) + "\n")
                .getBytes(StandardCharsets.UTF_8));

        ObjectNode output = MAPPER.createObjectNode();
        output.put("runId", runId);
        output.put("rows", rows.size());
        output.put("train", result.train().size());
        output.put("eval", result.eval().size());
        output.put("sample", result.sample().size());
        output.put("rejected", badRows.count());
        output.put("trainKey", trainKey);
        output.put("evalKey", evalKey);
        output.put("sampleKey", sampleKey);
        output.put("manifestKey", manifestKey);
        if (badRows.count() > 0) {
            String rejectsKey = runKey(runId, "split/rejects.jsonl");
            store.writeJsonLines(rejectsKey, badRows.rejected());
            output.put("rejectsKey", rejectsKey);
        }
        output.put("embeddingModelId", embedder.modelId());
        LOG.info("dataset split: rows={} train={} eval={} sample={} rejected={} strata={}", rows.size(),
                result.train().size(), result.eval().size(), result.sample().size(), badRows.count(),
                result.manifest().totals().strata());
        return output;
    }

    /** Embeds the rows' last user texts, {@link #batchSize} texts per retried call. */
    private List<float[]> embed(List<Interaction> rows) {
        List<float[]> vectors = new ArrayList<>(rows.size());
        for (int start = 0; start < rows.size(); start += batchSize) {
            List<String> texts = new ArrayList<>();
            for (Interaction row : rows.subList(start, Math.min(rows.size(), start + batchSize))) {
                texts.add(row.lastUserText());
            }
            vectors.addAll(embedder.embedAll(texts));
        }
        return vectors;
    }

    private byte[] read(String key) {
        try {
            return store.readAllBytes(key);
        } catch (BlobNotFoundException e) {
            throw new InvalidTaskInput("datasetKey", "input field 'datasetKey' names " + store.location(key)
                    + ", which does not exist; upload the dataset there first");
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput("datasetKey", "input field 'datasetKey' is not a valid key: "
                    + e.getMessage());
        }
    }

    private static SamplerConfig config(TaskInput input) {
        TaskInput node = input.optionalObject("config");
        SamplerConfig defaults = SamplerConfig.defaults();
        if (node == null) {
            return defaults;
        }
        try {
            return new SamplerConfig(
                    node.has("stratifyBy") ? node.text("stratifyBy") : defaults.stratifyBy(),
                    (int) node.optionalLong("clusters", defaults.clustersPerStratum(), 1, Integer.MAX_VALUE),
                    (int) node.optionalLong("perCluster", defaults.perCluster(), 0, Integer.MAX_VALUE),
                    node.optionalNumber("evalFraction").orElse(defaults.evalFraction()),
                    node.optionalNumber("nearDuplicateThreshold").orElse(defaults.nearDuplicateThreshold()),
                    node.optionalLong("seed", defaults.seed(), Long.MIN_VALUE, Long.MAX_VALUE),
                    (int) node.optionalLong("maxIterations", KMeans.DEFAULT_MAX_ITERATIONS, 1, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput("config", "task input field 'config' is invalid: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
