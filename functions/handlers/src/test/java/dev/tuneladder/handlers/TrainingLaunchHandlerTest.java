package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.aws.sagemaker.SageMakerTrainingBackend;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.training.RequestDocuments;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** The training launch task with the real SageMaker backend against a loopback stub of its JSON 1.1 API. */
class TrainingLaunchHandlerTest {

    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String JOB_ARN =
            "arn:aws:sagemaker:us-east-1:123456789012:training-job/tl-lora-ft-2025-06-01-a";

    @RegisterExtension
    static WireMockExtension sageMaker = TestSupport.bedrock();

    private SageMakerClient client;
    private TrainingLaunchHandler handler;

    @BeforeEach
    void setUp() {
        client = TestSupport.factory(sageMaker).configure(SageMakerClient.builder()).build();
        handler = new TrainingLaunchHandler(new SageMakerTrainingBackend(client));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static void stubCreate(int status, String body) {
        sageMaker.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("SageMaker.CreateTrainingJob"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", JSON_11)
                        .withHeader("x-amzn-RequestId", "req-sm").withBody(body)));
    }

    @Test
    void launch_sampleEvent_returnsJob() throws Exception {
        stubCreate(200, "{\"TrainingJobArn\":\"" + JOB_ARN + "\"}");
        ObjectNode event = StepTasks.event("training-launch.json");

        JsonNode result = StepTasks.invoke(handler, event);

        assertThat(result.get("runId").asText()).isEqualTo("ft-2025-06-01-a");
        assertThat(result.get("trainingJobName").asText()).isEqualTo("tl-lora-ft-2025-06-01-a");
        assertThat(result.get("trainingJobArn").asText()).isEqualTo(JOB_ARN);
        List<LoggedRequest> requests = sageMaker.findAll(postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        JsonNode sent = StepTaskHandler.MAPPER.readTree(requests.get(0).getBodyAsString());
        assertThat(sent).isEqualTo(RequestDocuments.createTrainingJob(
                TrainingLaunchHandler.spec(TaskInput.root(event).object("spec"))));
        assertThat(sent.at("/HyperParameters/lora_r").asText()).isEqualTo("16");
        assertThat(sent.at("/HyperParameters/learning_rate").asText()).isEqualTo("0.0002");
        // Fields the event leaves out take the builder's defaults.
        assertThat(sent.at("/HyperParameters/lora_dropout").asText()).isEqualTo("0.05");
        assertThat(sent.at("/StoppingCondition/MaxRuntimeInSeconds").asInt()).isEqualTo(43200);
    }

    @Test
    void launch_rankOutOfRange_namesField() {
        ObjectNode event = StepTasks.event("training-launch.json");
        ((ObjectNode) event.get("spec")).put("loraRank", 32);

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.loraRank");
                    assertThat(e.getMessage()).contains("spec.loraRank").contains("8 to 16, got 32");
                });
        sageMaker.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void launch_missingRoleArn_namesField() {
        ObjectNode event = StepTasks.event("training-launch.json");
        ((ObjectNode) event.get("spec")).remove("roleArn");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.roleArn");
                    assertThat(e.getMessage()).isEqualTo("task input field 'spec.roleArn' is missing; add it to"
                            + " the task's input");
                });
    }

    @Test
    void launch_unknownField_listsFields() {
        ObjectNode event = StepTasks.event("training-launch.json");
        ((ObjectNode) event.get("spec")).put("loraRnak", 8);

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.loraRnak");
                    assertThat(e.getMessage()).contains("loraAlpha, loraDropout, loraRank, maxRuntimeSeconds");
                });
    }

    @Test
    void launch_epochsAsString_namesField() {
        ObjectNode event = StepTasks.event("training-launch.json");
        ((ObjectNode) event.get("spec")).put("epochs", "3");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e ->
                        assertThat(e.getMessage()).isEqualTo("task input field 'spec.epochs' must be a whole"
                                + " number, got a string"));
    }

    @Test
    void launch_runIdWithSlash_namesRunId() {
        ObjectNode event = StepTasks.event("training-launch.json");
        event.put("runId", "ft/1");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("runId"));
    }

    @Test
    void launch_throttled_throwsModelCallException() {
        stubCreate(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");

        assertThatThrownBy(() -> StepTasks.invoke(handler, StepTasks.event("training-launch.json")))
                .isInstanceOfSatisfying(ModelCallException.class, e ->
                        assertThat(e.kind()).isEqualTo(ModelCallException.Kind.THROTTLED));
        assertThat(InvalidTaskInput.ERROR_NAME).isEqualTo("dev.tuneladder.handlers.InvalidTaskInput");
    }
}
