package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The evaluate-batch task against S3Proxy on loopback. */
class EvaluateBatchHandlerTest {

    @RegisterExtension
    final S3ProxyExtension server = S3TestStore.extension();

    private S3Client client;
    private S3BlobStore store;
    private EvaluateBatchHandler handler;

    @BeforeEach
    void setUp() {
        client = S3TestStore.clientWithBucket(server);
        store = S3TestStore.store(client);
        handler = new EvaluateBatchHandler(store);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void handle_sampleEvent_writesPartialAndRejectsAndReturnsOnlyKeys() {
        JsonNode output = S3TestStore.invoke(handler, TestSupport.jsonEvent("evaluate-batch.json"),
                TestSupport.context("req-eb-1"));

        assertThat(output.get("runId").asText()).isEqualTo("eval-run-1");
        assertThat(output.get("batchId").asText()).isEqualTo("batch-0001");
        assertThat(output.get("rows").asLong()).isEqualTo(3);
        assertThat(output.get("rejected").asLong()).isEqualTo(1);
        assertThat(output.has("state")).isFalse();
        String partialKey = output.get("partialKey").asText();
        assertThat(partialKey).matches("runs/eval-run-1/partials/[0-9a-f]{32}\\.json");

        JsonNode partial = S3TestStore.readJson(store, partialKey);
        assertThat(partial.get("missingPredictions").asLong()).isEqualTo(1);
        RoutingMetricsState state = RoutingMetricsState.fromJson(partial.get("state"), partialKey);
        assertThat(state.rows()).isEqualTo(3);
        assertThat(state.replicates()).isEqualTo(200);
        assertThat(state.result().accuracy()).isEqualTo(1.0 / 3);

        String rejects = new String(store.readAllBytes(output.get("rejectsKey").asText()), StandardCharsets.UTF_8);
        assertThat(rejects.lines()).hasSize(1);
        JsonNode reject = TestSupport.body(rejects.lines().findFirst().orElseThrow());
        assertThat(reject.get("source").asText()).isEqualTo("items[3]");
        assertThat(reject.get("reason").asText()).contains("interaction").contains("no turns");
        assertThat(reject.get("scoredAsWrong").asBoolean()).isFalse();
        assertThat(reject.get("item").get("interaction").get("id").asText()).isEqualTo("b77-004");
    }

    @Test
    void handle_retriedBatchInAnotherOrder_overwritesTheSamePartial() {
        List<EvaluationRows.Row> rows = EvaluationRows.rows(12, 3);
        List<EvaluationRows.Row> reversed = new ArrayList<>(rows);
        Collections.reverse(reversed);

        JsonNode first = S3TestStore.invoke(handler, EvaluationRows.batchInput("r1", 50, rows),
                TestSupport.context("req-eb-2"));
        JsonNode retry = S3TestStore.invoke(handler, EvaluationRows.batchInput("r1", 50, reversed),
                TestSupport.context("req-eb-3"));

        assertThat(retry.get("partialKey").asText()).isEqualTo(first.get("partialKey").asText());
        try (Stream<String> keys = store.list("runs/r1/partials/")) {
            assertThat(keys).containsExactly(first.get("partialKey").asText());
        }
    }

    @Test
    void handle_defaultReplicatesAnd77Labels_outputFitsStepFunctionsPayloadWhilePartialDoesNot() {
        List<EvaluationRows.Row> rows = EvaluationRows.rows(154, 77);
        ObjectNode input = EvaluationRows.batchInput("r-big", 1, rows);
        input.remove("replicates");

        JsonNode output = S3TestStore.invoke(handler, input, TestSupport.context("req-eb-4"));

        assertThat(output.toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(1024);
        String partialKey = output.get("partialKey").asText();
        assertThat(store.size(partialKey).orElseThrow()).isGreaterThan(256 * 1024);
        RoutingMetricsState state = RoutingMetricsState.fromJson(S3TestStore.readJson(store, partialKey)
                .get("state"), partialKey);
        assertThat(state.replicates()).isEqualTo(RoutingMetricsState.DEFAULT_REPLICATES);
        assertThat(state.seed()).isEqualTo(RoutingMetricsState.DEFAULT_SEED);
        assertThat(state.result().labels()).hasSize(77);
    }

    @Test
    void handle_itemsKeyWithBadLineAndMismatchedPrediction_scoresOrRejectsEveryLine() {
        List<EvaluationRows.Row> rows = EvaluationRows.rows(4, 2);
        ArrayNode items = EvaluationRows.items(rows);
        ((ObjectNode) items.get(1).get("prediction")).put("id", "someone-else");
        StringBuilder lines = new StringBuilder();
        items.forEach(item -> lines.append(item).append('\n'));
        lines.append("{not json\n");
        store.write("runs/r2/eval/items.jsonl", lines.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "r2").put("replicates", 20)
                .put("itemsKey", "runs/r2/eval/items.jsonl");

        JsonNode output = S3TestStore.invoke(handler, input, TestSupport.context("req-eb-5"));

        assertThat(output.get("rows").asLong()).isEqualTo(4);
        assertThat(output.get("rejected").asLong()).isEqualTo(2);
        List<JsonNode> rejects = new String(store.readAllBytes(output.get("rejectsKey").asText()),
                StandardCharsets.UTF_8).lines().map(TestSupport::body).toList();
        assertThat(rejects).extracting(r -> r.get("scoredAsWrong").asBoolean()).containsExactly(true, false);
        assertThat(rejects.get(0).get("reason").asText()).contains("someone-else");
        assertThat(rejects.get(1).get("source").asText()).endsWith("items.jsonl:5");
        assertThat(rejects.get(1).get("raw").asText()).isEqualTo("{not json");
        JsonNode partial = S3TestStore.readJson(store, output.get("partialKey").asText());
        assertThat(partial.get("failedPredictions").asLong()).isEqualTo(1);
    }

    @Test
    void handle_distributedMapBatch_readsItemsAndBatchInput() {
        ObjectNode input = Json.mapper().createObjectNode();
        input.set("Items", EvaluationRows.items(EvaluationRows.rows(5, 2)));
        input.putObject("BatchInput").put("runId", "r3").put("replicates", 10);

        JsonNode output = S3TestStore.invoke(handler, input, TestSupport.context("req-eb-6"));

        assertThat(output.get("rows").asLong()).isEqualTo(5);
        assertThat(output.get("partialKey").asText()).startsWith("runs/r3/partials/");
    }

    @Test
    void handle_evaluationSettingsInBatchInput_setSeedAndReplicates() {
        ObjectNode input = Json.mapper().createObjectNode();
        input.set("Items", EvaluationRows.items(EvaluationRows.rows(5, 2)));
        input.putObject("BatchInput").put("runId", "r5").putObject("evaluation").put("seed", 17)
                .put("replicates", 12);

        JsonNode output = S3TestStore.invoke(handler, input, TestSupport.context("req-eb-9"));

        JsonNode state = S3TestStore.readJson(store, output.get("partialKey").asText()).get("state");
        assertThat(state.get("seed").asLong()).isEqualTo(17);
        assertThat(state.get("replicates").asInt()).isEqualTo(12);
    }

    @Test
    void handle_runIdWithSlash_isTaskInputErrorNamingRunId() {
        ObjectNode input = EvaluationRows.batchInput("../other", 10, EvaluationRows.rows(2, 2));

        assertThatThrownBy(() -> S3TestStore.invoke(handler, input, TestSupport.context("req-eb-7")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("'runId'")
                .satisfies(e -> assertThat(((InvalidTaskInput) e).field()).isEqualTo("runId"));
    }

    @Test
    void handle_bothItemsAndItemsKey_isTaskInputError() {
        ObjectNode input = EvaluationRows.batchInput("r4", 10, EvaluationRows.rows(2, 2)).put("itemsKey", "x.jsonl");

        assertThatThrownBy(() -> S3TestStore.invoke(handler, input, TestSupport.context("req-eb-8")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("exactly one");
    }
}
