package dev.tuneladder.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.sampling.SplitManifest;
import dev.tuneladder.core.sampling.SplitResult;
import dev.tuneladder.core.sampling.SplitWriter;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code write-splits}, the last step of the {@code sampling} state machine: writes the split
 * that draw-and-split decided as {@code train.jsonl}, {@code eval.jsonl}, {@code sample.jsonl} and
 * {@code manifest.json} under {@code runs/{runId}/split/}, and the rejected dataset lines with their line numbers
 * and reasons as {@code rejects.jsonl} when there are any. Every line of the dataset ends in train or eval, or in
 * the rejects.
 *
 * <p>Input: {@code {runId, dataset: {key, maxBadRows?}, drawKey}}. Output: {@code {runId, rows, train, eval,
 * sample, rejected, trainKey, evalKey, sampleKey, manifestKey, rejectsKey?, embeddingModelId}}.
 */
public final class WriteSplitsHandler extends StepTaskHandler {

    static final String REJECTS_FILE = "rejects.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(WriteSplitsHandler.class);

    private final BlobStore store;

    /** Builds the S3 client from the environment (see {@link HandlerConfig}). */
    public WriteSplitsHandler() {
        this(runStore(HandlerConfig.fromEnvironment()));
    }

    WriteSplitsHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "write-splits";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        SplitDataset dataset = SplitDataset.read(store, input);
        String drawKey = input.text("drawKey");
        String location = store.location(drawKey);
        JsonNode draw = readDraw(input, drawKey);
        List<Interaction> rows = dataset.rows();
        if (draw.path("format").asInt(-1) != DrawAndSplitHandler.FORMAT
                || draw.path("rows").asInt(-1) != rows.size()) {
            throw input.invalid("drawKey", "names " + location + ", which is not a draw of format "
                    + DrawAndSplitHandler.FORMAT + " over the " + rows.size() + " rows of "
                    + store.location(dataset.key()) + "; pass the draw-and-split output of this run");
        }
        SplitManifest manifest = manifest(input, draw, location);
        if (!dataset.sha256().equals(manifest.inputChecksums().get(dataset.key()))) {
            throw input.invalid("drawKey", "names " + location + ", which was drawn from another version of "
                    + store.location(dataset.key()) + "; the dataset changed during the run, so start the split"
                    + " again");
        }

        SplitResult result;
        try {
            result = new SplitResult(select(input, draw, "train", rows), select(input, draw, "eval", rows),
                    select(input, draw, "sample", rows), manifest);
        } catch (IllegalArgumentException e) {
            throw input.invalid("drawKey", "names " + location + ", whose lists do not match its manifest: "
                    + e.getMessage());
        }

        String trainKey = SplitDataset.splitKey(runId, SplitWriter.TRAIN_FILE);
        String evalKey = SplitDataset.splitKey(runId, SplitWriter.EVAL_FILE);
        String sampleKey = SplitDataset.splitKey(runId, SplitWriter.SAMPLE_FILE);
        String manifestKey = SplitDataset.splitKey(runId, SplitWriter.MANIFEST_FILE);
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
        output.put("rejected", dataset.badRows().count());
        output.put("trainKey", trainKey);
        output.put("evalKey", evalKey);
        output.put("sampleKey", sampleKey);
        output.put("manifestKey", manifestKey);
        if (dataset.badRows().count() > 0) {
            String rejectsKey = SplitDataset.splitKey(runId, REJECTS_FILE);
            store.writeJsonLines(rejectsKey, dataset.badRows().rejected());
            output.put("rejectsKey", rejectsKey);
        }
        output.put("embeddingModelId", manifest.embeddingModelId());
        LOG.info("splits written: rows={} train={} eval={} sample={} rejected={} strata={}", rows.size(),
                result.train().size(), result.eval().size(), result.sample().size(), dataset.badRows().count(),
                manifest.totals().strata());
        return output;
    }

    private JsonNode readDraw(TaskInput input, String key) {
        try {
            return MAPPER.readTree(store.readAllBytes(key));
        } catch (BlobNotFoundException e) {
            throw input.invalid("drawKey", "names " + store.location(key) + ", which does not exist; pass the"
                    + " draw-and-split output of this run");
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
    }

    private static SplitManifest manifest(TaskInput input, JsonNode draw, String location) {
        try {
            return MAPPER.treeToValue(draw.path("manifest"), SplitManifest.class);
        } catch (JsonProcessingException e) {
            throw input.invalid("drawKey", "names " + location + ", whose manifest is invalid: "
                    + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw input.invalid("drawKey", "names " + location + ", whose manifest is invalid: " + e.getMessage());
        }
    }

    private static List<Interaction> select(TaskInput input, JsonNode draw, String list, List<Interaction> rows) {
        List<Interaction> selected = new ArrayList<>();
        for (JsonNode index : draw.path(list)) {
            if (!index.canConvertToInt() || index.asInt() < 0 || index.asInt() >= rows.size()) {
                throw input.invalid("drawKey", "has the index " + index + " in '" + list + "', outside the "
                        + rows.size() + " rows of the dataset; pass the draw-and-split output of this run");
            }
            selected.add(rows.get(index.asInt()));
        }
        return selected;
    }
}
