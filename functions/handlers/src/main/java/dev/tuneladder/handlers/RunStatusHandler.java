package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.AwsClientFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * {@code GET /v1/evaluations/{runId}}, {@code GET /v1/fine-tuning-jobs/{runId}} and
 * {@code GET /v1/datasets/{dataset}/splits/{runId}}: reports a run that the matching POST started, from Step
 * Functions DescribeExecution, in the shape of {@code api/schemas/run-status.json}.
 *
 * <p>The run id is the execution name, so the execution ARN is built from the route's state machine ARN (see
 * {@link HandlerConfig#stateMachineArn}) without a lookup. A succeeded run's summary is the state machine's output,
 * and {@code metricsKey} and {@code reportKey} are copied from it where it has them; an evaluation's are under
 * {@code report}. Status codes: 400 for a run id that no POST could have given, 404 for an unknown run, 503 when Step
 * Functions still throttles after the SDK's retries, 502 when it still fails or cannot be reached.
 *
 * <p>SnapStart: the constructor builds the Step Functions client, whose connection pool stays empty until the
 * first request.
 */
public final class RunStatusHandler extends ApiHandler {

    /** Run ids as the POST routes give them: an Idempotency-Key or an API Gateway request id. */
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    static final String EVALUATION_ROUTE = "/v1/evaluations/{runId}";
    static final String FINE_TUNING_ROUTE = "/v1/fine-tuning-jobs/{runId}";
    static final String SPLITS_ROUTE = "/v1/datasets/{dataset}/splits/{runId}";

    /**
     * Limit for one DescribeExecution call with its retries. API Gateway waits 29 seconds for the function, and the
     * SDK's standard strategy makes at most 3 attempts.
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(RunStatusHandler.class);

    private final SfnClient stepFunctions;
    private final Map<String, String> stateMachineArnByRoute;

    /** Builds the Step Functions client and reads the three state machine ARNs from the environment. */
    public RunStatusHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private RunStatusHandler(HandlerConfig config) {
        this(stepFunctions(config.aws(), AwsRetryStrategy.standardRetryStrategy()), Map.of(
                EVALUATION_ROUTE, config.stateMachineArn(HandlerConfig.EVALUATION_STATE_MACHINE_ARN),
                FINE_TUNING_ROUTE, config.stateMachineArn(HandlerConfig.FINE_TUNING_STATE_MACHINE_ARN),
                SPLITS_ROUTE, config.stateMachineArn(HandlerConfig.SAMPLING_STATE_MACHINE_ARN)),
                new RequestSchemas());
    }

    /**
     * @param stateMachineArnByRoute the state machine ARN for each of {@link #EVALUATION_ROUTE},
     *     {@link #FINE_TUNING_ROUTE} and {@link #SPLITS_ROUTE}
     */
    RunStatusHandler(SfnClient stepFunctions, Map<String, String> stateMachineArnByRoute, RequestSchemas schemas) {
        super(schemas);
        this.stepFunctions = Objects.requireNonNull(stepFunctions, "stepFunctions");
        this.stateMachineArnByRoute = Map.copyOf(stateMachineArnByRoute);
    }

    /**
     * Builds the Step Functions client on the factory's region, endpoint, credentials and HTTP settings, but with
     * the given retry strategy in place of the factory's single attempt: this function makes one read call per
     * request, and the SDK's standard strategy already classifies which Step Functions errors are worth retrying.
     */
    static SfnClient stepFunctions(AwsClientFactory factory, RetryStrategy retryStrategy) {
        return factory.configure(SfnClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(retryStrategy).apiCallTimeout(CALL_TIMEOUT))
                .build();
    }

    @Override
    String function() {
        return "run-status";
    }

    @Override
    String requestSchema() {
        return null;
    }

    @Override
    JsonNode handle(APIGatewayProxyRequestEvent event, JsonNode body) {
        String route = event.getResource();
        String stateMachineArn = stateMachineArnByRoute.get(route);
        if (stateMachineArn == null) {
            throw new IllegalStateException("resource " + route + " is not a run status route; route only "
                    + stateMachineArnByRoute.keySet() + " to this function");
        }
        String runId = pathParameter(event, "runId");
        if (!RUN_ID.matcher(runId).matches()) {
            throw ApiException.validation("runId", "path parameter 'runId' is not a run id: run ids are 1 to 80"
                    + " letters, digits, - and _, as the POST that started the run returned them in runId");
        }
        Invocation.runId(runId);

        DescribeExecutionResponse execution = describe(executionArn(stateMachineArn, runId), runId);
        if (route.equals(SPLITS_ROUTE)) {
            requireSameDataset(execution, pathParameter(event, "dataset"), runId);
        }
        LOG.info("run described: status={}", execution.statusAsString());
        return status(runId, execution);
    }

    /** Returns the ARN of the execution named {@code runId}: the state machine ARN with execution in its place. */
    static String executionArn(String stateMachineArn, String runId) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + runId;
    }

    private DescribeExecutionResponse describe(String executionArn, String runId) {
        try {
            return stepFunctions.describeExecution(request -> request.executionArn(executionArn));
        } catch (ExecutionDoesNotExistException e) {
            throw unknownRun(runId);
        } catch (SfnException e) {
            if (e.isThrottlingException()) {
                LOG.warn("DescribeExecution still throttled after retries: code={} awsRequestId={}",
                        e.awsErrorDetails().errorCode(), e.requestId());
                throw new ApiException(503, "service_unavailable", "Step Functions is throttling status"
                        + " requests; retry after a few seconds", null);
            }
            if (e.statusCode() >= 500) {
                LOG.warn("DescribeExecution failed after retries: status={} code={} awsRequestId={}",
                        e.statusCode(), e.awsErrorDetails().errorCode(), e.requestId());
                throw upstreamFailed();
            }
            throw e;
        } catch (SdkClientException e) {
            LOG.warn("DescribeExecution did not reach Step Functions: exception={}", e.getClass().getName());
            throw upstreamFailed();
        }
    }

    /** Throws 404 unless the run split the dataset in the path, so one dataset's route cannot read another's runs. */
    private static void requireSameDataset(DescribeExecutionResponse execution, String dataset, String runId) {
        String expectedKey = "datasets/" + dataset + "/interactions.jsonl";
        String actualKey = json(execution.input()).path("dataset").path("key").asText(null);
        if (!expectedKey.equals(actualKey)) {
            throw unknownRun(runId);
        }
    }

    private static ObjectNode status(String runId, DescribeExecutionResponse execution) {
        ObjectNode status = MAPPER.createObjectNode();
        status.put("runId", runId);
        status.put("status", statusName(execution.status(), execution.statusAsString()));
        putTime(status, "startedAt", execution.startDate());
        putTime(status, "stoppedAt", execution.stopDate());

        if (execution.status() == ExecutionStatus.SUCCEEDED && execution.output() != null) {
            JsonNode output = json(execution.output());
            copyKey(output, status, "metricsKey");
            copyKey(output, status, "reportKey");
            if (output.isObject()) {
                status.set("summary", output);
            } else {
                status.putObject("summary").set("output", output);
            }
        }
        if (execution.error() != null || execution.cause() != null) {
            ObjectNode failure = status.putObject("failure");
            if (execution.error() != null) {
                failure.put("error", execution.error());
            }
            if (execution.cause() != null) {
                failure.put("cause", execution.cause());
            }
        }
        return status;
    }

    /**
     * Maps Step Functions' execution status to the API's. PENDING_REDRIVE is a failed run that a redrive has
     * restarted, so it reports as RUNNING.
     */
    static String statusName(ExecutionStatus status, String raw) {
        if (status == null || status == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
            LOG.warn("DescribeExecution returned an unknown status: status={}", raw);
            throw new ApiException(502, "upstream_failed", "Step Functions reported run status '" + raw
                    + "', which this API version does not know; retry later or report it", null);
        }
        return status == ExecutionStatus.PENDING_REDRIVE ? ExecutionStatus.RUNNING.toString() : status.toString();
    }

    /** Copies {@code field} from the output's top level, or else from its {@code report} object. */
    private static void copyKey(JsonNode output, ObjectNode status, String field) {
        JsonNode value = output.hasNonNull(field) ? output.get(field) : output.path("report").get(field);
        if (value != null && value.isTextual()) {
            status.put(field, value.asText());
        }
    }

    private static void putTime(ObjectNode status, String field, Instant time) {
        if (time != null) {
            status.put(field, DateTimeFormatter.ISO_INSTANT.format(time));
        }
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return MAPPER.missingNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // Step Functions keeps only valid JSON as input and output, so this is a service fault.
            throw new IllegalStateException("DescribeExecution returned input or output that is not JSON", e);
        }
    }

    private static ApiException unknownRun(String runId) {
        return new ApiException(404, "unknown_run", "no run '" + runId + "' exists on this route; use the"
                + " statusUrl that the POST returned (runs are kept 90 days after they end)", "runId");
    }

    private static ApiException upstreamFailed() {
        return new ApiException(502, "upstream_failed", "Step Functions did not respond to the status request;"
                + " retry after a few seconds", null);
    }
}
