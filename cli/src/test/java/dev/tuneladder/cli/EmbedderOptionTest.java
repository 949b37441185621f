package dev.tuneladder.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --embedder} option: Titan Text Embeddings V2 through a loopback Bedrock Runtime stub, index and
 * embedder mismatches, and malformed values.
 */
class EmbedderOptionTest {

    private static final String TITAN = "amazon.titan-embed-text-v2:0";
    private static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    private static final String ACCESS_KEY_ID = "AKIDCLIEMBEDSTUB0";
    private static final int DIMENSIONS = 256;

    /** One keyword per label of {@link ModelStub#writeDataset}, each embedded as its own axis. */
    private static final String[] KEYWORDS = {"arriv", "exchange", "lost|stolen", "top"};

    @RegisterExtension
    final WireMockExtension server = ModelStub.server();

    @TempDir
    Path work;

    private Path dataset;
    private String previousKey;
    private String previousSecret;

    @BeforeEach
    void setUp() throws IOException {
        dataset = ModelStub.writeDataset(work.resolve("data"));
        previousKey = System.getProperty("aws.accessKeyId");
        previousSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", "dummy-secret-key");
    }

    @AfterEach
    void restoreCredentials() {
        restore("aws.accessKeyId", previousKey);
        restore("aws.secretAccessKey", previousSecret);
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }

    /** Stubs Titan so that texts with the same keyword get the same unit vector; other texts get a shared one. */
    private void stubTitanByKeyword() {
        for (int i = 0; i < KEYWORDS.length; i++) {
            server.stubFor(post(urlEqualTo(TITAN_PATH)).atPriority(i + 2)
                    .withRequestBody(matchingJsonPath("$.inputText", matching("(?is).*(" + KEYWORDS[i] + ").*")))
                    .willReturn(titanResponse(i)));
        }
        server.stubFor(post(urlEqualTo(TITAN_PATH)).atPriority(10).willReturn(titanResponse(KEYWORDS.length)));
    }

    private static ResponseDefinitionBuilder titanResponse(int axis) {
        StringBuilder json = new StringBuilder("{\"embedding\": [");
        for (int i = 0; i < DIMENSIONS; i++) {
            json.append(i == 0 ? "" : ", ").append(i == axis ? "1.0" : "0.0");
        }
        json.append("], \"inputTextTokenCount\": 6}");
        return ModelStub.ok(json.toString()).withHeader("x-amzn-RequestId", "req-embed-1");
    }

    private String titanSpec(int dimensions) {
        return "bedrock:" + TITAN + "#" + dimensions;
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private CliRun indexWithTitan(Path index, String... extra) {
        List<String> args = new ArrayList<>(List.of("index", "--dataset",
                dataset.resolve("train.jsonl").toString(), "--index", index.toString(), "--embedder",
                titanSpec(DIMENSIONS), "--region", "us-east-1", "--endpoint-url", endpoint(), "--out",
                work.resolve("index-run").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static Map<String, JsonNode> predictionsById(Path file) throws IOException {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode prediction = Json.mapper().readTree(line);
            byId.put(prediction.get("id").asText(), prediction);
        }
        return byId;
    }

    @Test
    void titanEmbedder_indexesAndRoutesThroughStub() throws IOException {
        stubTitanByKeyword();
        Path index = work.resolve("index");

        CliRun indexed = indexWithTitan(index, "--threads", "3");
        assertThat(indexed.exitCode()).as(indexed.err()).isZero();
        assertThat(indexed.out()).contains("the index at " + index + " holds 28");

        Path out = work.resolve("route");
        CliRun routed = CliRun.of("route", "--index", index.toString(), "--dataset",
                dataset.resolve("test.jsonl").toString(), "-k", "3", "--embedder", titanSpec(DIMENSIONS),
                "--region", "us-east-1", "--endpoint-url", endpoint(), "--out", out.toString());

        assertThat(routed.exitCode()).as(routed.err()).isZero();
        Map<String, JsonNode> predictions = predictionsById(out.resolve(RouteCommand.OUTPUT_FILE));
        assertThat(predictions).hasSize(12);
        assertThat(predictions.get("test-1").get("label").asText()).isEqualTo("card_arrival");
        assertThat(predictions.get("test-6").get("label").asText()).isEqualTo("exchange_rate");
        assertThat(predictions.get("test-8").get("label").asText()).isEqualTo("lost_card");
        assertThat(predictions.get("test-12").get("label").asText()).isEqualTo("top_up");
        assertThat(predictions.get("test-1").get("modelId").asText()).contains(TITAN);

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH)));
        assertThat(requests).as("one call per train row and per test row").hasSize(28 + 12);
        LoggedRequest request = requests.get(0);
        assertThat(request.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/")
                .contains("/us-east-1/bedrock/aws4_request");
        JsonNode body = Json.mapper().readTree(request.getBodyAsString());
        assertThat(body.get("dimensions").intValue()).isEqualTo(DIMENSIONS);

        JsonNode config = Json.mapper().readTree(work.resolve("index-run/config.json").toFile());
        assertThat(config.toString()).contains("\"embedder\":\"" + titanSpec(DIMENSIONS) + "\"")
                .contains("\"region\":\"us-east-1\"");
    }

    @Test
    void titanIndex_localEmbedderRejected() {
        stubTitanByKeyword();
        Path index = work.resolve("index");
        CliRun indexed = indexWithTitan(index);
        assertThat(indexed.exitCode()).as(indexed.err()).isZero();

        CliRun routed = CliRun.of("route", "--index", index.toString(), "--dataset",
                dataset.resolve("test.jsonl").toString(), "--out", work.resolve("route").toString());

        assertThat(routed.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(routed.err()).contains("was built with embedding model " + TITAN + " (256 dimensions)");
        assertThat(routed.err()).contains("all-MiniLM-L6-v2-q (384 dimensions)");
        assertThat(routed.err()).contains("give --embedder " + titanSpec(DIMENSIONS));
        assertThat(routed.err()).as("an input problem prints no stack trace").doesNotContain("\tat ");
    }

    @Test
    void titanIndex_otherDimensionsRejected() {
        stubTitanByKeyword();
        Path index = work.resolve("index");
        CliRun indexed = indexWithTitan(index);
        assertThat(indexed.exitCode()).as(indexed.err()).isZero();
        int callsAfterIndexing = server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH))).size();

