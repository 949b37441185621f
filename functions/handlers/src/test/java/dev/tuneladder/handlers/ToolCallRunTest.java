package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.evaluation.ToolCallEvaluation;
import dev.tuneladder.core.evaluation.toolcalls.AcceptedValues;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetricsState;
import dev.tuneladder.core.importers.BfclCategory;
import dev.tuneladder.core.importers.BfclImporter;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingSummary;
import dev.tuneladder.core.metrics.ToolCallSummary;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Evaluate-batch and aggregate on runs whose metrics include tool calls, over real Berkeley Function Calling
 * Leaderboard rows, against S3Proxy on loopback.
 */
class ToolCallRunTest {

    private static final int REPLICATES = 200;
    private static final Path BFCL = Path.of("../../datasets/bfcl/v3_core");
    /** Outputs of a routing-only run, written by the handlers before they scored tool calls. */
    private static final Path ROUTING_GOLDEN = Path.of("src/test/resources/routing-run");

    @RegisterExtension
    final S3ProxyExtension server = S3TestStore.extension();

    private S3Client client;
    private S3BlobStore store;
    private EvaluateBatchHandler evaluate;
    private AggregateHandler aggregate;

    @BeforeEach
    void setUp() {
        client = S3TestStore.clientWithBucket(server);
        store = S3TestStore.store(client);
        evaluate = new EvaluateBatchHandler(store);
        aggregate = new AggregateHandler(store);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void toolCalls_twoPartitions_equalSinglePass() throws IOException {
        List<Interaction> rows = bfclRows();
        List<Prediction> predictions = predictions(rows);
        JsonNode first = S3TestStore.invoke(evaluate, batchInput("run-tc", rows.subList(0, 7), predictions,
                "routing", "toolCalls"), TestSupport.context("req-tc-1"));
        JsonNode second = S3TestStore.invoke(evaluate, batchInput("run-tc", rows.subList(7, rows.size()),
                predictions, "routing", "toolCalls"), TestSupport.context("req-tc-2"));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "run-tc").put("name", "candidate");
        input.putArray("partialKeys").add(first).add(second);

        JsonNode output = S3TestStore.invoke(aggregate, input, TestSupport.context("req-tc-3"));

        ToolCallEvaluation.Result direct = ToolCallEvaluation.evaluate(rows, present(predictions),
                new ToolCallMetricsState(REPLICATES, ToolCallMetricsState.DEFAULT_SEED,
                        ToolCallMetricsState.DEFAULT_SAMPLE_ROW_IDS),
                null, ToolCallMetricsState.DEFAULT_SAMPLE_ROW_IDS);
        assertThat(first.get("toolCallRows").asLong()).isEqualTo(7);
        assertThat(first.get("rows").asLong()).isZero();
        assertThat(output.get("toolCallRows").asLong()).isEqualTo(rows.size());
        assertThat(output.get("rows").asLong()).isZero();
        assertThat(output.has("accuracy")).isFalse();
        assertThat(output.get("exactMatchRate").asDouble()).isEqualTo(direct.metrics().exactMatchRate());

        MetricsDocument.Run run = readMetrics(output.get("metricsKey").asText()).run("candidate");
        ToolCallSummary expected = direct.summary(null, null);
        assertThat(run.toolCalls()).isEqualTo(expected);
        assertThat(run.routing()).isNull();
        assertThat(run.extra()).containsEntry("toolCallMissingPredictions", (int) direct.missingPredictions());
        assertThat(run.extra()).containsEntry("toolCallFailedPredictions", (int) direct.failedPredictions());
        assertThat(direct.missingPredictions()).isPositive();
        assertThat(direct.failedPredictions()).isPositive();
        assertThat(expected.exactMatches()).isPositive().isLessThan(rows.size());

        Set<String> failedIds = new HashSet<>();
        direct.failures().forEach(failure -> failedIds.add(failure.id()));
        assertThat(failureIds(output.get("toolCallFailuresKey").asText())).isEqualTo(failedIds);
        assertThat(text(output.get("reportKey").asText())).contains("### Tool calls");
        assertThat(text(output.get("htmlKey").asText())).contains("Tool calls: candidate");
    }

