package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.data.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The aggregate task given a Distributed Map's ResultWriterDetails, against S3Proxy on loopback. The tests write the
 * manifest and result files in the shapes that {@link MapRunResults} documents, with evaluate-batch's real outputs.
 */
class AggregateMapRunTest {

    private static final String MAP_RUN_FOLDER = "evaluation-map-runs/0d5c9a1e-2b7f-3e41-8c6a-5f0e1d2c3b4a/";
    private static final String MANIFEST = MAP_RUN_FOLDER + "manifest.json";
    private static final String MAP_RUN_ARN =
            "arn:aws:states:us-east-1:123456789012:mapRun:evaluation/EvaluateS3Batches:0d5c9a1e";

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
    void aggregate_mapRunManifest_equalsPartialKeys() {
        List<EvaluationRows.Row> rows = EvaluationRows.rows(60, 6);
        ObjectNode firstInput = mapBatch("run-m", rows.subList(0, 17));
        ObjectNode secondInput = mapBatch("run-m", rows.subList(17, 40));
        ObjectNode thirdInput = mapBatch("run-m", rows.subList(40, 60));
        JsonNode first = S3TestStore.invoke(evaluate, firstInput, TestSupport.context("req-mr-1"));
        JsonNode second = S3TestStore.invoke(evaluate, secondInput, TestSupport.context("req-mr-2"));
        JsonNode third = S3TestStore.invoke(evaluate, thirdInput, TestSupport.context("req-mr-3"));
        writeResultFile(MAP_RUN_FOLDER + "SUCCEEDED_0.json", record(firstInput, first, "SUCCEEDED"),
                record(secondInput, second, "SUCCEEDED"));
        writeResultFile(MAP_RUN_FOLDER + "SUCCEEDED_1.json", record(thirdInput, third, "SUCCEEDED"));
        writeManifest(List.of(MAP_RUN_FOLDER + "SUCCEEDED_0.json", MAP_RUN_FOLDER + "SUCCEEDED_1.json"), List.of(),
                List.of());

        JsonNode viaManifest = S3TestStore.invoke(aggregate, mapRunInput("run-m", S3TestStore.BUCKET, MANIFEST),
                TestSupport.context("req-mr-4"));
        ObjectNode listed = Json.mapper().createObjectNode().put("runId", "run-m");
        listed.putArray("partialKeys").add(first).add(second).add(third);
        JsonNode viaKeys = S3TestStore.invoke(aggregate, listed, TestSupport.context("req-mr-5"));

        assertThat(viaManifest).isEqualTo(viaKeys);
        assertThat(viaManifest.get("rows").asLong()).isEqualTo(60);
        assertThat(viaManifest.get("partials").asInt()).isEqualTo(3);
    }

    @Test
    void aggregate_strayPartial_isNotMerged() {
        List<EvaluationRows.Row> rows = EvaluationRows.rows(30, 3);
        ObjectNode listedInput = mapBatch("run-s", rows.subList(0, 20));
        JsonNode listed = S3TestStore.invoke(evaluate, listedInput, TestSupport.context("req-mr-6"));
        S3TestStore.invoke(evaluate, mapBatch("run-s", rows.subList(20, 30)), TestSupport.context("req-mr-7"));
        writeResultFile(MAP_RUN_FOLDER + "SUCCEEDED_0.json", record(listedInput, listed, "SUCCEEDED"));
        writeManifest(List.of(MAP_RUN_FOLDER + "SUCCEEDED_0.json"), List.of(), List.of());

        JsonNode output = S3TestStore.invoke(aggregate, mapRunInput("run-s", S3TestStore.BUCKET, MANIFEST),
                TestSupport.context("req-mr-8"));

        try (Stream<String> partials = store.list("runs/run-s/partials/")) {
            assertThat(partials.count()).isEqualTo(2);
        }
        assertThat(output.get("partials").asInt()).isEqualTo(1);
        assertThat(output.get("rows").asLong()).isEqualTo(20);
    }

