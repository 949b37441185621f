package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.planner.PlannerRun;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code evaluate-batch}: scores the routing of one batch of interactions into a partial
 * {@link RoutingMetricsState}, and, when the metrics include tool calls, their planned tool calls into a partial
 * tool-call state (see {@link ToolCallBatch}). The aggregate task merges both with the other batches' states. The
 * predictions are either recorded ones that arrive with the items, or, in model mode, the replies of the model
 * under evaluation.
 *
 * <p>Input, one of:
 * <ul>
 *   <li>{@code {runId, batchId?, seed?, replicates?, items: [{interaction, prediction}]}} (inline mode);</li>
 *   <li>{@code {runId, batchId?, seed?, replicates?, itemsKey}}, where {@code itemsKey} is a JSON Lines object
 *       of {@code {interaction, prediction}} in the run bucket;</li>
 *   <li>{@code {Items: [...], BatchInput: {runId, evaluation?}}}, the shape a Distributed Map's ItemBatcher
 *       passes.</li>
 * </ul>
 * Seed and replicates default to {@value RoutingMetricsState#DEFAULT_SEED} and
 * {@value RoutingMetricsState#DEFAULT_REPLICATES}; every batch of a run must use the same values. Each setting
 * (seed, replicates, metrics and the model settings below) is read from the input's top level, else from its
 * {@code evaluation} object.
 *
 * <p>Metrics: {@code metrics} lists {@value #ROUTING}, {@value #TOOL_CALLS} or both, and defaults to routing only.
 * Routing scores the items whose interaction has an intent label. Tool calls score the items whose interaction has
 * expected tool calls, comparing them with the prediction's {@code toolCalls} as the command line's
 * {@code evaluate} does. An item may count for both, except in model mode (below).
 *
 * <p>Model mode: when the settings carry {@code modelId} (a Bedrock model id, inference profile, or an imported-model
 * ARN {@code arn:aws:bedrock:REGION:ACCOUNT:imported-model/ID}), the items are interactions without predictions,
 * and an item that carries one fails the batch with {@link InvalidTaskInput} naming the item. The settings must
 * also name the route labels the model was trained with, as {@code labels} or as the training data's
 * {@code trainingManifestKey} (see {@link ModelSettings}). {@link ModelBatchRouter} sends every accepted
 * interaction to the model. A row that is scored for tool calls and not for routing is planned by function calling.
 * Such a row has expected tool calls and, when the metrics include routing, no intent label. The model is offered
 * the row's function documents, and its tool calls become the prediction. Every other row is routed with the route tool. A
 * row with both an intent label and expected tool calls, under both metrics, is routed as the fine-tuning export
 * trains it, and is also rejected with the reason that its tool calls were not scored. The predictions, error
 * rows included, go to {@code runs/{runId}/predictions/{batchKey}.jsonl} and are then scored exactly as recorded
 * predictions are.
 *
 * <p>Output: {@code {runId, batchId?, partialKey, rows, toolCallRows?, rejected, rejectsKey?}}, where
 * {@code rows} counts the rows scored for routing and {@code toolCallRows}, present when the metrics include tool
 * calls, those scored for tool calls. In model mode the output adds
 * {@code {modelId, promptVersion, predictionsKey, modelErrorRows, functionCallingRows, inputTokens,
 * outputTokens}}, where {@code functionCallingRows} counts the rows planned by function calling. The state itself
 * goes to {@code runs/{runId}/partials/{batchKey}.json} with one {@link RowOutcome} per scored row (with the
 * prediction's latency, token usage and model id), which the aggregate task joins into the run's
 * {@code outcomes.jsonl}. Neither goes into the output: Step Functions limits a state's payload to 256 KiB, and a
 * partial of 1,000 replicates and 77 labels is 0.4 to 1.2 MiB (100 to 2,000 rows, measured in BENCHMARKS.md). The
 * batch key is a hash of the batch's item ids, so a retried batch overwrites its own partial and predictions
 * instead of adding a second one.
 *
 * <p>No item is dropped: each is scored, written with its reason to
 * {@code runs/{runId}/rejects/{batchKey}.jsonl}, or both, and the output counts the rejects. Not scored, only
 * rejected: an item whose interaction is missing or invalid, has nothing that the metrics score, or repeats an id
 * of the batch. In model mode such an item is not sent to the model. Routing needs an intent label, and tool calls
 * need expected tool calls and function documents that can be read. Scored as wrong and rejected: an item whose
 * recorded prediction is invalid or names another id. Scored as wrong only: an item with no prediction, or with a
 * prediction that carries an error or no label, such as a model's malformed output.
 */
public final class EvaluateBatchHandler extends StepTaskHandler {

    /** Replicate counts above this make partial states of hundreds of MiB; no interval needs them. */
    static final long MAX_REPLICATES = 100_000;

    static final String METRICS = "metrics";
    static final String ROUTING = "routing";
    static final String TOOL_CALLS = "toolCalls";

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateBatchHandler.class);
    private static final int BATCH_KEY_HEX_DIGITS = 32;
    private static final Duration MAX_FUNCTION_TIMEOUT = Duration.ofMinutes(15);

    private final BlobStore store;
    private final ModelBatchRouter router;

    /**
     * Builds the S3 and Bedrock Runtime clients from the environment (see {@link HandlerConfig}); neither opens a
     * connection before its first call.
     */
    public EvaluateBatchHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private EvaluateBatchHandler(HandlerConfig config) {
        this(runStore(config), ModelBatchRouter.fromConfig(config));
    }

    /** Builds a handler that scores recorded predictions only; an input in model mode fails. */
    EvaluateBatchHandler(BlobStore store) {
        this(store, null);
    }

    /**
     * @param router the model client of model mode, or null for a handler that scores recorded predictions only
     */
    EvaluateBatchHandler(BlobStore store, ModelBatchRouter router) {
        this.store = Objects.requireNonNull(store, "store");
        this.router = router;
    }

    @Override
    String function() {
        return "evaluate-batch";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        return handle(input, runId, null);
    }

    @Override
    ObjectNode handle(TaskInput input, String runId, Context context) {
        boolean mapBatch = isMapBatch(input);
        TaskInput parameters = mapBatch ? input.object("BatchInput") : input;
        String batchId = parameters.optionalText("batchId");
        // The evaluation state machine passes its settings as BatchInput.evaluation; a top-level value wins.
        TaskInput evaluation = parameters.optionalObject("evaluation");
        Function<String, TaskInput> sourceOf =
                field -> parameters.has(field) || evaluation == null ? parameters : evaluation;
        int replicates = (int) sourceOf.apply("replicates").optionalLong("replicates",
                RoutingMetricsState.DEFAULT_REPLICATES, 1, MAX_REPLICATES);
        long seed = sourceOf.apply("seed").optionalLong("seed", RoutingMetricsState.DEFAULT_SEED, Long.MIN_VALUE,
                Long.MAX_VALUE);
        // NOTE: model mode needs the route labels even when every row is planned by function calling, because
        // ModelSettings reads them before the rows are known.
        ModelSettings model = ModelSettings.read(sourceOf, store);
        Metrics metrics = Metrics.read(sourceOf.apply(METRICS));

        List<Item> items = mapBatch ? inlineItems(input, "Items") : items(parameters);
        String batchKey = batchKey(items);
        Batch batch = new Batch(replicates, seed, metrics);
        ModelRun modelRun = null;
        if (model == null) {
            for (Item item : items) {
                batch.add(item);
            }
        } else {
            modelRun = runModel(items, batch, model, runKey(runId, "predictions/" + batchKey + ".jsonl"),
                    remainingTime(context));
        }

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
        if (modelRun != null) {
            modelRun.describe(partial);
            partial.put("labelsSource", model.labelsSource());
            partial.put("labels", model.labels().size());
        }
        partial.set("state", batch.state.toJson());
        partial.set("outcomes", MAPPER.valueToTree(batch.outcomes));
        if (batch.toolCalls != null) {
            batch.toolCalls.describe(partial);
        }
        store.write(partialKey, output -> MAPPER.writeValue(output, partial));

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        if (batchId != null) {
            result.put("batchId", batchId);
        }
        result.put("partialKey", partialKey);
        result.put("rows", batch.state.rows());
        if (batch.toolCalls != null) {
            result.put("toolCallRows", batch.toolCalls.rows());
        }
        result.put("rejected", batch.rejects.size());
        if (!batch.rejects.isEmpty()) {
            String rejectsKey = runKey(runId, "rejects/" + batchKey + ".jsonl");
            store.writeJsonLines(rejectsKey, batch.rejects);
            result.put("rejectsKey", rejectsKey);
        }
        if (modelRun != null) {
            modelRun.describe(result);
        }
        LOG.info("batch evaluated: batchKey={} items={} rows={} toolCallRows={} rejected={} missingPredictions={}"
                        + " failedPredictions={} modelRows={}", batchKey, items.size(), batch.state.rows(),
                batch.toolCalls == null ? 0 : batch.toolCalls.rows(), batch.rejects.size(),
                batch.missingPredictions, batch.failedPredictions,
                modelRun == null ? 0 : modelRun.result().predictions().size());
        return result;
    }

    /**
     * Checks that no item carries a prediction, runs the accepted interactions through the model (function calling
     * for the rows {@link Batch#plansToolCalls} selects, routing for the others), stores the predictions at
     * {@code predictionsKey} and scores them.
     */
    private ModelRun runModel(List<Item> items, Batch batch, ModelSettings model, String predictionsKey,
            Duration remaining) {
        if (router == null) {
            throw new IllegalStateException("this evaluate-batch handler was built without a model client, so it"
                    + " cannot run model " + model.modelId() + "; build it with one");
        }
        for (Item item : items) {
            JsonNode prediction = item.node() == null ? null : item.node().get("prediction");
            if (prediction != null && !prediction.isNull()) {
                throw new InvalidTaskInput(item.source() + ".prediction", "item " + item.source() + " carries a"
                        + " prediction, but the run names the model under evaluation ('" + ModelSettings.MODEL_ID
                        + "'), which produces the predictions itself; remove the items' predictions, or remove '"
                        + ModelSettings.MODEL_ID + "' to score the recorded ones");
            }
        }
        List<Interaction> rows = new ArrayList<>(items.size());
        for (Item item : items) {
            Interaction interaction = batch.accept(item);
            if (interaction == null) {
                continue;
            }
            rows.add(interaction);
            if (batch.routes(interaction) && batch.checksToolCalls(interaction)) {
                batch.reject(item, interaction.id(), "the row has an intent label and expected tool calls; model"
                        + " mode routes a labelled row, as the fine-tuning export trains it, so its tool calls"
                        + " are not scored; remove the intent label to score its tool calls, or remove '"
                        + ROUTING + "' from the metrics", false);
            }
        }

        PlannerRun.Result result = router.run(rows, batch::plansToolCalls, model, remaining);
        store.writeJsonLines(predictionsKey, result.predictions());
        long functionCallingRows = 0;
        for (int i = 0; i < rows.size(); i++) {
            Interaction row = rows.get(i);
            Prediction prediction = result.predictions().get(i);
            if (batch.plansToolCalls(row)) {
                functionCallingRows++;
                batch.toolCalls.add(row, prediction);
            } else {
                batch.scoreRouting(row, prediction);
            }
        }
        return new ModelRun(model, predictionsKey, result, functionCallingRows);
    }

    /**
     * The metrics that a batch scores, from the {@code metrics} setting: an array of {@value #ROUTING} and
     * {@value #TOOL_CALLS}, as the evaluation request's {@code evaluation.metrics} allows. Without the setting a batch
     * scores routing only.
     */
    record Metrics(boolean routing, boolean toolCalls) {

        static Metrics read(TaskInput source) {
            if (!source.has(METRICS)) {
                return new Metrics(true, false);
            }
            List<String> names = source.textList(METRICS);
            if (names.isEmpty()) {
                throw source.invalid(METRICS, "is empty; list at least one of '" + ROUTING + "' and '" + TOOL_CALLS
                        + "', or remove it to score routing only");
            }
            for (String name : names) {
                if (!name.equals(ROUTING) && !name.equals(TOOL_CALLS)) {
                    throw source.invalid(METRICS, "contains '" + name + "', which is not a metric; use '" + ROUTING
                            + "' and/or '" + TOOL_CALLS + "'");
                }
            }
            return new Metrics(names.contains(ROUTING), names.contains(TOOL_CALLS));
        }
    }

    /** Returns the time left before the function times out; 15 minutes, Lambda's maximum, without a context. */
    private static Duration remainingTime(Context context) {
        return context == null ? MAX_FUNCTION_TIMEOUT : Duration.ofMillis(context.getRemainingTimeInMillis());
    }

    /** The model run of a batch in model mode, described in the partial object and the task's output. */
    private record ModelRun(ModelSettings model, String predictionsKey, PlannerRun.Result result,
            long functionCallingRows) {

        void describe(ObjectNode target) {
            target.put("modelId", model.modelId());
            target.put("promptVersion", model.prompt().version());
            target.put("predictionsKey", predictionsKey);
            target.put("modelErrorRows", result.errorRows());
            target.put("functionCallingRows", functionCallingRows);
            target.put("inputTokens", result.totalUsage().inputTokens());
            target.put("outputTokens", result.totalUsage().outputTokens());
        }
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
        /** The tool-call scoring, or null when the metrics do not include tool calls. */
        final ToolCallBatch toolCalls;
        final List<RowOutcome> outcomes = new ArrayList<>();
        final List<Reject> rejects = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        private final boolean scoresRouting;
        /** Missing and failed predictions of the rows scored for routing. */
        long missingPredictions;
        long failedPredictions;

        Batch(int replicates, long seed, Metrics metrics) {
            this.state = new RoutingMetricsState(replicates, seed);
            this.toolCalls = metrics.toolCalls() ? new ToolCallBatch(replicates, seed) : null;
            this.scoresRouting = metrics.routing();
        }

        boolean routes(Interaction interaction) {
            return scoresRouting && interaction.intent() != null;
        }

        boolean checksToolCalls(Interaction interaction) {
            return toolCalls != null && ToolCallBatch.covers(interaction);
        }

        /**
         * Returns whether model mode plans the row's tool calls with its function documents rather than routing
         * it: the metrics score its tool calls and not its routing. A row scored for both is routed.
         */
        boolean plansToolCalls(Interaction interaction) {
            return checksToolCalls(interaction) && !routes(interaction);
        }

        /** Scores an item with its recorded prediction, or rejects it. */
        void add(Item item) {
            Interaction interaction = accept(item);
            if (interaction == null) {
                return;
            }
            String id = interaction.id();
            JsonNode predictionNode = item.node().get("prediction");
            if (predictionNode == null || predictionNode.isNull()) {
                if (routes(interaction)) {
                    missingPredictions++;
                    scoreRouting(interaction, null);
                }
                if (checksToolCalls(interaction)) {
                    toolCalls.addMissing(interaction);
                }
                return;
            }
            Prediction prediction;
            String problem = null;
            try {
                prediction = MAPPER.treeToValue(predictionNode, Prediction.class);
                if (!prediction.id().equals(id)) {
                    problem = "'prediction' has id '" + prediction.id() + "' but the interaction has id '" + id
                            + "'; pair each prediction with its own interaction";
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                prediction = null;
                problem = "'prediction' is invalid: " + reason(e);
            }
            if (problem != null) {
                reject(item, id, problem, true);
                if (routes(interaction)) {
                    failedPredictions++;
                    scoreRouting(interaction, null);
                }
                if (checksToolCalls(interaction)) {
                    toolCalls.addInvalid(interaction);
                }
                return;
            }
            if (routes(interaction)) {
                scoreRouting(interaction, prediction);
            }
            if (checksToolCalls(interaction)) {
                toolCalls.add(interaction, prediction);
            }
        }

        /**
         * Returns the item's interaction when it can be scored; otherwise rejects the item and returns null. An
         * accepted id is taken, so a later item with the same id is rejected.
         */
        Interaction accept(Item item) {
            if (item.parseError() != null) {
                reject(item, null, item.parseError(), false);
                return null;
            }
            JsonNode node = item.node();
            JsonNode interactionNode = node.isObject() ? node.get("interaction") : null;
            if (interactionNode == null || !interactionNode.isObject()) {
                reject(item, null, "the item has no 'interaction' object; each item is {interaction, prediction}",
                        false);
                return null;
            }
            Interaction interaction;
            try {
                interaction = MAPPER.treeToValue(interactionNode, Interaction.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                reject(item, null, "'interaction' is invalid: " + reason(e), false);
                return null;
            }
            String id = interaction.id();
            if (toolCalls == null && interaction.intent() == null) {
                reject(item, id, "'interaction' has no intent label, so its routing cannot be scored; label it",
                        false);
                return null;
            }
            if (toolCalls != null && !routes(interaction) && !ToolCallBatch.covers(interaction)) {
                reject(item, id, scoresRouting
                        ? "'interaction' has neither an intent label nor expected tool calls, so it cannot be"
                                + " scored; label it or add expected.toolCalls"
                        : "'interaction' has no expected tool calls, so its tool calls cannot be scored; add"
                                + " expected.toolCalls or expected.acceptedCalls", false);
                return null;
            }
            String invalidTools = checksToolCalls(interaction) ? ToolCallBatch.invalidTools(interaction) : null;
            if (invalidTools != null) {
                reject(item, id, "'interaction.tools' is invalid, so its tool calls cannot be checked: "
                        + invalidTools, false);
                return null;
            }
            if (!ids.add(id)) {
                reject(item, id, "the batch holds interaction id '" + id + "' twice; ids must be unique, because"
                        + " the id determines the row's bootstrap weights", false);
                return null;
            }
            return interaction;
        }

        /**
         * Adds the row to the routing state and the outcomes. A null prediction, or one with an error or no label,
         * counts as wrong; the caller has counted a null one as missing or failed.
         */
        void scoreRouting(Interaction interaction, Prediction prediction) {
            String predicted = null;
            if (prediction != null) {
                if (prediction.error() != null || prediction.label() == null) {
                    failedPredictions++;
                } else {
                    predicted = prediction.label();
                }
            }
            String id = interaction.id();
            state.add(id, interaction.intent(), predicted);
            // As RowOutcomes.of does for the command line: a failed prediction keeps its latency and usage.
            outcomes.add(new RowOutcome(id, interaction.intent(), predicted, interaction.intent().equals(predicted),
                    null, prediction == null ? null : prediction.latencyMillis(),
                    prediction == null ? null : prediction.usage(), prediction == null ? null : prediction.modelId()));
        }

        void reject(Item item, String id, String reason, boolean scoredAsWrong) {
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

        /**
         * Version of the partial object; the aggregate task rejects any other. Version 2 added the outcomes, and
         * version 3 the optional tool-call state, failures and counts (see {@link ToolCallBatch}).
         */
        static final int FORMAT = 3;

        private PartialState() {
        }
    }
}
