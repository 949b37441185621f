package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.sampling.Clustering;
import dev.tuneladder.core.sampling.SamplerConfig;
import dev.tuneladder.core.sampling.Strata;
import dev.tuneladder.core.sampling.StratifiedSampler;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code cluster-strata}, the second step of the {@code sampling} state machine: fits the
 * k-means clustering of each stratum over the stored embeddings ({@link StratifiedSampler#cluster}) and writes the
 * cluster assignments to {@code runs/{runId}/split/clusters.jsonl}, one line per stratum:
 * {@code {stratum, points, iterations, converged, assignments}}.
 *
 * <p>Input: {@code {runId, dataset: {key, maxBadRows?}, config?, embeddings}}, where {@code embeddings} is the
 * array of embed-batch outputs and {@code config} the sampler settings (see {@link SplitDataset#config}). Output:
 * {@code {clustersKey, rows, strata}}.
 */
public final class ClusterStrataHandler extends StepTaskHandler {

    static final String CLUSTERS_FILE = "clusters.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterStrataHandler.class);

    private final BlobStore store;

    /** Builds the S3 client from the environment (see {@link HandlerConfig}). */
    public ClusterStrataHandler() {
        this(runStore(HandlerConfig.fromEnvironment()));
    }

    ClusterStrataHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "cluster-strata";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        SplitDataset dataset = SplitDataset.read(store, input);
        SamplerConfig config = SplitDataset.config(input);
        EmbeddingBatchFile.Embeddings embeddings = EmbeddingBatchFile.readAll(store, input, dataset);

        SortedMap<String, Clustering> clusterings;
        try {
            clusterings = StratifiedSampler.cluster(dataset.rows(), embeddings.vectors(), config);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput("embeddings", store.location(dataset.key()) + ": " + e.getMessage(), e);
        }

        String key = SplitDataset.splitKey(runId, CLUSTERS_FILE);
        List<ObjectNode> lines = new ArrayList<>();
        clusterings.forEach((stratum, clustering) -> lines.add(toJson(stratum, clustering)));
        store.writeJsonLines(key, lines);
        LOG.info("strata clustered: rows={} strata={}", dataset.rows().size(), clusterings.size());

        ObjectNode output = MAPPER.createObjectNode();
        output.put("clustersKey", key);
        output.put("rows", dataset.rows().size());
        output.put("strata", clusterings.size());
        return output;
    }

    private static ObjectNode toJson(String stratum, Clustering clustering) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("stratum", stratum);
        line.put("points", clustering.pointCount());
        line.put("iterations", clustering.iterations());
        line.put("converged", clustering.converged());
        ArrayNode assignments = line.putArray("assignments");
        for (int cluster : clustering.assignments()) {
            assignments.add(cluster);
        }
        return line;
    }

    /**
     * Reads the clusterings that this task wrote to {@code key} for the same dataset and config. The centroids are
     * recomputed from the assignments ({@link Clustering#fromAssignments}), which gives the fitted ones exactly.
     *
     * @param field the input field that named the key, for error messages
     */
    static SortedMap<String, Clustering> readClusterings(BlobStore store, TaskInput input, String field,
            List<Interaction> rows, List<float[]> vectors, SamplerConfig config) {
        String key = input.text(field);
        String location = store.location(key);
        Map<String, List<Integer>> strata = Strata.group(rows, config.stratifyBy());
        SortedMap<String, Clustering> clusterings = new TreeMap<>();
        for (JsonNode line : readLines(store, input, field, key)) {
            String stratum = line.path("stratum").asText(null);
            List<Integer> members = strata.get(stratum);
            JsonNode assignments = line.path("assignments");
            if (members == null || !assignments.isArray() || assignments.size() != members.size()) {
                throw input.invalid(field, "names " + location + ", whose stratum '" + stratum + "' does not match"
                        + " the dataset's strata under stratifyBy '" + config.stratifyBy() + "'; pass the"
                        + " cluster-strata output of this run with the same config");
            }
            List<float[]> points = new ArrayList<>(members.size());
            int[] clusters = new int[members.size()];
            for (int i = 0; i < members.size(); i++) {
                points.add(vectors.get(members.get(i)));
                clusters[i] = assignments.get(i).asInt();
            }
            try {
                clusterings.put(stratum, Clustering.fromAssignments(points, clusters,
                        line.path("iterations").asInt(), line.path("converged").asBoolean()));
            } catch (IllegalArgumentException e) {
                throw input.invalid(field, "names " + location + ", whose stratum '" + stratum + "' is invalid: "
                        + e.getMessage());
            }
        }
        return clusterings;
    }

    private static List<JsonNode> readLines(BlobStore store, TaskInput input, String field, String key) {
        try {
            List<JsonNode> lines = new ArrayList<>();
            for (String text : new String(store.readAllBytes(key), StandardCharsets.UTF_8).split("\n")) {
                if (!text.isBlank()) {
                    lines.add(MAPPER.readTree(text));
                }
            }
            return lines;
        } catch (BlobNotFoundException e) {
            throw input.invalid(field, "names " + store.location(key) + ", which does not exist; pass the"
                    + " cluster-strata output of this run");
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
    }
}
