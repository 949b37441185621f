package dev.tuneladder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.evaluation.RoutingEvaluation;
import dev.tuneladder.core.evaluation.ToolCallEvaluation;
import dev.tuneladder.core.evaluation.toolcalls.ArgumentSimilarity;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetricsState;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.PriceTable;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.metrics.RoutingSummary;
import dev.tuneladder.core.metrics.ToolCallSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores routing and tool-call predictions produced anywhere against a labelled dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {
            "Scores predictions against a dataset. Rows with an intent label are scored as routing: per-label "
                    + "precision, recall, F1 and support; micro, macro and weighted averages; accuracy; top "
                    + "confusions; 95%% bootstrap confidence intervals for accuracy and macro-F1. Rows with expected "
                    + "tool calls (for example imported BFCL files) are scored as plans: exact plan match with its "
                    + "95%% interval, per-tool precision, recall and F1, failure reasons and hard fails, and, with "
                    + "--argument-similarity-threshold, the embedding similarity of the argument values.",
            "Predictions that record latencyMillis add latency percentiles and a histogram; with --prices, "
                    + "predictions that record token usage add cost and cost per correct answer.",
            "Writes metrics.json, report.md, report.html, config.json and run.json to the output folder; for "
                    + "routing rows also outcomes.jsonl (one line per row: id, gold, predicted, correct, stratum, "
                    + "latency; the input of 'tuneladder compare'), and for tool-call rows toolcall-failures.jsonl "
                    + "(one line per failed row: id, reason, detail). A dataset row with no prediction counts as "
                    + "wrong; it is never skipped."
        })
final class EvaluateCommand implements Callable<Integer> {

    static final String TOOL_CALL_FAILURES_FILE = "toolcall-failures.jsonl";

    /** Low-similarity row ids kept in metrics.json. */
    private static final int SAMPLE_ROW_IDS = ToolCallMetricsState.DEFAULT_SAMPLE_ROW_IDS;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    EmbeddingOptions embedding = new EmbeddingOptions();

