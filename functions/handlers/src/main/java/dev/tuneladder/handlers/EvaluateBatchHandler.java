package dev.tuneladder.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code evaluate-batch}: scores the routing of one batch of (interaction, prediction) pairs
 * into a partial {@link RoutingMetricsState}, which the aggregate task merges with the other batches' states.
 *
 * <p>Input, one of:
 * <ul>
 *   <li>{@code {runId, batchId?, seed?, replicates?, items: [{interaction, prediction}]}} (inline mode);</li>
 *   <li>{@code {runId, batchId?, seed?, replicates?, itemsKey}}, where {@code itemsKey} is a JSON Lines object
 *       of {@code {interaction, prediction}} in the run bucket;</li>
 *   <li>{@code {Items: [...], BatchInput: {runId, seed?, replicates?}}}, the shape a Distributed Map's
 *       ItemBatcher passes.</li>
 * </ul>
 * Seed and replicates default to {@value RoutingMetricsState#DEFAULT_SEED} and
 * {@value RoutingMetricsState#DEFAULT_REPLICATES}; every batch of a run must use the same values.
 *
 * <p>Output: {@code {runId, batchId?, partialKey, rows, rejected, rejectsKey?}}. The state itself goes to
 * {@code runs/{runId}/partials/{batchKey}.json}, not into the output: Step Functions limits a state's payload to
 * 256 KiB, and a state of 1,000 replicates and 77 labels is several MiB. The batch key is a hash of the batch's
 * item ids, so a retried batch overwrites its own partial instead of adding a second one.
 *
 * <p>No item is dropped: each is scored, written with its reason to
 * {@code runs/{runId}/rejects/{batchKey}.jsonl}, or both, and the output counts the rejects. Not scored, only
 * rejected: an item whose interaction is missing or invalid, has no intent label, or repeats an id of the batch.
 * Scored as a wrong answer and rejected: an item whose prediction is invalid or names another id. Scored as a wrong
 * answer only: an item with no prediction, or with a prediction that carries an error or no label.
 */
public final class EvaluateBatchHandler extends StepTaskHandler {

    /** Replicate counts above this make partial states of hundreds of MiB; no interval needs them. */
    static final long MAX_REPLICATES = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateBatchHandler.class);
    private static final int BATCH_KEY_HEX_DIGITS = 32;

    private final BlobStore store;

    /** Builds the S3 client from the environment (see {@link HandlerConfig}). */
    public EvaluateBatchHandler() {
        this(runStore(HandlerConfig.fromEnvironment()));
    }

    EvaluateBatchHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "evaluate-batch";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        boolean mapBatch = isMapBatch(input);
        TaskInput parameters = mapBatch ? input.object("BatchInput") : input;
        String batchId = parameters.optionalText("batchId");
        // The evaluation state machine passes its settings as BatchInput.evaluation; a top-level value wins.
        TaskInput evaluation = parameters.optionalObject("evaluation");
        TaskInput replicatesSource = parameters.has("replicates") || evaluation == null ? parameters : evaluation;
        TaskInput seedSource = parameters.has("seed") || evaluation == null ? parameters : evaluation;
        int replicates = (int) replicatesSource.optionalLong("replicates", RoutingMetricsState.DEFAULT_REPLICATES,
                1, MAX_REPLICATES);
        long seed = seedSource.optionalLong("seed", RoutingMetricsState.DEFAULT_SEED, Long.MIN_VALUE,
                Long.MAX_VALUE);

        List<Item> items = mapBatch ? inlineItems(input, "Items") : items(parameters);
        Batch batch = new Batch(replicates, seed);
        for (Item item : items) {
            batch.add(item);
        }

        String batchKey = batchKey(items);
        String partialKey = runKey(runId, "partials/" + batchKey + ".json");
        ObjectNode partial = MAPPER.createObjectNode();
        partial.put("format", PartialState.FORMAT);
        partial.put("runId", runId);
        partial.put("batchKey", batchKey);
        if (batchId != null) {
            partial.put("batchId", batchId);
        }
        partial.put("items", items.size());
        partial.put("rows", batch.state.rows());
        partial.put("missingPredictions", batch.missingPredictions);
        partial.put("failedPredictions", batch.failedPredictions);
        partial.put("rejected", batch.rejects.size());
        partial.set("state", batch.state.toJson());
        store.write(partialKey, output -> MAPPER.writeValue(output, partial));

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        if (batchId != null) {
            result.put("batchId", batchId);
        }
        result.put("partialKey", partialKey);
        result.put("rows", batch.state.rows());
        result.put("rejected", batch.rejects.size());
        if (!batch.rejects.isEmpty()) {
            String rejectsKey = runKey(runId, "rejects/" + batchKey + ".jsonl");
            store.writeJsonLines(rejectsKey, batch.rejects);
            result.put("rejectsKey", rejectsKey);
        }
        LOG.info("batch evaluated: batchKey={} items={} rows={} rejected={} missingPredictions={}"
                        + " failedPredictions={}", batchKey, items.size(), batch.state.rows(), batch.rejects.size(),
                batch.missingPredictions, batch.failedPredictions);
        return result;
    }

    private List<Item> items(TaskInput input) {
        boolean inline = input.has("items");
        boolean stored = input.has("itemsKey");
        if (inline == stored) {
            throw input.invalid("items", "and 'itemsKey' are both " + (inline ? "given" : "missing") + "; give"
                    + " exactly one: 'items' (an array of {interaction, prediction}) or 'itemsKey' (a JSON Lines"
                    + " object of them in the run bucket)");
        }
        return inline ? inlineItems(input, "items") : storedItems(input);
    }

    private static List<Item> inlineItems(TaskInput input, String field) {
        JsonNode array = input.value(field);
        if (array == null || !array.isArray()) {
            throw input.invalid(field, "must be an array of {interaction, prediction} objects");
        }
        List<Item> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(new Item(input.path(field) + "[" + i + "]", array.get(i), null, null));
        }
        return items;
    }

    private List<Item> storedItems(TaskInput input) {
        JsonNode keyNode = input.value("itemsKey");
        if (!keyNode.isTextual()) {
            throw input.invalid("itemsKey", "must be the key of a JSON Lines object in the run bucket, such as"
                    + " runs/r1/eval/items.jsonl");
        }
        String key = keyNode.asText();
        List<Item> items = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(store.open(key),
                StandardCharsets.UTF_8))) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String source = store.location(key) + ":" + number;
                try {
                    items.add(new Item(source, MAPPER.readTree(line), null, null));
                } catch (JsonProcessingException e) {
                    items.add(new Item(source, null, line, "the line is not valid JSON: " + e.getOriginalMessage()));
                }
            }
        } catch (BlobNotFoundException e) {
            throw input.invalid("itemsKey", "names " + store.location(key) + ", which does not exist; write the"
                    + " batch there first or pass the items inline");
        } catch (IllegalArgumentException e) {
            throw input.invalid("itemsKey", "is not a valid key: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
        return items;
    }

    /**
     * Returns the first {@value #BATCH_KEY_HEX_DIGITS} hex digits of the SHA-256 of the batch's sorted item ids
     * (the raw item where it has no id), so the same items give the same key in any order.
     */
    static String batchKey(List<Item> items) {
        List<String> ids = new ArrayList<>(items.size());
        for (Item item : items) {
            ids.add(item.idForKey());
        }
        ids.sort(null);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String id : ids) {
                digest.update(id.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, BATCH_KEY_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * One batch element as received.
     *
     * @param source names the element in rejects: an input path or an object key and line
     * @param node the parsed element, or null when its line did not parse
     * @param raw the line as read, when it did not parse
     * @param parseError why it did not parse, or null
     */
    record Item(String source, JsonNode node, String raw, String parseError) {

        String idForKey() {
            JsonNode id = node == null ? null : node.path("interaction").get("id");
            if (id != null && id.isTextual()) {
                return "id:" + id.asText();
            }
            return "raw:" + (node == null ? raw : node.toString());
        }
    }

    /**
     * A rejected item, as written to the rejects object.
     *
     * @param scoredAsWrong true when the interaction was scored, with no prediction, so the row counts as wrong
     */
    record Reject(String source, String id, String reason, boolean scoredAsWrong, JsonNode item, String raw) {
    }

    /** The state and counts of one batch. */
    private static final class Batch {

        final RoutingMetricsState state;
        final List<Reject> rejects = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        long missingPredictions;
        long failedPredictions;

        Batch(int replicates, long seed) {
            this.state = new RoutingMetricsState(replicates, seed);
        }

        void add(Item item) {
            if (item.parseError() != null) {
                reject(item, null, item.parseError(), false);
                return;
            }
            JsonNode node = item.node();
            JsonNode interactionNode = node.isObject() ? node.get("interaction") : null;
            if (interactionNode == null || !interactionNode.isObject()) {
                reject(item, null, "the item has no 'interaction' object; each item is {interaction, prediction}",
                        false);
                return;
            }
            Interaction interaction;
            try {
                interaction = MAPPER.treeToValue(interactionNode, Interaction.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                reject(item, null, "'interaction' is invalid: " + reason(e), false);
                return;
            }
            String id = interaction.id();
            if (interaction.intent() == null) {
                reject(item, id, "'interaction' has no intent label, so its routing cannot be scored; label it",
                        false);
                return;
            }
            if (!ids.add(id)) {
                reject(item, id, "the batch holds interaction id '" + id + "' twice; ids must be unique, because"
                        + " the id determines the row's bootstrap weights", false);
                return;
            }

            JsonNode predictionNode = node.get("prediction");
            String predicted = null;
            if (predictionNode == null || predictionNode.isNull()) {
                missingPredictions++;
            } else {
                Prediction prediction = null;
                String problem = null;
                try {
                    prediction = MAPPER.treeToValue(predictionNode, Prediction.class);
                    if (!prediction.id().equals(id)) {
                        problem = "'prediction' has id '" + prediction.id() + "' but the interaction has id '" + id
                                + "'; pair each prediction with its own interaction";
                    }
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    problem = "'prediction' is invalid: " + reason(e);
                }
                if (problem != null) {
                    failedPredictions++;
                    reject(item, id, problem, true);
                } else if (prediction.error() != null || prediction.label() == null) {
                    failedPredictions++;
                } else {
                    predicted = prediction.label();
                }
            }
            state.add(id, interaction.intent(), predicted);
        }

        private void reject(Item item, String id, String reason, boolean scoredAsWrong) {
            rejects.add(new Reject(item.source(), id, reason, scoredAsWrong, item.node(), item.raw()));
        }

        private static String reason(Exception e) {
            if (e instanceof JsonProcessingException json) {
                Throwable cause = json.getCause();
                return cause instanceof IllegalArgumentException || cause instanceof NullPointerException
                        ? cause.getMessage() : json.getOriginalMessage();
            }
            return e.getMessage();
        }
    }

    /** The layout of a partial state object, shared with the aggregate task. */
    static final class PartialState {

        /** Version of the partial object; the aggregate task rejects any other. */
        static final int FORMAT = 1;

        private PartialState() {
        }
    }
}
