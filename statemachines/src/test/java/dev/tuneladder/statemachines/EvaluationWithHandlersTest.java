package dev.tuneladder.statemachines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.handlers.LocalHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The inline mode of {@code evaluation} with the real evaluate-batch, aggregate and record-failure handlers behind
 * the loopback Invoke endpoint, over a run bucket on S3Proxy.
 */
class EvaluationWithHandlersTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-15T09:30:00Z");

  @RegisterExtension
  final S3ProxyExtension s3 = LoopbackS3.extension();

  @TempDir Path workDir;
  private LoopbackLambda lambda;
  private S3Client client;
  private S3BlobStore store;

  @BeforeEach
  void start() throws Exception {
    client = LoopbackS3.clientWithBucket(s3);
    store = LoopbackS3.store(client);
    lambda = new LoopbackLambda()
        .function("evaluate-batch", LocalHandlers.evaluateBatch(store))
        .function("aggregate", LocalHandlers.aggregate(store))
        .function("record-failure", LocalHandlers.recordFailure(store, Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  @AfterEach
  void stop() {
    lambda.close();
    client.close();
  }

  /**
   * Returns the evaluation input of the inline sample with the {interaction, prediction} items of the evaluate-batch
   * sample event in place of its rows.
   */
  private static ObjectNode inputWithBatchSampleItems() throws Exception {
    ObjectNode input = (ObjectNode) LocalExecution.sampleInput("evaluation-inline.json");
    JsonNode batchEvent = MAPPER.readTree(LocalExecution.MODULE.resolve("../test-events/evaluate-batch.json").toFile());
    input.set("items", batchEvent.get("items").deepCopy());
    input.put("batchSize", 2);
    return input;
  }

  @Test
  void inlineRunWritesMetricsOfAllBatches() throws Exception {
    ObjectNode input = inputWithBatchSampleItems();
    String runId = input.path("runId").asText();

    LocalExecution.Result result = LocalExecution.run("evaluation.asl.json", input, lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(lambda.callsTo("function:evaluate-batch")).hasSize(2);
    assertThat(lambda.callsTo("function:record-failure")).isEmpty();
    assertThat(lambda.callsTo("function:aggregate").get(0).path("partialKeys")).hasSize(2)
        .allSatisfy(output -> assertThat(store.exists(output.path("partialKey").asText())).isTrue());
    String metricsKey = "runs/" + runId + "/metrics.json";
    assertThat(result.output().path("report").path("metricsKey").asText()).isEqualTo(metricsKey);
    assertThat(store.exists(metricsKey)).isTrue();
    // Hand count of the sample's four items: b77-001 right, b77-002 wrong label, b77-003 no prediction (scored
    // wrong), b77-004 has no turns (rejected, not scored): 1 right of 3 scored rows.
    JsonNode routing = MAPPER.readTree(store.readAllBytes(metricsKey)).path("runs").get(0).path("routing");
    assertThat(routing.path("rows").asLong()).isEqualTo(3);
    assertThat(routing.path("accuracy").asDouble()).isEqualTo(1.0 / 3);
    assertThat(result.output().path("report").path("rejected").asLong()).isEqualTo(1);
    assertThat(store.exists("runs/" + runId + "/report.md")).isTrue();
  }

  @Test
  void runWithoutScorableRowsRecordsAggregateError() throws Exception {
    ObjectNode input = inputWithBatchSampleItems();
    String runId = input.path("runId").asText();
    for (JsonNode item : (ArrayNode) input.get("items")) {
      ((ObjectNode) item.get("interaction")).remove("intent");
    }

    LocalExecution.Result result = LocalExecution.run("evaluation.asl.json", input, lambda, workDir);

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("dev.tuneladder.handlers.InvalidTaskInput");
    assertThat(result.cause()).contains("has no scorable rows");
    JsonNode failure = MAPPER.readTree(store.readAllBytes("runs/" + runId + "/failure.json"));
    assertThat(failure.path("error").asText()).isEqualTo("dev.tuneladder.handlers.InvalidTaskInput");
    assertThat(failure.path("cause").asText()).contains("has no scorable rows");
    assertThat(failure.path("recordedAt").asText()).isEqualTo(NOW.toString());
    assertThat(store.exists("runs/" + runId + "/metrics.json")).isFalse();
  }
}