    @Test
    void aggregate_failedResultFiles_failsNamingTheCounts() {
        ObjectNode input = mapBatch("run-f", EvaluationRows.rows(8, 2));
        JsonNode batch = S3TestStore.invoke(evaluate, input, TestSupport.context("req-mr-9"));
        writeResultFile(MAP_RUN_FOLDER + "SUCCEEDED_0.json", record(input, batch, "SUCCEEDED"));
        writeResultFile(MAP_RUN_FOLDER + "FAILED_0.json", failedRecord(input));
        writeManifest(List.of(MAP_RUN_FOLDER + "SUCCEEDED_0.json"), List.of(MAP_RUN_FOLDER + "FAILED_0.json"),
                List.of());

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, mapRunInput("run-f", S3TestStore.BUCKET, MANIFEST),
                TestSupport.context("req-mr-10")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("1 FAILED and 0 PENDING result files")
                .hasMessageContaining(MAP_RUN_ARN)
                .hasMessageContaining("redrive the map run");
    }

    @Test
    void aggregate_childStatusFailed_namesRecord() {
        ObjectNode input = mapBatch("run-c", EvaluationRows.rows(8, 2));
        JsonNode batch = S3TestStore.invoke(evaluate, input, TestSupport.context("req-mr-11"));
        writeResultFile(MAP_RUN_FOLDER + "SUCCEEDED_0.json", record(input, batch, "SUCCEEDED"), failedRecord(input));
        writeManifest(List.of(MAP_RUN_FOLDER + "SUCCEEDED_0.json"), List.of(), List.of());

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, mapRunInput("run-c", S3TestStore.BUCKET, MANIFEST),
                TestSupport.context("req-mr-12")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining(MAP_RUN_FOLDER + "SUCCEEDED_0.json[1]")
                .hasMessageContaining("Status 'FAILED'");
    }

    @Test
    void aggregate_manifestInAnotherBucket_isRejected() {
        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, mapRunInput("run-b", "another-bucket", MANIFEST),
                TestSupport.context("req-mr-13")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("resultWriterDetails.Bucket")
                .hasMessageContaining("'another-bucket'")
                .hasMessageContaining("s3://" + S3TestStore.BUCKET + "/");
    }

    @Test
    void aggregate_malformedOutputJson_namesFileAndIndex() {
        ObjectNode input = mapBatch("run-j", EvaluationRows.rows(8, 2));
        JsonNode batch = S3TestStore.invoke(evaluate, input, TestSupport.context("req-mr-14"));
        ObjectNode broken = record(input, batch, "SUCCEEDED");
        broken.put("Output", "{\"partialKey\": \"runs/run-j/partials/");
        writeResultFile(MAP_RUN_FOLDER + "SUCCEEDED_0.json", record(input, batch, "SUCCEEDED"), broken);
        writeManifest(List.of(MAP_RUN_FOLDER + "SUCCEEDED_0.json"), List.of(), List.of());

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, mapRunInput("run-j", S3TestStore.BUCKET, MANIFEST),
                TestSupport.context("req-mr-15")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining(MAP_RUN_FOLDER + "SUCCEEDED_0.json[1].Output is not valid JSON");
    }

