package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.bedrock.imports.BedrockModelImporter;
import dev.tuneladder.core.model.ModelCallException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrock.BedrockClient;

/** The import status task with the real Bedrock importer against a loopback stub of GetModelImportJob. */
class ImportStatusHandlerTest {

    private static final String JOB_ARN = "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcd1234efgh";
    /** The ARN as the SDK puts it in the path: every ':' and '/' percent-encoded. */
    private static final String JOB_PATH = "/model-import-jobs/"
            + "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-import-job%2Fabcd1234efgh";
    private static final String MODEL_ARN = "arn:aws:bedrock:us-east-1:123456789012:imported-model/k2x9qwen3abc";

    @RegisterExtension
    static WireMockExtension bedrock = TestSupport.bedrock();

    private BedrockClient client;
    private ImportStatusHandler handler;

    @BeforeEach
    void setUp() {
        client = TestSupport.factory(bedrock).configure(BedrockClient.builder()).build();
        handler = new ImportStatusHandler(new BedrockModelImporter(client));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Stubs GetModelImportJob with the documented response fields. */
    private static void stubStatus(String status, String extraFields) {
        bedrock.stubFor(get(urlEqualTo(JOB_PATH)).willReturn(TestSupport.ok("{\"jobArn\":\"" + JOB_ARN + "\","
                + "\"jobName\":\"tl-import-ft-2025-06-01-a\",\"importedModelName\":\"tl-planner-ft-2025-06-01-a\","
                + "\"roleArn\":\"arn:aws:iam::123456789012:role/tuneladder-import\","
                + "\"modelDataSource\":{\"s3DataSource\":{\"s3Uri\":\"s3://tuneladder-data/runs/r/merged/\"}},"
                + "\"status\":\"" + status + "\",\"creationTime\":\"2025-06-01T12:00:00Z\"" + extraFields + "}")));
    }

    private static ObjectNode event(int attempt, int maxAttempts) {
        ObjectNode event = StepTasks.event("import-status.json");
        event.put("attempt", attempt);
        event.put("maxAttempts", maxAttempts);
        return event;
    }

    @Test
    void importStatus_inProgress_countsPoll() {
        stubStatus("InProgress", "");

        JsonNode result = StepTasks.invoke(handler, StepTasks.event("import-status.json"));

        assertThat(result.get("status").asText()).isEqualTo("InProgress");
        assertThat(result.get("attempt").asInt()).isEqualTo(1);
        assertThat(result.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(result.get("exhausted").asBoolean()).isFalse();
        assertThat(result.has("importedModelArn")).isFalse();
        assertThat(result.get("importJobArn").asText()).isEqualTo(JOB_ARN);
        bedrock.verify(1, getRequestedFor(urlEqualTo(JOB_PATH)));
    }

    @Test
    void importStatus_lastPoll_isExhausted() {
        stubStatus("InProgress", "");

        JsonNode result = StepTasks.invoke(handler, event(2, 3));

        assertThat(result.get("attempt").asInt()).isEqualTo(3);
        assertThat(result.get("exhausted").asBoolean()).isTrue();
    }

    @Test
    void importStatus_outputAsInput_loops() {
        stubStatus("InProgress", "");

        JsonNode first = StepTasks.invoke(handler, event(0, 2));
        JsonNode second = StepTasks.invoke(handler, first);

        assertThat(first.get("exhausted").asBoolean()).isFalse();
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        assertThat(second.get("exhausted").asBoolean()).isTrue();
    }

    @Test
    void importStatus_completed_returnsModelArn() {
        stubStatus("Completed", ",\"importedModelArn\":\"" + MODEL_ARN + "\",\"endTime\":\"2025-06-01T12:20:00Z\"");

        JsonNode result = StepTasks.invoke(handler, event(2, 3));

        assertThat(result.get("status").asText()).isEqualTo("Completed");
        assertThat(result.get("importedModelArn").asText()).isEqualTo(MODEL_ARN);
        assertThat(result.get("exhausted").asBoolean()).isFalse();
    }

    @Test
    void importStatus_failed_returnsFailureMessage() {
        stubStatus("Failed", ",\"failureMessage\":\"tokenizer.json is missing from the S3 location\"");

        JsonNode result = StepTasks.invoke(handler, event(0, 3));

        assertThat(result.get("status").asText()).isEqualTo("Failed");
        assertThat(result.get("failureMessage").asText()).isEqualTo("tokenizer.json is missing from the S3 location");
        assertThat(result.get("exhausted").asBoolean()).isFalse();
    }

    @Test
    void importStatus_attemptAtBudget_namesAttempt() {
        assertThatThrownBy(() -> StepTasks.invoke(handler, event(3, 3)))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> {
                    assertThat(e.field()).isEqualTo("attempt");
                    assertThat(e.getMessage()).contains("must be 0 to 2");
                });
        bedrock.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void importStatus_wrongArn_namesField() {
        ObjectNode event = event(0, 3);
        event.put("importJobArn", "arn:aws:sagemaker:us-east-1:123456789012:training-job/x");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("importJobArn"));
    }

    @Test
    void importStatus_throttled_throwsModelCallException() {
        bedrock.stubFor(get(urlEqualTo(JOB_PATH)).willReturn(TestSupport.throttled()));

        assertThatThrownBy(() -> StepTasks.invoke(handler, event(0, 3)))
                .isInstanceOfSatisfying(ModelCallException.class, e ->
                        assertThat(e.kind()).isEqualTo(ModelCallException.Kind.THROTTLED));
    }
}