    @Test
    void toolCalls_withRoutingRows_scoresBoth() {
        List<Interaction> toolCallRows = bfclRows();
        List<EvaluationRows.Row> routingRows = EvaluationRows.rows(12, 3);
        ObjectNode input = batchInput("run-mix", toolCallRows, predictions(toolCallRows), "routing", "toolCalls");
        ((ArrayNode) input.get("items")).addAll(EvaluationRows.items(routingRows));
        JsonNode batch = S3TestStore.invoke(evaluate, input, TestSupport.context("req-mix-1"));
        ObjectNode aggregateInput = Json.mapper().createObjectNode().put("runId", "run-mix");
        aggregateInput.putArray("partialKeys").add(batch);

        JsonNode output = S3TestStore.invoke(aggregate, aggregateInput, TestSupport.context("req-mix-2"));

        MetricsDocument.Run run = readMetrics(output.get("metricsKey").asText()).run("run-mix");
        assertThat(output.get("rows").asLong()).isEqualTo(12);
        assertThat(output.get("toolCallRows").asLong()).isEqualTo(toolCallRows.size());
        assertThat(run.routing()).isEqualTo(
                RoutingSummary.of(EvaluationRows.singlePass(routingRows, REPLICATES).result()));
        assertThat(run.toolCalls().rows()).isEqualTo(toolCallRows.size());
        assertThat(output.get("rejected").asLong()).isZero();
    }

    @Test
    void toolCallsOnly_routingRow_isRejected() {
        List<Interaction> toolCallRows = bfclRows().subList(0, 3);
        ObjectNode input = batchInput("run-only", toolCallRows, predictions(toolCallRows), "toolCalls");
        ((ArrayNode) input.get("items")).addAll(EvaluationRows.items(EvaluationRows.rows(2, 2)));

        JsonNode batch = S3TestStore.invoke(evaluate, input, TestSupport.context("req-only-1"));

        assertThat(batch.get("rows").asLong()).isZero();
        assertThat(batch.get("toolCallRows").asLong()).isEqualTo(3);
        assertThat(batch.get("rejected").asLong()).isEqualTo(2);
        String rejects = text(batch.get("rejectsKey").asText());
        assertThat(rejects).contains("has no expected tool calls");
    }