    @Test
    void aggregate_manifestAndPartialKeys_isRejected() {
        ObjectNode input = mapRunInput("run-p", S3TestStore.BUCKET, MANIFEST);
        input.putArray("partialKeys").add("runs/run-p/partials/a.json");

        assertThatThrownBy(() -> S3TestStore.invoke(aggregate, input, TestSupport.context("req-mr-16")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("'partialKeys' must be absent when resultWriterDetails is given");
    }

    @Test
    void aggregate_sampleMapRunEvent_mergesBatch() {
        JsonNode event = TestSupport.jsonEvent("aggregate-map-run.json");
        String bucket = event.at("/resultWriterDetails/Bucket").asText();
        String manifestKey = event.at("/resultWriterDetails/Key").asText();
        String runFolder = manifestKey.substring(0, manifestKey.lastIndexOf('/') + 1);
        client.createBucket(request -> request.bucket(bucket));
        S3BlobStore dataStore = new S3BlobStore(client, S3BlobStoreSettings.forBucket(bucket));
        JsonNode batchInput = TestSupport.jsonEvent("evaluate-batch.json");
        JsonNode batch = S3TestStore.invoke(new EvaluateBatchHandler(dataStore), batchInput,
                TestSupport.context("req-mr-17"));
        write(dataStore, runFolder + "SUCCEEDED_0.json",
                Json.mapper().createArrayNode().add(record(batchInput, batch, "SUCCEEDED")));
        write(dataStore, manifestKey, manifest(bucket, List.of(runFolder + "SUCCEEDED_0.json"), List.of(),
                List.of()));

        JsonNode output = S3TestStore.invoke(new AggregateHandler(dataStore), event, TestSupport.context("req-mr-18"));

        assertThat(output.get("metricsKey").asText()).isEqualTo("runs/eval-run-1/metrics.json");
        assertThat(output.get("rows").asLong()).isEqualTo(3);
        assertThat(output.get("rejected").asLong()).isEqualTo(1);
        assertThat(output.get("partials").asInt()).isEqualTo(1);
    }

    /** Returns the input that a Distributed Map's ItemBatcher passes to evaluate-batch. */
    private static ObjectNode mapBatch(String runId, List<EvaluationRows.Row> rows) {
        ObjectNode input = Json.mapper().createObjectNode();
        input.set("Items", EvaluationRows.items(rows));
        ObjectNode batchInput = input.putObject("BatchInput");
        batchInput.put("runId", runId);
        batchInput.putObject("evaluation").put("replicates", 20);
        return input;
    }

    private static ObjectNode mapRunInput(String runId, String bucket, String manifestKey) {
        ObjectNode input = Json.mapper().createObjectNode().put("runId", runId);
        input.putObject("resultWriterDetails").put("Bucket", bucket).put("Key", manifestKey);
        return input;
    }

    /** Returns a child execution record as a result file contains it: input and output as JSON strings. */
    private static ObjectNode record(JsonNode input, JsonNode output, String status) {
        ObjectNode record = Json.mapper().createObjectNode();
        record.put("ExecutionArn", "arn:aws:states:us-east-1:123456789012:execution:evaluation/EvaluateS3Batches:"
                + Integer.toHexString(input.hashCode()));
        record.put("Input", text(input));
        record.putObject("InputDetails").put("Included", true);
        record.put("Name", Integer.toHexString(input.hashCode()));
        if (output != null) {
            record.put("Output", text(output));
            record.putObject("OutputDetails").put("Included", true);
        }
        record.put("StartDate", "2026-01-15T10:00:00.000Z");
        record.put("StopDate", "2026-01-15T10:00:02.000Z");
        record.put("Status", status);
        return record;
    }

    private static ObjectNode failedRecord(JsonNode input) {
        ObjectNode record = record(input, null, "FAILED");
        record.put("Error", "dev.tuneladder.handlers.ModelBatchIncomplete");
        record.put("Cause", "{\"errorMessage\": \"model stayed throttled\"}");
        return record;
    }

    private void writeResultFile(String key, ObjectNode... records) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (ObjectNode record : records) {
            array.add(record);
        }
        write(store, key, array);
    }

    private void writeManifest(List<String> succeeded, List<String> failed, List<String> pending) {
        write(store, MANIFEST, manifest(S3TestStore.BUCKET, succeeded, failed, pending));
    }

    private ObjectNode manifest(String bucket, List<String> succeeded, List<String> failed, List<String> pending) {
        ObjectNode manifest = Json.mapper().createObjectNode();
        manifest.put("DestinationBucket", bucket);
        manifest.put("MapRunArn", MAP_RUN_ARN);
        ObjectNode files = manifest.putObject("ResultFiles");
        addFiles(files.putArray("FAILED"), failed);
        addFiles(files.putArray("PENDING"), pending);
        addFiles(files.putArray("SUCCEEDED"), succeeded);
        return manifest;
    }

    private static void addFiles(ArrayNode list, List<String> keys) {
        for (String key : keys) {
            list.addObject().put("Key", key).put("Size", 1024);
        }
    }

    private static void write(S3BlobStore target, String key, JsonNode content) {
        target.write(key, text(content).getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode node) {
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