    @Mixin
    BedrockOptions bedrock = new BedrockOptions();

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Labelled interactions (JSON Lines, as written by 'tuneladder import'). Each row needs an "
                    + "intent label, expected tool calls, or both.")
    Path dataset;

    @Option(names = "--predictions", required = true, paramLabel = "FILE",
            description = "Predictions (JSON Lines with id and label and/or toolCalls, as written by 'tuneladder "
                    + "route').")
    Path predictions;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "JSON array of every valid label. When given, rows whose label is not in it are "
                    + "rejected, and labels never seen still count in macro averages.")
    Path labels;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Run name in metrics.json and the report. Default: the predictions file name.")
    String name;

    @Option(names = "--bootstrap-replicates", paramLabel = "N", defaultValue = "1000",
            description = "Poisson bootstrap replicates for the 95%% intervals. Default: ${DEFAULT-VALUE}.")
    int replicates;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the bootstrap weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stratum-field", paramLabel = "KEY",
            description = "Metadata key whose value is a row's stratum in outcomes.jsonl and in comparisons' "
                    + "per-stratum tables. Default: the gold intent. Rows without the key fall back to the intent.")
    String stratumField;

    @Option(names = "--argument-similarity-threshold", paramLabel = "COSINE",
            description = "Scores the argument values of tool calls by the cosine similarity of their embeddings "
                    + "(in-process MiniLM model) to the reference values, and flags rows whose mean cosine is "
                    + "below COSINE, a number in [-1, 1]. Default: not scored.")
    Double argumentSimilarityThreshold;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "Price table (JSON: currency and per-million-token prices per model id) to report the "
                    + "token cost and the cost per correct answer of predictions that record token usage.")
    Path prices;

    @Override
    public Integer call() {
        bedrock.rejectEndpointWithoutBedrock(embedding.usesBedrock());
        if (argumentSimilarityThreshold != null
                && !(argumentSimilarityThreshold >= -1 && argumentSimilarityThreshold <= 1)) {
            throw new IllegalArgumentException("--argument-similarity-threshold " + argumentSimilarityThreshold
                    + " is not a cosine; give a number in [-1, 1], such as 0.8");
        }
        PriceTable priceTable = prices == null ? null : readPrices(prices);
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(predictions), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        Set<String> labelSet = labels == null ? null : InputFiles.readLabels(labels, "--labels");

        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset",
                row -> checkGold(row, labelSet), badRows);
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.id()));
        List<Prediction> predicted = InputFiles.readPredictions(predictions, "--predictions",
                prediction -> checkPrediction(prediction, ids, labelSet), badRows);
        if (rows.isEmpty()) {
            run.writeRejects(badRows);
            throw new IllegalArgumentException("--dataset " + dataset + " has no row to score; fix or replace the"
                    + " file" + (badRows.count() > 0 ? " (its rejected rows are listed in "
                    + run.root().resolve("rejects.jsonl") + ")" : ""));
        }
        List<Interaction> routingRows = rows.stream().filter(row -> row.intent() != null).toList();
        List<Interaction> toolCallRows = rows.stream().filter(ToolCallEvaluation::hasExpectedCalls).toList();

        String runName = name != null ? name : RunFolder.datasetName(predictions);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("rejectedRows", badRows.count());
        RoutingSummary routing = null;
        Set<String> correctIds = new HashSet<>();
        if (!routingRows.isEmpty()) {
            routing = evaluateRouting(run, routingRows, predicted, labelSet, extra, correctIds);
        }
        ToolCallSummary toolCalls = null;
        if (!toolCallRows.isEmpty()) {
            toolCalls = evaluateToolCalls(run, toolCallRows, predicted, extra, correctIds, routingRows.isEmpty());
        }

        MetricsDocument.Run metricsRun = new MetricsDocument.Run(runName, routing, toolCalls, Map.of(), List.of(),
                null, extra);
        metricsRun = LatencyAndCost.withLatency(metricsRun, predicted);
        if (priceTable != null) {
            metricsRun = metricsRun.withCost(LatencyAndCost.cost(rows, predicted, correctIds, priceTable));
        }
        MetricsDocument document = MetricsDocument.of(metricsRun);
        Reports.write(run, document);

        run.recordInput("dataset", dataset);
        run.recordInput("predictions", predictions);
        if (labels != null) {
            run.recordInput("labels", labels);
        }
        if (prices != null) {
            run.recordInput("prices", prices);
        }
        run.writeRejects(badRows);
        run.writeConfig("evaluate", options(runName));
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        Reports.printSummary(out, document);
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    /** Scores the routing rows, writes outcomes.jsonl, and adds the ids of correct rows to {@code correctIds}. */
    private RoutingSummary evaluateRouting(RunFolder run, List<Interaction> routingRows, List<Prediction> predicted,
            Set<String> labelSet, Map<String, Object> extra, Set<String> correctIds) {
        Set<String> routingIds = new HashSet<>();
        routingRows.forEach(row -> routingIds.add(row.id()));
        List<Prediction> routingPredictions = predicted.stream()
                .filter(prediction -> routingIds.contains(prediction.id()))
                .toList();
        RoutingMetricsState state = new RoutingMetricsState(replicates, seed, labelSet == null ? List.of() : labelSet);
        RoutingEvaluation.Result result = RoutingEvaluation.evaluate(routingRows, routingPredictions, state);
        extra.put("missingPredictions", result.missingPredictions());
        extra.put("failedPredictions", result.failedPredictions());

        List<RowOutcome> outcomes = RowOutcomes.of(routingRows, routingPredictions, this::stratumOf);
        run.writeJsonLines(RowOutcomes.FILE_NAME, outcomes);
        outcomes.stream().filter(RowOutcome::correct).forEach(outcome -> correctIds.add(outcome.id()));
        if (result.missingPredictions() > 0 || result.failedPredictions() > 0) {
            spec.commandLine().getOut().printf(Locale.ROOT, "%d routing rows had no prediction and %d had a failed "
                    + "prediction; both count as wrong.%n", result.missingPredictions(), result.failedPredictions());
        }
        return RoutingSummary.of(result.metrics());
    }

    /**
     * Scores the tool-call rows and writes toolcall-failures.jsonl. When {@code decidesCorrectness}, the rows
     * that match their plan exactly are added to {@code correctIds}.
     */
    private ToolCallSummary evaluateToolCalls(RunFolder run, List<Interaction> toolCallRows,
            List<Prediction> predicted, Map<String, Object> extra, Set<String> correctIds,
            boolean decidesCorrectness) {
        Set<String> toolCallIds = new HashSet<>();
        toolCallRows.forEach(row -> toolCallIds.add(row.id()));
        List<Prediction> toolCallPredictions = predicted.stream()
                .filter(prediction -> toolCallIds.contains(prediction.id()))
                .toList();
        ToolCallMetricsState state = new ToolCallMetricsState(replicates, seed, SAMPLE_ROW_IDS);

        ToolCallEvaluation.Result result;
        ToolCallSummary summary;
        if (argumentSimilarityThreshold == null) {
            result = ToolCallEvaluation.evaluate(toolCallRows, toolCallPredictions, state, null, SAMPLE_ROW_IDS);
            summary = result.summary(null, null);
        } else {
            try (EmbedderComponents.OpenEmbedder embedder = EmbedderComponents.open(embedding, bedrock)) {
                ArgumentSimilarity similarity = new ArgumentSimilarity(embedder, argumentSimilarityThreshold);
                result = ToolCallEvaluation.evaluate(toolCallRows, toolCallPredictions, state, similarity,
                        SAMPLE_ROW_IDS);
                summary = result.summary(similarity, embedder.modelId());
            }
        }
        run.writeJsonLines(TOOL_CALL_FAILURES_FILE, result.failures());
        extra.put("toolCallMissingPredictions", result.missingPredictions());
        extra.put("toolCallFailedPredictions", result.failedPredictions());

        if (decidesCorrectness) {
            Set<String> failedIds = new HashSet<>();
            result.failures().forEach(failure -> failedIds.add(failure.id()));
            toolCallIds.stream().filter(id -> !failedIds.contains(id)).forEach(correctIds::add);
        }
        if (result.missingPredictions() > 0 || result.failedPredictions() > 0) {
            spec.commandLine().getOut().printf(Locale.ROOT, "%d tool-call rows had no prediction and %d had a failed"
                    + " prediction; both count as a plan of no calls.%n", result.missingPredictions(),
                    result.failedPredictions());
        }
        return summary;
    }

    private Map<String, Object> options(String runName) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("dataset", dataset.toString());
        options.put("predictions", predictions.toString());
        options.put("labels", labels == null ? null : labels.toString());
        options.put("name", runName);
        options.put("bootstrapReplicates", replicates);
        options.put("seed", seed);
        options.put("stratumField", stratumField);
        options.put("argumentSimilarityThreshold", argumentSimilarityThreshold);
        if (argumentSimilarityThreshold != null) {
            embedding.describeInto(options, bedrock);
        }
        options.put("prices", prices == null ? null : prices.toString());
        options.put("maxBadRows", common.maxBadRows);
        return options;
    }

    /** Returns the row's value under --stratum-field as text, or null (meaning the gold intent) when absent. */
    private String stratumOf(Interaction row) {
        if (stratumField == null) {
            return null;
        }
        JsonNode value = row.metadata().get(stratumField);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static PriceTable readPrices(Path file) {
        try (Reader reader = InputFiles.open(file, "--prices")) {
            return PriceTable.read(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        }
    }

    private static String checkGold(Interaction row, Set<String> labelSet) {
        if (row.intent() == null && !ToolCallEvaluation.hasExpectedCalls(row)) {
            return "row '" + row.id() + "' has no intent label and no expected tool calls; evaluation needs one of"
                    + " them on every row";
        }
        if (row.intent() != null && labelSet != null && !labelSet.contains(row.intent())) {
            return "intent '" + row.intent() + "' is not in the --labels file; fix the label or add it there";
        }
        return null;
    }

    private static String checkPrediction(Prediction prediction, Set<String> ids, Set<String> labelSet) {
        if (!ids.contains(prediction.id())) {
            return "prediction id '" + prediction.id() + "' is not in the --dataset file; predictions must answer "
                    + "rows of that dataset";
        }
        if (labelSet != null && prediction.label() != null && !labelSet.contains(prediction.label())) {
            return "predicted label '" + prediction.label() + "' is not in the --labels file; fix the prediction "
                    + "or add the label there";
        }
        return null;
    }
}
