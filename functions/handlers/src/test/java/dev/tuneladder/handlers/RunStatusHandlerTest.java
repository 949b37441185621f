package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.tuneladder.core.data.Json;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The run status handler against a loopback Step Functions stub that speaks the documented JSON 1.0 protocol:
 * {@code POST /} with {@code X-Amz-Target: AWSStepFunctions.DescribeExecution}, {@code application/x-amz-json-1.0}
 * bodies, epoch-second timestamps, and errors named by {@code __type}.
 */
class RunStatusHandlerTest {

    private static final String ACCOUNT = "arn:aws:states:us-east-1:123456789012:";
    private static final String EVALUATION = ACCOUNT + "stateMachine:tuneladder-evaluation";
    private static final String FINE_TUNING = ACCOUNT + "stateMachine:tuneladder-fine-tuning";
    private static final String SAMPLING = ACCOUNT + "stateMachine:tuneladder-sampling";
    private static final String RUN_ID = "eval-2026-01-15-planner";
    private static final String JSON_1_0 = "application/x-amz-json-1.0";
    private static final String TARGET = "AWSStepFunctions.DescribeExecution";
    private static final int SDK_STANDARD_ATTEMPTS = 3;

    @RegisterExtension
    static WireMockExtension stepFunctions = TestSupport.bedrock();

    private final RequestSchemas schemas = new RequestSchemas();
    private SfnClient client;
    private RunStatusHandler handler;

