package dev.tuneladder.aws.sagemaker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.training.LaunchedTrainingJob;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.RequestDocuments;
import dev.tuneladder.core.training.TrainingJobState;
import dev.tuneladder.core.training.TrainingJobStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The SageMaker JSON 1.1 protocol on a loopback WireMock server: every call is {@code POST /} with the operation in
 * {@code X-Amz-Target} and errors carry their code in {@code __type}.
 */
class SageMakerTrainingBackendTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String JOB = "tl-lora-run1";
    private static final String JOB_ARN = "arn:aws:sagemaker:us-east-1:123456789012:training-job/tl-lora-run1";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private SageMakerClient client;
    private SageMakerTrainingBackend backend;

    @BeforeEach
    void createClient() {
        AwsClientFactory factory = new AwsClientFactory(Region.US_EAST_1,
                URI.create("http://127.0.0.1:" + server.getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTSTUB0000", "dummy-secret-key")),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 4);
        client = factory.configure(SageMakerClient.builder()).build();
        backend = new SageMakerTrainingBackend(client);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static LoraTrainingSpec.Builder spec() {
        return LoraTrainingSpec.builder()
                .jobName(JOB)
                .baseModel("meta-llama/Llama-3.1-8B-Instruct")
                .trainDataUri("s3://tl-data/runs/run1/train/")
                .outputUri("s3://tl-data/runs/run1/training/")
                .trainingImageUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/tl-train:1")
                .roleArn("arn:aws:iam::123456789012:role/tuneladder-training");
    }

    private static ResponseDefinitionBuilder ok(String json) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", JSON_11)
                .withHeader("x-amzn-RequestId", "req-ok-1")
                .withBody(json);
    }

    private static ResponseDefinitionBuilder error(int status, String type, String message) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", JSON_11)
                .withHeader("x-amzn-RequestId", "req-err-1")
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    private static void stubTarget(String operation, ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("SageMaker." + operation))
                .willReturn(response));
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = server.findAll(postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static JsonNode body(LoggedRequest request) throws IOException {
        return MAPPER.readTree(request.getBodyAsString());
    }

    @Test
    void launch_minimalSpec_sendsDocumentedCreateTrainingJob() throws IOException {
        stubTarget("CreateTrainingJob", ok("{\"TrainingJobArn\":\"" + JOB_ARN + "\"}"));
        LoraTrainingSpec spec = spec().build();

        LaunchedTrainingJob job = backend.launch(spec);

        assertThat(job).isEqualTo(new LaunchedTrainingJob(JOB, JOB_ARN));
        LoggedRequest request = onlyRequest();
        assertThat(request.getUrl()).isEqualTo("/");
        assertThat(request.getHeader("X-Amz-Target")).isEqualTo("SageMaker.CreateTrainingJob");
        assertThat(request.getHeader("Content-Type")).startsWith(JSON_11);
        assertThat(body(request)).isEqualTo(RequestDocuments.createTrainingJob(spec));
        assertThat(body(request).has("Tags")).isFalse();
        assertThat(body(request).path("AlgorithmSpecification").path("TrainingInputMode").asText())
                .isEqualTo("File");
    }

    @Test
    void launch_allOptionalFields_matchesDryRun() throws IOException {
        stubTarget("CreateTrainingJob", ok("{\"TrainingJobArn\":\"" + JOB_ARN + "\"}"));
        LoraTrainingSpec spec = spec()
                .baseModel("s3://tl-models/llama-3.1-8b/")
                .validationDataUri("s3://tl-data/runs/run1/validation/")
                .outputKmsKeyId("arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab")
                .extraHyperParameters(Map.of("gradient_accumulation_steps", "8"))
                .tags(Map.of("project", "tuneladder", "run", "run1"))
                .build();

        backend.launch(spec);

        JsonNode sent = body(onlyRequest());
        assertThat(sent).isEqualTo(RequestDocuments.createTrainingJob(spec));
        assertThat(sent.path("InputDataConfig").findValuesAsText("ChannelName"))
                .containsExactly("train", "validation", "model");
        assertThat(sent.path("InputDataConfig").get(2).path("DataSource").path("S3DataSource").path("S3Uri").asText())
                .isEqualTo("s3://tl-models/llama-3.1-8b/");
        assertThat(sent.path("OutputDataConfig").path("KmsKeyId").asText()).startsWith("arn:aws:kms:");
        assertThat(sent.path("ResourceConfig").path("VolumeSizeInGB").asInt()).isEqualTo(100);
        assertThat(sent.path("StoppingCondition").path("MaxRuntimeInSeconds").asInt()).isEqualTo(86_400);
        assertThat(sent.path("Tags")).hasSize(2);
        assertThat(sent.path("HyperParameters").path("gradient_accumulation_steps").asText()).isEqualTo("8");
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(nullValues = "null", value = {
            "InProgress, Training, null, null, null, IN_PROGRESS",
            "Completed, Completed, null, s3://tl-data/runs/run1/training/tl-lora-run1/output/model.tar.gz, 5400,"
                    + " COMPLETED",
            "Failed, Failed, 'AlgorithmError: CUDA out of memory', null, 120, FAILED",
            "Stopping, Stopping, null, null, null, STOPPING",
            "Stopped, MaxRuntimeExceeded, null, null, 86400, STOPPED"})
    void describe_everyStatus_parsed(String status, String secondary, String failure, String artifacts,
            Long billable, TrainingJobState state) throws IOException {
        StringBuilder json = new StringBuilder("{\"TrainingJobName\":\"" + JOB + "\",\"TrainingJobArn\":\"" + JOB_ARN
                + "\",\"TrainingJobStatus\":\"" + status + "\",\"SecondaryStatus\":\"" + secondary
                + "\",\"CreationTime\":1748779200.123");
        if (failure != null) {
            json.append(",\"FailureReason\":\"").append(failure).append('"');
        }
        if (artifacts != null) {
            json.append(",\"ModelArtifacts\":{\"S3ModelArtifacts\":\"").append(artifacts).append("\"}");
        }
        if (billable != null) {
            json.append(",\"BillableTimeInSeconds\":").append(billable);
        }
        stubTarget("DescribeTrainingJob", ok(json.append('}').toString()));

        TrainingJobStatus parsed = backend.describe(JOB);

        assertThat(parsed).isEqualTo(new TrainingJobStatus(JOB, JOB_ARN, state, secondary, failure, artifacts,
                billable, null));
        assertThat(parsed.state().terminal()).isEqualTo(state == TrainingJobState.COMPLETED
                || state == TrainingJobState.FAILED || state == TrainingJobState.STOPPED);
        LoggedRequest request = onlyRequest();
        assertThat(request.getHeader("X-Amz-Target")).isEqualTo("SageMaker.DescribeTrainingJob");
        assertThat(body(request)).isEqualTo(MAPPER.readTree("{\"TrainingJobName\":\"" + JOB + "\"}"));
    }

    @Test
    void describe_unknownStatus_malformedResponse() {
        stubTarget("DescribeTrainingJob", ok("{\"TrainingJobName\":\"" + JOB + "\",\"TrainingJobStatus\":\"Paused\"}"));

        assertThatThrownBy(() -> backend.describe(JOB))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE))
                .hasMessageContaining("training job status 'Paused' is not one of");
    }

    @Test
    void stop_jobName_sendsStopTrainingJob() throws IOException {
        stubTarget("StopTrainingJob", ok("{}"));

        backend.stop(JOB);

        LoggedRequest request = onlyRequest();
        assertThat(request.getHeader("X-Amz-Target")).isEqualTo("SageMaker.StopTrainingJob");
        assertThat(body(request)).isEqualTo(MAPPER.readTree("{\"TrainingJobName\":\"" + JOB + "\"}"));
    }

    @Test
    void launch_throttled_throttledKindAfterOneRequest() {
        stubTarget("CreateTrainingJob", error(400, "ThrottlingException", "Rate exceeded"));

        assertThatThrownBy(() -> backend.launch(spec().build()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.statusCode()).isEqualTo(400);
                })
                .hasMessageContaining("SageMaker CreateTrainingJob call for training job '" + JOB + "' failed:"
                        + " HTTP 400 ThrottlingException, request id req-err-1: Rate exceeded")
                .hasMessageContaining("back off");
        onlyRequest();
    }

    @Test
    void launch_validationError_clientErrorWithHint() {
        stubTarget("CreateTrainingJob", error(400, "ValidationException",
                "Could not find image 123456789012.dkr.ecr.us-east-1.amazonaws.com/tl-train:1"));

        assertThatThrownBy(() -> backend.launch(spec().build()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageContaining("HTTP 400 ValidationException")
                .hasMessageContaining("Could not find image")
                .hasMessageContaining("iam:PassRole");
        onlyRequest();
    }

    @Test
    void launch_nameInUse_clientError() {
        stubTarget("CreateTrainingJob", error(400, "ResourceInUse", "Training job names must be unique"));

        assertThatThrownBy(() -> backend.launch(spec().build()))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR))
                .hasMessageContaining("ResourceInUse");
        onlyRequest();
    }

    @Test
    void describe_unknownJob_clientError() {
        stubTarget("DescribeTrainingJob", error(400, "ResourceNotFound", "Requested resource not found."));

        assertThatThrownBy(() -> backend.describe("tl-missing"))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR))
                .hasMessageContaining("training job 'tl-missing'");
        onlyRequest();
    }

    @ParameterizedTest
    @CsvSource({"500, InternalFailure", "503, ServiceUnavailable"})
    void stop_serverError_serverErrorKind(int status, String type) {
        stubTarget("StopTrainingJob", error(status, type, "try again"));

        assertThatThrownBy(() -> backend.stop(JOB))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
                    assertThat(e.statusCode()).isEqualTo(status);
                });
        onlyRequest();
    }

    @Test
    void describe_invalidName_rejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> backend.describe("tl_lora")).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.findAll(postRequestedFor(anyUrl()))).isEmpty();
    }
}
