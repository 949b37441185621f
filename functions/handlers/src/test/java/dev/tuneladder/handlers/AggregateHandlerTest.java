package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingSummary;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The aggregate task after evaluate-batch, against S3Proxy on loopback. */
class AggregateHandlerTest {

    private static final int REPLICATES = 300;

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
    void aggregate_twoPartitions_equalsSinglePassMetrics() {
        List<EvaluationRows.Row> rows = EvaluationRows.rows(60, 6);
        JsonNode first = S3TestStore.invoke(evaluate, EvaluationRows.batchInput("run-a", REPLICATES,
                rows.subList(0, 23)), TestSupport.context("req-ag-1"));
        JsonNode second = S3TestStore.invoke(evaluate, EvaluationRows.batchInput("run-a", REPLICATES,
                rows.subList(23, 60)), TestSupport.context("req-ag-2"));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "run-a").put("name", "candidate");
        input.putArray("partialKeys").add(first).add(second);

        JsonNode output = S3TestStore.invoke(aggregate, input, TestSupport.context("req-ag-3"));

        RoutingMetrics direct = EvaluationRows.singlePass(rows, REPLICATES).result();
        assertThat(output.get("rows").asLong()).isEqualTo(60);
        assertThat(output.get("accuracy").asDouble()).isEqualTo(direct.accuracy());
        assertThat(output.get("macroF1").asDouble()).isEqualTo(direct.macro().f1());
        assertThat(output.get("partials").asInt()).isEqualTo(2);
        assertThat(output.get("missingPredictions").asLong()).isEqualTo(3);
        MetricsDocument document = readMetrics(output.get("metricsKey").asText());
        assertThat(document.run("candidate").routing()).isEqualTo(RoutingSummary.of(direct));
        assertThat(text(output.get("reportKey").asText())).contains("candidate");
        assertThat(text(output.get("htmlKey").asText())).startsWith("<!DOCTYPE html>");
    }

    @Test
    void aggregate_sampleEventsWithoutKeys_listsThePartials() {
        S3TestStore.invoke(evaluate, TestSupport.jsonEvent("evaluate-batch.json"), TestSupport.context("req-ag-4"));

        JsonNode output = S3TestStore.invoke(aggregate, TestSupport.jsonEvent("aggregate.json"),
                TestSupport.context("req-ag-5"));

        assertThat(output.get("metricsKey").asText()).isEqualTo("runs/eval-run-1/metrics.json");
        assertThat(output.get("rows").asLong()).isEqualTo(3);
        assertThat(output.get("rejected").asLong()).isEqualTo(1);
        assertThat(output.get("accuracy").asDouble()).isEqualTo(1.0 / 3);
        MetricsDocument document = readMetrics(output.get("metricsKey").asText());
        assertThat(document.run("candidate").extra()).containsEntry("rejectedItems", 1);
    }

    @Test
    void aggregate_keyListedTwice_countsItOnce() {
        JsonNode batch = S3TestStore.invoke(evaluate, EvaluationRows.batchInput("run-b", 20,
                EvaluationRows.rows(8, 2)), TestSupport.context("req-ag-6"));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "run-b");
        input.putArray("partialKeys").add(batch.get("partialKey").asText()).add(batch);

        JsonNode output = S3TestStore.invoke(aggregate, input, TestSupport.context("req-ag-7"));

        assertThat(output.get("rows").asLong()).isEqualTo(8);
        assertThat(output.get("partials").asInt()).isEqualTo(1);
    }

    @Test
    void aggregate_partialOfAnotherRun_isTaskInputErrorNamingTheField() {
        JsonNode batch = S3TestStore.invoke(evaluate, EvaluationRows.batchInput("run-c", 20,
                EvaluationRows.rows(4, 2)), TestSupport.context("req-ag-8"));
        ObjectNode input = Json.mapper().createObjectNode().put("runId", "run-d");
        input.putArray("partialKeys").add(batch);

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, input, TestSupport.context("req-ag-9")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("partialKeys[0].partialKey")
                .hasMessageContaining("runs/run-d/partials/");
    }

    @Test
    void aggregate_partialsWithDifferentSeeds_isTaskInputError() {
        ObjectNode seeded = EvaluationRows.batchInput("run-e", 20, EvaluationRows.rows(4, 2).subList(0, 2));
        seeded.put("seed", 7);
        S3TestStore.invoke(evaluate, seeded, TestSupport.context("req-ag-10"));
        S3TestStore.invoke(evaluate, EvaluationRows.batchInput("run-e", 20, EvaluationRows.rows(4, 2).subList(2, 4)),
                TestSupport.context("req-ag-11"));

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, Json.mapper().createObjectNode().put("runId", "run-e"),
                TestSupport.context("req-ag-12")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("different bootstrap settings");
    }

    @Test
    void aggregate_runWithoutPartials_isTaskInputError() {
        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, Json.mapper().createObjectNode().put("runId", "empty"),
                TestSupport.context("req-ag-13")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("no partial states");
    }

    private MetricsDocument readMetrics(String key) {
        return MetricsDocument.read(new StringReader(text(key)), key);
    }

    private String text(String key) {
        return new String(store.readAllBytes(key), StandardCharsets.UTF_8);
    }
}
