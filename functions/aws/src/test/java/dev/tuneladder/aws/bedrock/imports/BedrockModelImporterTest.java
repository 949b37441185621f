package dev.tuneladder.aws.bedrock.imports;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
import dev.tuneladder.core.training.ModelImportRequest;
import dev.tuneladder.core.training.ModelImportState;
import dev.tuneladder.core.training.ModelImportStatus;
import dev.tuneladder.core.training.RequestDocuments;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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
import software.amazon.awssdk.services.bedrock.BedrockClient;

/**
 * The Bedrock control plane's REST JSON protocol on a loopback WireMock server: the operation is in the method and
 * path, and errors carry their type in {@code x-amzn-ErrorType}.
 */
class BedrockModelImporterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JOB_ARN = "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcd1234efgh";
    /** The ARN as the SDK puts it in the path: every ':' and '/' percent-encoded. */
    private static final String ENCODED_JOB_PATH = "/model-import-jobs/"
            + "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-import-job%2Fabcd1234efgh";
    private static final String MODEL_ARN = "arn:aws:bedrock:us-east-1:123456789012:imported-model/k2x9qwen3abc";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private BedrockClient client;
    private BedrockModelImporter importer;

    @BeforeEach
    void createClient() {
        AwsClientFactory factory = new AwsClientFactory(Region.US_EAST_1,
                URI.create("http://127.0.0.1:" + server.getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTSTUB0000", "dummy-secret-key")),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 4);
        client = factory.configure(BedrockClient.builder()).build();
        importer = new BedrockModelImporter(client);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static ModelImportRequest request(String kmsKeyId, Map<String, String> tags) {
        return new ModelImportRequest("tl-import-run1", "tl-planner-run1",
                "arn:aws:iam::123456789012:role/tuneladder-import", "s3://tl-data/runs/run1/merged/", kmsKeyId, tags,
                "run1-import");
    }

    private static ResponseDefinitionBuilder ok(int status, String json) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-ok-1")
                .withBody(json);
    }

    private static ResponseDefinitionBuilder error(int status, String type, String message) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-err-1")
                .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withBody("{\"message\":\"" + message + "\"}");
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = server.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static JsonNode body(LoggedRequest request) throws IOException {
        return MAPPER.readTree(request.getBodyAsString());
    }

    @Test
    void startImport_minimalRequest_postsDocumentedBody() throws IOException {
        server.stubFor(post(urlEqualTo("/model-import-jobs")).willReturn(ok(201, "{\"jobArn\":\"" + JOB_ARN + "\"}")));
        ModelImportRequest request = request(null, Map.of());

        String jobArn = importer.startImport(request);

        assertThat(jobArn).isEqualTo(JOB_ARN);
        LoggedRequest sent = onlyRequest();
        assertThat(sent.getMethod().getName()).isEqualTo("POST");
        assertThat(sent.getUrl()).isEqualTo("/model-import-jobs");
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(body(sent)).isEqualTo(RequestDocuments.createModelImportJob(request));
        assertThat(body(sent).path("modelDataSource").path("s3DataSource").path("s3Uri").asText())
                .isEqualTo("s3://tl-data/runs/run1/merged/");
        assertThat(body(sent).path("clientRequestToken").asText()).isEqualTo("run1-import");
        assertThat(body(sent).has("jobTags")).isFalse();
    }

    @Test
    void startImport_keyAndTags_matchesDryRun() throws IOException {
        server.stubFor(post(urlEqualTo("/model-import-jobs")).willReturn(ok(201, "{\"jobArn\":\"" + JOB_ARN + "\"}")));
        ModelImportRequest request = request("alias/tuneladder", Map.of("project", "tuneladder"));

        importer.startImport(request);

        JsonNode sent = body(onlyRequest());
        assertThat(sent).isEqualTo(RequestDocuments.createModelImportJob(request));
        assertThat(sent.path("importedModelKmsKeyId").asText()).isEqualTo("alias/tuneladder");
        assertThat(sent.path("jobTags").get(0).path("key").asText()).isEqualTo("project");
        assertThat(sent.path("importedModelTags")).isEqualTo(sent.path("jobTags"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
            "InProgress, null, null, null, IN_PROGRESS",
            "Completed, null, " + MODEL_ARN + ", 2025-06-01T12:20:00Z, COMPLETED",
            "Failed, 'tokenizer.json is missing from the S3 location', null, 2025-06-01T12:05:00Z, FAILED"})
    void getImport_everyStatus_parsed(String status, String failure, String modelArn, String endTime,
            ModelImportState state) {
        StringBuilder json = new StringBuilder("{\"jobArn\":\"" + JOB_ARN + "\",\"jobName\":\"tl-import-run1\","
                + "\"importedModelName\":\"tl-planner-run1\",\"roleArn\":\"arn:aws:iam::123456789012:role/x\","
                + "\"modelDataSource\":{\"s3DataSource\":{\"s3Uri\":\"s3://tl-data/runs/run1/merged/\"}},"
                + "\"status\":\"" + status + "\",\"creationTime\":\"2025-06-01T12:00:00Z\"");
        if (failure != null) {
            json.append(",\"failureMessage\":\"").append(failure).append('"');
        }
        if (modelArn != null) {
            json.append(",\"importedModelArn\":\"").append(modelArn).append('"');
        }
        if (endTime != null) {
            json.append(",\"endTime\":\"").append(endTime).append('"');
        }
        server.stubFor(get(urlEqualTo(ENCODED_JOB_PATH)).willReturn(ok(200, json.append('}').toString())));

        ModelImportStatus parsed = importer.getImport(JOB_ARN);

        assertThat(parsed).isEqualTo(new ModelImportStatus(JOB_ARN, "tl-import-run1", state, failure, modelArn,
                endTime == null ? null : Instant.parse(endTime), null));
        LoggedRequest sent = onlyRequest();
        assertThat(sent.getMethod().getName()).isEqualTo("GET");
        assertThat(sent.getUrl()).isEqualTo(ENCODED_JOB_PATH);
    }

    @Test
    void getImport_guideSpellingComplete_malformedResponse() {
        server.stubFor(get(urlEqualTo(ENCODED_JOB_PATH))
                .willReturn(ok(200, "{\"jobArn\":\"" + JOB_ARN + "\",\"status\":\"Complete\"}")));

        assertThatThrownBy(() -> importer.getImport(JOB_ARN))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE))
                .hasMessageContaining("model import job status 'Complete' is not one of");
    }

    @Test
    void startImport_throttled_throttledKindAfterOneRequest() {
        server.stubFor(post(anyUrl()).willReturn(error(429, "ThrottlingException", "Too many requests")));

        assertThatThrownBy(() -> importer.startImport(request(null, Map.of())))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.statusCode()).isEqualTo(429);
                })
                .hasMessageContaining("Bedrock CreateModelImportJob call for import job 'tl-import-run1' failed:"
                        + " HTTP 429 ThrottlingException, request id req-err-1: Too many requests");
        onlyRequest();
    }

    @Test
    void startImport_validationError_clientErrorWithHint() {
        server.stubFor(post(anyUrl()).willReturn(error(400, "ValidationException",
                "The model architecture is not supported")));

        assertThatThrownBy(() -> importer.startImport(request(null, Map.of())))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageContaining("HTTP 400 ValidationException")
                .hasMessageContaining("The model architecture is not supported")
                .hasMessageContaining("bedrock:CreateModelImportJob");
        onlyRequest();
    }

    @Test
    void getImport_throttled_throttledKindAfterOneRequest() {
        server.stubFor(get(anyUrl()).willReturn(error(429, "ThrottlingException", "Rate exceeded")));

        assertThatThrownBy(() -> importer.getImport(JOB_ARN))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.THROTTLED))
                .hasMessageContaining("GetModelImportJob call for import job " + JOB_ARN);
        onlyRequest();
    }

    @ParameterizedTest
    @CsvSource({"404, ResourceNotFoundException, CLIENT_ERROR", "403, AccessDeniedException, CLIENT_ERROR",
            "500, InternalServerException, SERVER_ERROR", "503, ServiceUnavailableException, SERVER_ERROR"})
    void getImport_serviceError_mappedByStatus(int status, String type, Kind kind) {
        server.stubFor(get(anyUrl()).willReturn(error(status, type, "failed")));

        assertThatThrownBy(() -> importer.getImport(JOB_ARN))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.statusCode()).isEqualTo(status);
                })
                .hasMessageContaining(type);
        onlyRequest();
    }

    @Test
    void getImport_jobName_rejectedLocally() {
        assertThatThrownBy(() -> importer.getImport("tl-import-run1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a model import job ARN");
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }
}
