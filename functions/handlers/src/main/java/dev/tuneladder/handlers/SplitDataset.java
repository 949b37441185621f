package dev.tuneladder.handlers;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.sampling.KMeans;
import dev.tuneladder.core.sampling.SamplerConfig;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The dataset of a split run as each step of the {@code sampling} state machine reads it: the rows that parse, in
 * file order, the rejected lines, and the SHA-256 of the object. Every step reads the whole object with the same
 * rules, so all steps see the same rows at the same indices. Each later step compares the checksum with the one
 * that the earlier steps recorded, which detects a dataset replaced during the run.
 *
 * <p>Task input fields: {@code dataset: {key, maxBadRows?}}, where {@code key} names a JSON Lines object of
 * interactions in the run bucket. A line that does not parse, or repeats an id, is rejected. More than
 * {@code maxBadRows} (default 0) rejected lines fail the task with {@link InvalidTaskInput} naming the line.
 *
 * @param key the dataset's object key
 * @param rows the interactions that parsed, in file order
 * @param badRows the rejected lines with their line numbers and reasons
 * @param sha256 hex SHA-256 of the object's bytes
 */
record SplitDataset(String key, List<Interaction> rows, BadRows badRows, String sha256) {

    /** Reads the dataset that the input's {@code dataset} object names. */
    static SplitDataset read(BlobStore store, TaskInput input) {
        TaskInput dataset = input.object("dataset");
        String key = dataset.text("key");
        int maxBadRows = (int) dataset.optionalLong("maxBadRows", 0, 0, Integer.MAX_VALUE);

        byte[] bytes;
        try {
            bytes = store.readAllBytes(key);
        } catch (BlobNotFoundException e) {
            throw dataset.invalid("key", "names " + store.location(key) + ", which does not exist; upload the"
                    + " dataset there first");
        } catch (IllegalArgumentException e) {
            throw dataset.invalid("key", "is not a valid key: " + e.getMessage());
        }

        BadRows badRows = new BadRows(maxBadRows);
        List<Interaction> rows;
        try (InputStreamReader reader = new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            rows = JsonLines.readInteractions(reader, store.location(key), badRows);
        } catch (DatasetFormatException e) {
            throw new InvalidTaskInput(dataset.path("key"), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
        return new SplitDataset(key, List.copyOf(rows), badRows, sha256(bytes));
    }

    /**
     * Reads the sampler settings from the input's optional {@code config} object: {@code stratifyBy, clusters,
     * perCluster, evalFraction, nearDuplicateThreshold, seed, maxIterations}, each defaulting to
     * {@link SamplerConfig#defaults()}.
     */
    static SamplerConfig config(TaskInput input) {
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

    /** Returns the key of an object of the run's split: {@code runs/{runId}/split/{name}}. */
    static String splitKey(String runId, String name) {
        return StepTaskHandler.runKey(runId, "split/" + name);
    }

    /** Returns the manifest's input checksums: the dataset key and its SHA-256. */
    Map<String, String> checksums() {
        return Map.of(key, sha256);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