    @BeforeEach
    void setUp() {
        // The SDK's standard strategy with its attempt count, minus the waits between attempts.
        client = RunStatusHandler.stepFunctions(TestSupport.factory(stepFunctions),
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                        .build());
        handler = new RunStatusHandler(client, Map.of(
                RunStatusHandler.EVALUATION_ROUTE, EVALUATION,
                RunStatusHandler.FINE_TUNING_ROUTE, FINE_TUNING,
                RunStatusHandler.SPLITS_ROUTE, SAMPLING), schemas);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void status_succeededEvaluation_returnsSummary() {
        ObjectNode report = Json.mapper().createObjectNode().put("runId", RUN_ID)
                .put("metricsKey", "runs/" + RUN_ID + "/metrics.json").put("reportKey", "runs/" + RUN_ID + "/report.md")
                .put("accuracy", 0.91).put("macroF1", 0.9);
        ObjectNode output = Json.mapper().createObjectNode().put("runId", RUN_ID).put("outcome", "SUCCEEDED");
        output.set("report", report);
        stub(ok(execution(EVALUATION, "SUCCEEDED").put("stopDate", 1.7053164E9).put("output", output.toString())));

        JsonNode status = okStatus(TestSupport.apiEvent("run-status.json"));

        assertThat(status.get("runId").asText()).isEqualTo(RUN_ID);
        assertThat(status.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.get("startedAt").asText()).isEqualTo("2024-01-15T10:00:00.123Z");
        assertThat(status.get("stoppedAt").asText()).isEqualTo("2024-01-15T11:00:00Z");
        assertThat(status.get("metricsKey").asText()).isEqualTo("runs/" + RUN_ID + "/metrics.json");
        assertThat(status.get("reportKey").asText()).isEqualTo("runs/" + RUN_ID + "/report.md");
        assertThat(status.get("summary")).isEqualTo(output);
        assertThat(status.has("failure")).isFalse();
        stepFunctions.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(TARGET))
                .withHeader("Content-Type", equalTo(JSON_1_0))
                .withRequestBody(equalToJson("{\"executionArn\":\"" + ACCOUNT + "execution:tuneladder-evaluation:"
                        + RUN_ID + "\"}")));
    }

    @Test
    void status_failedRun_returnsErrorAndCause() {
        stub(ok(execution(EVALUATION, "FAILED").put("stopDate", 1.7053164E9)
                .put("error", "java.lang.IllegalStateException").put("cause", "row b77-0002 has no turns")));

        JsonNode status = okStatus(TestSupport.apiEvent("run-status.json"));

        assertThat(status.get("status").asText()).isEqualTo("FAILED");
        assertThat(status.at("/failure/error").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(status.at("/failure/cause").asText()).isEqualTo("row b77-0002 has no turns");
        assertThat(status.has("summary")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"RUNNING, RUNNING", "PENDING_REDRIVE, RUNNING", "TIMED_OUT, TIMED_OUT", "ABORTED, ABORTED"})
    void status_executionStatus_mapsToSchema(String stepFunctionsStatus, String expected) {
        stub(ok(execution(EVALUATION, stepFunctionsStatus)));

        JsonNode status = okStatus(TestSupport.apiEvent("run-status.json"));

        assertThat(status.get("status").asText()).isEqualTo(expected);
        assertThat(status.has("stoppedAt")).isFalse();
    }

    @Test
    void status_fineTuningRoute_usesItsStateMachine() {
        ObjectNode output = Json.mapper().createObjectNode().put("runId", "ft-1").put("outcome", "REJECTED")
                .put("reason", "macroF1 fell by 0.0300");
        stub(ok(execution(FINE_TUNING, "SUCCEEDED").put("output", output.toString())));

        JsonNode status = okStatus(event(RunStatusHandler.FINE_TUNING_ROUTE, Map.of("runId", "ft-1")));

        assertThat(status.at("/summary/outcome").asText()).isEqualTo("REJECTED");
        assertThat(status.has("metricsKey")).isFalse();
        stepFunctions.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(
                equalToJson("{\"executionArn\":\"" + ACCOUNT + "execution:tuneladder-fine-tuning:ft-1\"}")));
    }

    @Test
    void status_splitsRoute_reportsDatasetRun() {
        String input = "{\"runId\":\"split-1\",\"dataset\":{\"key\":\"datasets/banking77/interactions.jsonl\"}}";
        stub(ok(execution(SAMPLING, "RUNNING").put("input", input)));

        JsonNode status = okStatus(event(RunStatusHandler.SPLITS_ROUTE,
                Map.of("dataset", "banking77", "runId", "split-1")));

        assertThat(status.get("status").asText()).isEqualTo("RUNNING");
    }

    @Test
    void status_otherDatasetRun_is404() {
        String input = "{\"runId\":\"split-1\",\"dataset\":{\"key\":\"datasets/banking77/interactions.jsonl\"}}";
        stub(ok(execution(SAMPLING, "RUNNING").put("input", input)));

        JsonNode error = errorOf(handle(event(RunStatusHandler.SPLITS_ROUTE,
                Map.of("dataset", "other", "runId", "split-1"))), 404);

        assertThat(error.get("code").asText()).isEqualTo("unknown_run");
    }

    @Test
    void status_unknownExecution_is404() {
        stub(error(400, "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist",
                "Execution Does Not Exist: '" + ACCOUNT + "execution:tuneladder-evaluation:" + RUN_ID + "'"));

        JsonNode error = errorOf(handle(TestSupport.apiEvent("run-status.json")), 404);

        assertThat(error.get("code").asText()).isEqualTo("unknown_run");
        assertThat(error.get("field").asText()).isEqualTo("runId");
        assertThat(error.get("message").asText()).contains(RUN_ID).doesNotContain("123456789012");
        stepFunctions.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void status_malformedRunId_is400() {
        JsonNode error = errorOf(handle(event(RunStatusHandler.EVALUATION_ROUTE, Map.of("runId", "a:b"))), 400);

        assertThat(error.get("code").asText()).isEqualTo("validation_failed");
        assertThat(error.get("field").asText()).isEqualTo("runId");
        stepFunctions.verify(0, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void status_alwaysThrottled_is503() {
        stub(error(400, "ThrottlingException", "Rate exceeded"));

        JsonNode error = errorOf(handle(TestSupport.apiEvent("run-status.json")), 503);

        assertThat(error.get("code").asText()).isEqualTo("service_unavailable");
        stepFunctions.verify(SDK_STANDARD_ATTEMPTS, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void status_throttledTwice_is200() {
        stepFunctions.stubFor(post(urlEqualTo("/")).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(400, "ThrottlingException", "Rate exceeded")).willSetStateTo("once"));
        stepFunctions.stubFor(post(urlEqualTo("/")).inScenario("throttle").whenScenarioStateIs("once")
                .willReturn(error(400, "ThrottlingException", "Rate exceeded")).willSetStateTo("twice"));
        stepFunctions.stubFor(post(urlEqualTo("/")).inScenario("throttle").whenScenarioStateIs("twice")
                .willReturn(ok(execution(EVALUATION, "RUNNING"))));

        JsonNode status = okStatus(TestSupport.apiEvent("run-status.json"));

        assertThat(status.get("status").asText()).isEqualTo("RUNNING");
        stepFunctions.verify(3, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void status_alwaysServiceError_is502() {
        stub(error(500, "InternalFailure", "internal error"));

        JsonNode error = errorOf(handle(TestSupport.apiEvent("run-status.json")), 502);

        assertThat(error.get("code").asText()).isEqualTo("upstream_failed");
        stepFunctions.verify(SDK_STANDARD_ATTEMPTS, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void status_accessDenied_is500() {
        stub(error(400, "AccessDeniedException", "User arn:aws:iam::123456789012:role/x is not authorized"));

        JsonNode error = errorOf(handle(TestSupport.apiEvent("run-status.json")), 500);

        assertThat(error.get("code").asText()).isEqualTo("internal_error");
        assertThat(error.get("message").asText()).contains("req-status").doesNotContain("123456789012");
    }

    @Test
    void config_badStateMachineArn_namesVariable() {
        HandlerConfig missing = new HandlerConfig(Map.of());
        HandlerConfig malformed = new HandlerConfig(Map.of(HandlerConfig.SAMPLING_STATE_MACHINE_ARN,
                "arn:aws:lambda:us-east-1:123456789012:function:sampling"));

        assertThatThrownBy(() -> missing.stateMachineArn(HandlerConfig.EVALUATION_STATE_MACHINE_ARN))
                .hasMessageContaining("TUNELADDER_EVALUATION_STATE_MACHINE_ARN");
        assertThatThrownBy(() -> malformed.stateMachineArn(HandlerConfig.SAMPLING_STATE_MACHINE_ARN))
                .hasMessageContaining("TUNELADDER_SAMPLING_STATE_MACHINE_ARN").hasMessageContaining("stateMachine");
    }

    private void stub(ResponseDefinitionBuilder response) {
        stepFunctions.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET))
                .willReturn(response));
    }

    private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event) {
        return handler.handleRequest(event, TestSupport.context("req-status"));
    }

    /** Handles the event, expects 200 and returns the body after validating it against run-status.json. */
    private JsonNode okStatus(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = handle(event);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        JsonNode body = TestSupport.body(response.getBody());
        assertThat(schemas.schema("run-status.json").validate(body)).as(response.getBody()).isEmpty();
        return body;
    }

    private JsonNode errorOf(APIGatewayProxyResponseEvent response, int status) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        JsonNode body = TestSupport.body(response.getBody());
        assertThat(schemas.schema("error.json").validate(body)).as(response.getBody()).isEmpty();
        return body.get("error");
    }

    private static APIGatewayProxyRequestEvent event(String resource, Map<String, String> pathParameters) {
        return TestSupport.apiEvent("run-status.json").withResource(resource).withPathParameters(pathParameters);
    }

    /** Returns a DescribeExecution response body for an execution of the state machine, started 2024-01-15. */
    private static ObjectNode execution(String stateMachineArn, String status) {
        String name = stateMachineArn.endsWith("evaluation") ? RUN_ID : "run";
        return Json.mapper().createObjectNode()
                .put("executionArn", stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name)
                .put("stateMachineArn", stateMachineArn)
                .put("name", name)
                .put("status", status)
                .put("startDate", 1.705312800123E9)
                .put("input", "{\"runId\":\"" + name + "\"}");
    }

    private static ResponseDefinitionBuilder ok(ObjectNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON_1_0)
                .withHeader("x-amzn-RequestId", "sfn-req-ok").withBody(body.toString());
    }

    private static ResponseDefinitionBuilder error(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", JSON_1_0)
                .withHeader("x-amzn-RequestId", "sfn-req-error")
                .withBody(Json.mapper().createObjectNode().put("__type", type).put("message", message).toString());
    }
}
