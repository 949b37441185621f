package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.MetricsFormatException;
import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.metrics.RoutingSummary;
import dev.tuneladder.core.report.HtmlReport;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code aggregate}: merges the partial states that evaluate-batch wrote for a run and writes
 * the run's {@code metrics.json}, {@code report.md}, {@code report.html} and {@code outcomes.jsonl} under
 * {@code runs/{runId}/}. {@code outcomes.jsonl} contains one {@link RowOutcome} per scored row, the file that the
 * gate task and {@code tuneladder compare} pair with another run's.
 *
 * <p>Input: {@code {runId, name?, partialKeys? | resultWriterDetails?}}, which names the partial states to merge
 * in one of three ways:
 * <ul>
 *   <li>{@code partialKeys} lists keys as strings or as the evaluate-batch outputs ({@code {partialKey, ...}}), so
 *       an inline Map state's result array can be passed as it is.</li>
 *   <li>{@code resultWriterDetails} is the {@code ResultWriterDetails} ({@code {Bucket, Key}}) of a Distributed Map
 *       whose children ran evaluate-batch. The manifest and result files must be in the run store, every child
 *       must have succeeded, and the partial keys are taken from the children's outputs (see
 *       {@link MapRunResults}). So a run with failed or pending batches fails here, and a partial state that no
 *       child of this map run returned is not merged.</li>
 *   <li>Without either, every object under {@code runs/{runId}/partials/} is merged.</li>
 * </ul>
 * Keys are merged once each, so a batch listed twice is not counted twice. {@code name} is the run name in the
 * report; default the run id.
 *
 * <p>Output: {@code {runId, metricsKey, reportKey, htmlKey, outcomesKey, rows, accuracy, macroF1, partials,
 * rejected, missingPredictions, failedPredictions}}. A row id in two partials fails the task, because its row would
 * be counted twice. Merging is exact: the merged metrics equal those of a single pass over
 * all rows (see {@link RoutingMetricsState}).
 *
 * <p>When the partials carry tool-call states (the run's metrics include tool calls), the task merges them too
 * (see {@link ToolCallMerge}) and writes the tool-call section of metrics.json and the reports, the counts
 * {@code toolCallMissingPredictions} and {@code toolCallFailedPredictions} in the run's {@code extra}, and
 * {@code toolcall-failures.jsonl}, all as the command line's {@code evaluate} writes them. The output then adds
 * {@code toolCallRows}, {@code exactMatchRate} and {@code toolCallFailuresKey}. Without routing rows the run has
 * no routing section, {@code rows} is 0, and the output has no {@code accuracy} or {@code macroF1}. A tool-call
 * row id in two partials fails the task, as a routing row's does.
 */
public final class AggregateHandler extends StepTaskHandler {

    static final String METRICS_FILE = "metrics.json";
    static final String MARKDOWN_FILE = "report.md";
    static final String HTML_FILE = "report.html";
    /** The failed tool-call rows, one {id, reason, detail} per line, as the command line's evaluate names it. */
    static final String TOOL_CALL_FAILURES_FILE = "toolcall-failures.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(AggregateHandler.class);

    private final BlobStore store;

    /** Builds the S3 client from the environment (see {@link HandlerConfig}). */
    public AggregateHandler() {
        this(runStore(HandlerConfig.fromEnvironment()));
    }

    AggregateHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "aggregate";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String name = input.has("name") ? input.text("name") : runId;
        String prefix = runKey(runId, "partials/");
        TreeSet<String> keys = partialKeys(input, prefix);
        if (keys.isEmpty() && input.has(MapRunResults.FIELD)) {
            throw new InvalidTaskInput(MapRunResults.FIELD, "the map run of run '" + runId + "' has no succeeded"
                    + " children, so there are no partial states to merge; check that the dataset has rows");
        }
        if (keys.isEmpty()) {
            throw new InvalidTaskInput("partialKeys", "run '" + runId + "' has no partial states under "
                    + store.name() + prefix + "; run evaluate-batch on the run's items first");
        }

        RoutingMetricsState merged = null;
        ToolCallMerge toolCallMerge = new ToolCallMerge();
        List<RowOutcome> outcomes = new ArrayList<>();
        Map<String, String> partialById = new HashMap<>();
        long rejected = 0;
        long missing = 0;
        long failed = 0;
        for (String key : keys) {
            JsonNode partial = read(key);
            String source = store.location(key);
            JsonNode format = partial.path("format");
            if (format.isInt() && format.asInt() != EvaluateBatchHandler.PartialState.FORMAT
                    && runId.equals(partial.path("runId").asText(null))) {
                throw new InvalidTaskInput("partialKeys", source + " is a partial state in format " + format.asInt()
                        + ", but this aggregate task reads format " + EvaluateBatchHandler.PartialState.FORMAT
                        + " only; run evaluate-batch of this version again for that batch, or start the run"
                        + " again");
            }
            if (format.asInt(-1) != EvaluateBatchHandler.PartialState.FORMAT
                    || !runId.equals(partial.path("runId").asText(null)) || !partial.path("state").isObject()) {
                throw new InvalidTaskInput("partialKeys", source + " is not a partial state of run '" + runId
                        + "' in format " + EvaluateBatchHandler.PartialState.FORMAT + "; list only the keys that"
                        + " evaluate-batch returned for this run");
            }
            RoutingMetricsState state;
            try {
                state = RoutingMetricsState.fromJson(partial.get("state"), source);
            } catch (MetricsFormatException e) {
                throw new InvalidTaskInput("partialKeys", e.getMessage());
            }
            try {
                merged = merged == null ? state : merged.merge(state);
            } catch (IllegalArgumentException e) {
                throw new InvalidTaskInput("partialKeys", source + ": " + e.getMessage());
            }
            toolCallMerge.add(partial, source);
            for (RowOutcome outcome : outcomes(partial, source)) {
                String earlier = partialById.putIfAbsent(outcome.id(), source);
                if (earlier != null) {
                    throw new InvalidTaskInput("partialKeys", "row '" + outcome.id() + "' is in both " + earlier
                            + " and " + source + ", so it would be counted twice; give every item of the run a"
                            + " unique interaction id and evaluate each batch once");
                }
                outcomes.add(outcome);
            }
            rejected += partial.path("rejected").asLong();
            missing += partial.path("missingPredictions").asLong();
            failed += partial.path("failedPredictions").asLong();
        }
        ToolCallMerge toolCalls = toolCallMerge.present() ? toolCallMerge : null;
        if (merged.rows() == 0 && (toolCalls == null || toolCalls.rows() == 0)) {
            throw new InvalidTaskInput("partialKeys", "run '" + runId + "' has no scorable rows: all " + rejected
                    + " items were rejected; see " + store.name() + runKey(runId, "rejects/"));
        }

        // A run with tool-call rows only has no routing section, as the command line's evaluate writes it.
        RoutingMetrics metrics = merged.rows() == 0 ? null : merged.result();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("runId", runId);
        extra.put("partials", keys.size());
        extra.put("rejectedItems", rejected);
        extra.put("missingPredictions", missing);
        extra.put("failedPredictions", failed);
        MetricsDocument.Run run;
        if (toolCalls == null) {
            run = MetricsDocument.Run.of(name, metrics, extra);
        } else {
            toolCalls.describe(extra);
            run = new MetricsDocument.Run(name, metrics == null ? null : RoutingSummary.of(metrics),
                    toolCalls.summary(), Map.of(), List.of(), null, extra);
        }
        MetricsDocument document = MetricsDocument.of(run);
        String metricsKey = runKey(runId, METRICS_FILE);
        String reportKey = runKey(runId, MARKDOWN_FILE);
        String htmlKey = runKey(runId, HTML_FILE);
        String outcomesKey = runKey(runId, RowOutcomes.FILE_NAME);
        store.writeJsonLines(outcomesKey, outcomes);
        String toolCallFailuresKey = null;
        if (toolCalls != null) {
            toolCallFailuresKey = runKey(runId, TOOL_CALL_FAILURES_FILE);
            store.writeJsonLines(toolCallFailuresKey, toolCalls.failures());
        }
        store.write(metricsKey, document.toJson().getBytes(StandardCharsets.UTF_8));
        store.write(reportKey, MarkdownReport.render(document).getBytes(StandardCharsets.UTF_8));
        store.write(htmlKey, HtmlReport.render(document).getBytes(StandardCharsets.UTF_8));
        if (toolCalls == null) {
            LOG.info("run aggregated: partials={} rows={} rejected={} accuracy={} macroF1={}", keys.size(),
                    metrics.rows(), rejected, metrics.accuracy(), metrics.macro().f1());
        } else {
            LOG.info("run aggregated: partials={} rows={} toolCallRows={} rejected={} accuracy={} macroF1={}"
                    + " exactMatchRate={}", keys.size(), merged.rows(), toolCalls.rows(), rejected,
                    metrics == null ? null : metrics.accuracy(), metrics == null ? null : metrics.macro().f1(),
                    toolCalls.summary().exactMatchRate());
        }

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("metricsKey", metricsKey);
        result.put("reportKey", reportKey);
        result.put("htmlKey", htmlKey);
        result.put("outcomesKey", outcomesKey);
        result.put("rows", merged.rows());
        if (metrics != null) {
            result.put("accuracy", metrics.accuracy());
            result.put("macroF1", metrics.macro().f1());
        }
        if (toolCalls != null) {
            result.put("toolCallFailuresKey", toolCallFailuresKey);
            result.put("toolCallRows", toolCalls.rows());
            result.put("exactMatchRate", toolCalls.summary().exactMatchRate());
        }
        result.put("partials", keys.size());
        result.put("rejected", rejected);
        result.put("missingPredictions", missing);
        result.put("failedPredictions", failed);
        return result;
    }

    private static List<RowOutcome> outcomes(JsonNode partial, String source) {
        JsonNode array = partial.get("outcomes");
        if (array == null || !array.isArray()) {
            throw new InvalidTaskInput("partialKeys", source + " has no 'outcomes' array; run evaluate-batch"
                    + " again for this batch");
        }
        List<RowOutcome> outcomes = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                outcomes.add(MAPPER.treeToValue(array.get(i), RowOutcome.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new InvalidTaskInput("partialKeys", source + ": outcomes[" + i + "] is not a row outcome;"
                        + " run evaluate-batch again for this batch");
            }
        }
        return outcomes;
    }

    private TreeSet<String> partialKeys(TaskInput input, String prefix) {
        TreeSet<String> keys = new TreeSet<>();
        JsonNode listed = input.value("partialKeys");
        if (input.has(MapRunResults.FIELD)) {
            if (listed != null) {
                throw input.invalid("partialKeys", "must be absent when " + MapRunResults.FIELD + " is given,"
                        + " because the map run's manifest lists the batches; pass only one of the two");
            }
            TaskInput details = input.object(MapRunResults.FIELD);
            for (MapRunResults.ChildOutput child : MapRunResults.succeededOutputs(store, details)) {
                JsonNode key = child.output().get("partialKey");
                if (key == null || !key.isTextual() || !key.asText().startsWith(prefix)) {
                    throw new InvalidTaskInput(MapRunResults.FIELD, child.source() + ".Output.partialKey must be"
                            + " a key under " + prefix + "; got " + (key == null ? "nothing" : key.toString())
                            + ". Pass the ResultWriterDetails of this run's own map run");
                }
                keys.add(key.asText());
            }
            return keys;
        }
        if (listed == null) {
            try (Stream<String> stream = store.list(prefix)) {
                stream.filter(key -> key.endsWith(".json")).forEach(keys::add);
            }
            return keys;
        }
        if (!listed.isArray()) {
            throw input.invalid("partialKeys", "must be an array of keys or of evaluate-batch outputs"
                    + " {partialKey}");
        }
        for (int i = 0; i < listed.size(); i++) {
            JsonNode element = listed.get(i);
            JsonNode key = element.isObject() ? element.get("partialKey") : element;
            String field = "partialKeys[" + i + "]" + (element.isObject() ? ".partialKey" : "");
            if (key == null || !key.isTextual() || !key.asText().startsWith(prefix)) {
                throw input.invalid(field, "must be a key under " + prefix + "; got "
                        + (key == null ? "nothing" : key.toString()));
            }
            keys.add(key.asText());
        }
        return keys;
    }

    private JsonNode read(String key) {
        try (InputStream input = store.open(key)) {
            return MAPPER.readTree(input);
        } catch (BlobNotFoundException e) {
            throw new InvalidTaskInput("partialKeys", store.location(key) + " does not exist; list only the keys"
                    + " that evaluate-batch returned, or run it again for the missing batch");
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
    }
}