        CliRun reindexed = CliRun.of("index", "--dataset", dataset.resolve("train.jsonl").toString(), "--index",
                index.toString(), "--embedder", titanSpec(512), "--region", "us-east-1", "--endpoint-url", endpoint(),
                "--out", work.resolve("reindex-run").toString());

        assertThat(reindexed.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(reindexed.err()).contains("give --embedder " + titanSpec(DIMENSIONS));
        assertThat(server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH))))
                .as("the mismatch is found before any text is embedded").hasSize(callsAfterIndexing);
    }

    @Test
    void throttledTitanCall_retriedThenIndexed() {
        stubTitanByKeyword();
        server.stubFor(post(urlEqualTo(TITAN_PATH)).atPriority(1)
                .inScenario("throttle once").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-ErrorType",
                                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                        .withBody("{\"message\":\"Too many requests, please wait before trying again.\"}"))
                .willSetStateTo("throttled"));

        CliRun indexed = indexWithTitan(work.resolve("index"));

        assertThat(indexed.exitCode()).as(indexed.err()).isZero();
        assertThat(indexed.out()).contains("holds 28");
        assertThat(server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH)))).as("28 texts plus one retried call")
                .hasSize(29);
    }

    @Test
    void malformedEmbedder_rejectedNamingForms() {
        List<String> values = List.of("bedrock", "bedrock:", "bedrock:" + TITAN + "#384", "bedrock:" + TITAN + "#big",
                "openai:http://127.0.0.1:1/v1#model", "minilm");
        for (String value : values) {
            CliRun run = CliRun.of("index", "--dataset", dataset.resolve("train.jsonl").toString(), "--embedder",
                    value, "--out", work.resolve("bad").toString());

            assertThat(run.exitCode()).as(value).isEqualTo(TuneladderCommand.EXIT_FAILED);
            assertThat(run.err()).as(value).contains("--embedder " + value);
            assertThat(run.err()).as(value).contains("use local, or bedrock:MODEL_ID[#DIMENSIONS]");
        }
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void endpointUrlWithLocalEmbedder_rejected() {
        CliRun run = CliRun.of("index", "--dataset", dataset.resolve("train.jsonl").toString(), "--endpoint-url",
                endpoint(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("--endpoint-url applies to Bedrock");
    }

    @Test
    void titanWithoutRegion_rejected() {
        Assumptions.assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
                "a Region variable is set in this environment");

        CliRun run = CliRun.of("split", "--dataset", dataset.resolve("train.jsonl").toString(), "--embedder",
                titanSpec(DIMENSIONS), "--endpoint-url", endpoint(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("no AWS Region for the Bedrock calls of --embedder");
        assertThat(server.getAllServeEvents()).isEmpty();
    }
}
