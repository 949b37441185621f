package dev.tuneladder.statemachines;

import static dev.tuneladder.statemachines.LoopbackLambda.Reply.functionError;
import static dev.tuneladder.statemachines.LoopbackLambda.Reply.ok;
import static dev.tuneladder.statemachines.LoopbackLambda.Reply.serviceError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationStateMachineTest {

  private static final String PARTIAL = "{\"rows\":2,\"routing\":{\"correct\":1,\"total\":2}}";
  private static final String REPORT = "{\"metricsKey\":\"runs/eval-1/metrics.json\",\"reportKey\":\"runs/eval-1/report.md\"}";

  @TempDir Path workDir;
  private LoopbackLambda lambda;

  @BeforeEach
  void startLambda() throws Exception {
    lambda = new LoopbackLambda();
  }

  @AfterEach
  void stopLambda() {
    lambda.close();
  }

  @Test
  void inlineRunAggregatesBatchPartials() throws Exception {
    lambda.function("evaluate-batch", ok(PARTIAL)).function("aggregate", ok(REPORT));

    LocalExecution.Result result = LocalExecution.run("evaluation.asl.json",
        LocalExecution.sampleInput("evaluation-inline.json"), lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.output().path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(result.output().path("report").path("reportKey").asText()).isEqualTo("runs/eval-1/report.md");
    List<JsonNode> batches = lambda.callsTo("function:evaluate-batch");
    assertThat(batches).extracting(b -> b.path("Items").size()).containsExactlyInAnyOrder(2, 1);
    assertThat(batches).allSatisfy(b ->
        assertThat(b.path("BatchInput").path("runId").asText()).isEqualTo("eval-2026-01-15-planner-inline"));
    JsonNode aggregate = lambda.callsTo("function:aggregate").get(0);
    assertThat(aggregate.path("partialKeys").size()).isEqualTo(2);
    assertThat(aggregate.path("evaluation").path("stage").asText()).isEqualTo("planner");
    assertThat(result.statesEntered()).doesNotContain("EvaluateS3Batches", "RecordFailure");
  }

  @Test
  void inlineRunDefaultsBatchSize() throws Exception {
    lambda.function("evaluate-batch", ok(PARTIAL)).function("aggregate", ok(REPORT));
    ObjectNode input = (ObjectNode) LocalExecution.sampleInput("evaluation-inline.json");
    input.remove("batchSize");

    LocalExecution.Result result = LocalExecution.run("evaluation.asl.json", input, lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(lambda.callsTo("function:evaluate-batch")).singleElement()
        .satisfies(b -> assertThat(b.path("Items").size()).isEqualTo(3));
  }

  @Test
  void throttledBatchRetriedThenSucceeds() throws Exception {
    lambda.function("evaluate-batch",
            serviceError(429, "TooManyRequestsException"), serviceError(500, "ServiceException"), ok(PARTIAL))
        .function("aggregate", ok(REPORT));
    ObjectNode input = (ObjectNode) LocalExecution.sampleInput("evaluation-inline.json");
    input.put("batchSize", 3);

    LocalExecution.Result result = LocalExecution.run("evaluation.asl.json", input, lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.events("StateFailed", "EvaluateInlineBatch")).extracting(e -> e.path("error").asText())
        .containsExactly("Lambda.TooManyRequestsException", "Lambda.ServiceException");
    assertThat(result.events("StateRetried", "EvaluateInlineBatch")).hasSize(2);
    assertThat(lambda.callsTo("function:evaluate-batch")).hasSize(3);
    assertThat(lambda.callsTo("function:record-failure")).isEmpty();
  }

  @Test
  void handlerExceptionRecordedWithoutRetry() throws Exception {
    lambda.function("evaluate-batch", functionError("java.lang.IllegalStateException", "row b77-0002 has no turns"))
        .function("record-failure", ok("{}"));
    ObjectNode input = (ObjectNode) LocalExecution.sampleInput("evaluation-inline.json");
    input.put("batchSize", 3);

    LocalExecution.Result result = LocalExecution.run("evaluation.asl.json", input, lambda, workDir);

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.events("StateRetried", "EvaluateInlineBatch")).isEmpty();
    assertThat(result.error()).isEqualTo("java.lang.IllegalStateException");
    assertThat(result.cause()).contains("row b77-0002 has no turns");
    JsonNode recorded = lambda.callsTo("function:record-failure").get(0);
    assertThat(recorded.path("runId").asText()).isEqualTo("eval-2026-01-15-planner-inline");
    assertThat(recorded.path("stateMachine").asText()).isEqualTo("evaluation");
    assertThat(recorded.path("error").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(lambda.callsTo("function:aggregate")).isEmpty();
  }
}
