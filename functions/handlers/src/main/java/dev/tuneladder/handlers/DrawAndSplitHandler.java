package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.sampling.Clustering;
import dev.tuneladder.core.sampling.SamplerConfig;
import dev.tuneladder.core.sampling.SplitResult;
import dev.tuneladder.core.sampling.StratifiedSampler;
import dev.tuneladder.core.storage.BlobStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code draw-and-split}, the third step of the {@code sampling} state machine: splits the
 * dataset into train and eval by stratum and near-duplicate group, draws the few-shot sample per cluster
 * ({@link StratifiedSampler#split} with the stored clusterings), and writes the decision to
 * {@code runs/{runId}/split/draw.json}: {@code {format, rows, train, eval, sample, manifest}}, where the three
 * lists hold indices into the dataset's valid rows in output order and {@code manifest} is the split's manifest.
 *
 * <p>Input: {@code {runId, dataset: {key, maxBadRows?}, config?, embeddings, clustersKey}}, with the same dataset,
 * config and embeddings as cluster-strata and its {@code clustersKey}. Output: {@code {drawKey, rows, train, eval,
 * sample}}, the last three as counts.
 */
public final class DrawAndSplitHandler extends StepTaskHandler {

    static final String DRAW_FILE = "draw.json";

    /** Version of the draw object; write-splits rejects any other. */
    static final int FORMAT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(DrawAndSplitHandler.class);

    private final BlobStore store;

    /** Builds the S3 client from the environment (see {@link HandlerConfig}). */
    public DrawAndSplitHandler() {
        this(runStore(HandlerConfig.fromEnvironment()));
    }

    DrawAndSplitHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "draw-and-split";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        SplitDataset dataset = SplitDataset.read(store, input);
        SamplerConfig config = SplitDataset.config(input);
        EmbeddingBatchFile.Embeddings embeddings = EmbeddingBatchFile.readAll(store, input, dataset);
        SortedMap<String, Clustering> clusterings = ClusterStrataHandler.readClusterings(store, input,
                "clustersKey", dataset.rows(), embeddings.vectors(), config);

        SplitResult result;
        try {
            result = StratifiedSampler.split(dataset.rows(), embeddings.vectors(), config, embeddings.modelId(),
                    dataset.checksums(), clusterings);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput("clustersKey", store.location(dataset.key()) + ": " + e.getMessage(), e);
        }

        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < dataset.rows().size(); i++) {
            indexById.put(dataset.rows().get(i).id(), i);
        }
        ObjectNode draw = MAPPER.createObjectNode();
        draw.put("format", FORMAT);
        draw.put("rows", dataset.rows().size());
        indices(draw.putArray("train"), result.train(), indexById);
        indices(draw.putArray("eval"), result.eval(), indexById);
        indices(draw.putArray("sample"), result.sample(), indexById);
        draw.set("manifest", MAPPER.valueToTree(result.manifest()));
        String key = SplitDataset.splitKey(runId, DRAW_FILE);
        store.write(key, output -> MAPPER.writeValue(output, draw));
        LOG.info("split drawn: rows={} train={} eval={} sample={}", dataset.rows().size(), result.train().size(),
                result.eval().size(), result.sample().size());

        ObjectNode output = MAPPER.createObjectNode();
        output.put("drawKey", key);
        output.put("rows", dataset.rows().size());
        output.put("train", result.train().size());
        output.put("eval", result.eval().size());
        output.put("sample", result.sample().size());
        return output;
    }

    private static void indices(ArrayNode array, List<Interaction> rows, Map<String, Integer> indexById) {
        for (Interaction row : rows) {
            array.add(indexById.get(row.id()));
        }
    }
}