    @Test
    void routing_metricsRoutingOrAbsent_matchesEarlierOutputs() throws IOException {
        for (boolean named : List.of(true, false)) {
            String runId = "run-golden";
            List<EvaluationRows.Row> rows = EvaluationRows.rows(30, 4);
            ObjectNode firstInput = EvaluationRows.batchInput(runId, 50, rows.subList(0, 12));
            ObjectNode secondInput = EvaluationRows.batchInput(runId, 50, rows.subList(12, 30));
            if (named) {
                firstInput.putObject("evaluation").put("stage", "planner").putArray("metrics").add("routing");
                secondInput.putObject("evaluation").put("stage", "planner").putArray("metrics").add("routing");
            }
            JsonNode first = S3TestStore.invoke(evaluate, firstInput, TestSupport.context("req-g-1"));
            JsonNode second = S3TestStore.invoke(evaluate, secondInput, TestSupport.context("req-g-2"));
            ObjectNode input = Json.mapper().createObjectNode().put("runId", runId).put("name", "candidate");
            input.putArray("partialKeys").add(first).add(second);

            JsonNode output = S3TestStore.invoke(aggregate, input, TestSupport.context("req-g-3"));

            assertThat(output.has("toolCallRows")).isFalse();
            assertThat(first.has("toolCallRows")).isFalse();
            assertThat(S3TestStore.readJson(store, first.get("partialKey").asText()).has(ToolCallBatch.STATE_FIELD)).isFalse();
            for (String file : List.of("metrics.json", "report.md", "report.html", "outcomes.jsonl")) {
                assertThat(text("runs/" + runId + "/" + file))
                        .as("%s with metrics %s", file, named ? "[routing]" : "absent")
                        .isEqualTo(Files.readString(ROUTING_GOLDEN.resolve(file), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void evaluateBatch_unknownMetric_isRejected() {
        ObjectNode input = batchInput("run-bad", bfclRows().subList(0, 1), List.of(), "latency");

        assertThatThrownBy(() -> S3TestStore.invoke(evaluate, input, TestSupport.context("req-bad-1")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("'latency', which is not a metric");
    }

    @Test
    void aggregate_earlierPartialFormat_isRejected() {
        store.write("runs/run-old/partials/a.json", ("{\"format\":2,\"runId\":\"run-old\",\"state\":{},"
                + "\"outcomes\":[]}").getBytes(StandardCharsets.UTF_8));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "run-old");

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, input, TestSupport.context("req-old-1")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("in format 2")
                .hasMessageContaining("reads format " + EvaluateBatchHandler.PartialState.FORMAT);
    }

    @Test
    void aggregate_mixedToolCallPartials_isRejected() {
        List<Interaction> rows = bfclRows().subList(0, 2);
        JsonNode toolCallBatch = S3TestStore.invoke(evaluate, batchInput("run-x", rows, predictions(rows),
                "routing", "toolCalls"), TestSupport.context("req-x-1"));
        JsonNode routingBatch = S3TestStore.invoke(evaluate, EvaluationRows.batchInput("run-x", REPLICATES,
                EvaluationRows.rows(4, 2)), TestSupport.context("req-x-2"));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "run-x");
        input.putArray("partialKeys").add(toolCallBatch).add(routingBatch);

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, input, TestSupport.context("req-x-3")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("different metrics");
    }

    @Test
    void aggregate_duplicateToolCallRow_isRejected() {
        List<Interaction> rows = bfclRows().subList(0, 5);
        List<Prediction> predictions = predictions(rows);
        JsonNode first = S3TestStore.invoke(evaluate, batchInput("run-dup", rows.subList(0, 3), predictions,
                "toolCalls"), TestSupport.context("req-dup-1"));
        JsonNode second = S3TestStore.invoke(evaluate, batchInput("run-dup", rows.subList(2, 5), predictions,
                "toolCalls"), TestSupport.context("req-dup-2"));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "run-dup");
        input.putArray("partialKeys").add(first).add(second);

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, input, TestSupport.context("req-dup-3")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("tool-call row '" + rows.get(2).id() + "' was scored in both");
    }

    /** Reads the first six rows of three single-turn BFCL categories: simple, multiple and parallel calls. */
    private static List<Interaction> bfclRows() {
        List<Interaction> rows = new ArrayList<>();
        for (BfclCategory category : List.of(BfclCategory.SIMPLE, BfclCategory.MULTIPLE, BfclCategory.PARALLEL)) {
            rows.addAll(read(category).subList(0, 6));
        }
        return rows;
    }

    private static List<Interaction> read(BfclCategory category) {
        Path questions = BFCL.resolve(category.fileName());
        Path answers = BFCL.resolve("possible_answer").resolve(category.fileName());
        try {
            return BfclImporter.read(Files.newBufferedReader(questions, StandardCharsets.UTF_8),
                    questions.toString(), Files.newBufferedReader(answers, StandardCharsets.UTF_8),
                    answers.toString(), category, BadRows.strict());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One entry per row, null for a missing prediction: the first accepted value of every argument (an exact
     * match), the first call only, a call of an unoffered function, no prediction, or a planner error.
     */
    private static List<Prediction> predictions(List<Interaction> rows) {
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Interaction row = rows.get(i);
            List<ToolCall> firstChoices = row.expected().acceptedCalls().stream()
                    .map(AcceptedValues::firstChoiceCall).toList();
            List<ToolCall> calls = switch (i % 5) {
                case 0, 1 -> firstChoices;
                case 2 -> firstChoices.subList(0, 1);
                default -> List.of(ToolCall.of("not_offered"));
            };
            if (i % 7 == 6) {
                predictions.add(null);
            } else if (i % 7 == 5) {
                predictions.add(new Prediction(row.id(), null, null, List.of(), null, 90L, null, "candidate", null,
                        "the planner timed out"));
            } else {
                predictions.add(new Prediction(row.id(), null, null, calls, null, 120L, null, "candidate", null,
                        null));
            }
        }
        return predictions;
    }

    private static List<Prediction> present(List<Prediction> predictions) {
        return predictions.stream().filter(prediction -> prediction != null).toList();
    }

    /** Items for {@code rows}, each with its own prediction from {@code predictions} (matched by id). */
    private static ObjectNode batchInput(String runId, List<Interaction> rows, List<Prediction> predictions,
            String... metrics) {
        ObjectNode input = Json.mapper().createObjectNode();
        input.put("runId", runId);
        ObjectNode evaluation = input.putObject("evaluation");
        evaluation.put("stage", "planner").put("replicates", REPLICATES);
        ArrayNode metricNames = evaluation.putArray("metrics");
        for (String metric : metrics) {
            metricNames.add(metric);
        }
        ArrayNode items = input.putArray("items");
        for (Interaction row : rows) {
            ObjectNode item = items.addObject();
            item.set("interaction", Json.mapper().valueToTree(row));
            Prediction prediction = present(predictions).stream().filter(p -> p.id().equals(row.id()))
                    .findFirst().orElse(null);
            item.set("prediction", Json.mapper().valueToTree(prediction));
        }
        return input;
    }

    private Set<String> failureIds(String key) throws IOException {
        Set<String> ids = new HashSet<>();
        for (String line : text(key).split("\n")) {
            if (!line.isBlank()) {
                ids.add(Json.mapper().readTree(line).get("id").asText());
            }
        }
        return ids;
    }

    private MetricsDocument readMetrics(String key) {
        return MetricsDocument.read(new StringReader(text(key)), key);
    }

    private String text(String key) {
        return new String(store.readAllBytes(key), StandardCharsets.UTF_8);
    }
}
