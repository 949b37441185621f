package dev.tuneladder.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.planner.PromptTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The route command with a model: the LLM planner against loopback OpenAI-compatible and Bedrock stubs. */
class RouteModelTest {

    @RegisterExtension
    static WireMockExtension server = ModelStub.server();

    @TempDir
    Path work;

    private Path dataset;
    private Path test;
    private Path labels;

    @BeforeEach
    void writeData() throws IOException {
        dataset = ModelStub.writeDataset(work.resolve("data"));
        test = dataset.resolve("test.jsonl");
        labels = ModelStub.writeLabels(work.resolve("labels.json"));
    }

    private static Map<String, JsonNode> predictionsById(Path file) throws IOException {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode prediction = Json.mapper().readTree(line);
            byId.put(prediction.get("id").asText(), prediction);
        }
        return byId;
    }

    private static JsonNode body(LoggedRequest request) throws IOException {
        return Json.mapper().readTree(request.getBodyAsString());
    }

    @Test
    void route_fewShotFromIndexWritesEveryRow() throws IOException {
        ModelStub.stubRouting(server);
        Path index = work.resolve("index");
        CliRun indexed = CliRun.of("index", "--dataset", dataset.resolve("train.jsonl").toString(), "--index",
                index.toString(), "--out", work.resolve("index-run").toString());
        assertThat(indexed.exitCode()).as(indexed.err()).isZero();
        Path out = work.resolve("out");

        CliRun run = CliRun.of("route", "--model", ModelStub.openAiModel(server), "--index", index.toString(),
                "--dataset", test.toString(), "-k", "2", "--concurrency", "3", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("route: 12 rows, error rows: 1 ").contains("1 x malformed model output");
        Map<String, JsonNode> predictions = predictionsById(out.resolve(RouteCommand.OUTPUT_FILE));
        assertThat(predictions).hasSize(12);
        assertThat(predictions.get("test-1").get("label").asText()).isEqualTo("card_arrival");
        assertThat(predictions.get("test-8").get("label").asText()).as("the stub's wrong answer")
                .isEqualTo("exchange_rate");
        JsonNode malformed = predictions.get("test-11");
        assertThat(malformed.has("label")).isFalse();
        assertThat(malformed.get("error").asText()).startsWith("malformed model output")
                .contains("refund_request");
        assertThat(malformed.get("answer").asText()).as("raw output kept").contains("refund_request");
        for (JsonNode prediction : predictions.values()) {
            assertThat(prediction.get("modelId").asText()).isEqualTo("test-model");
            assertThat(prediction.get("promptVersion").asText()).isEqualTo(ModelRouting.BUILT_IN_PROMPT.version());
            assertThat(prediction.get("usage").get("inputTokens").asLong()).isEqualTo(120);
            assertThat(prediction.get("usage").get("outputTokens").asLong()).isEqualTo(9);
            assertThat(prediction.has("latencyMillis")).isTrue();
        }

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlPathEqualTo(ModelStub.CHAT_PATH)));
        assertThat(requests).hasSize(12);
        JsonNode first = body(requests.get(0));
        assertThat(first.get("model").asText()).isEqualTo("test-model");
        String system = first.get("messages").get(0).get("content").asText();
        assertThat(system).contains("Request: ").contains("Call: route(");
        assertThat(system.split("Request: ", -1)).hasSize(3);
        List<String> offered = new ArrayList<>();
        first.get("tools").get(0).get("function").get("parameters").get("properties").get("intent").get("enum")
                .forEach(label -> offered.add(label.asText()));
        assertThat(offered).as("labels read from the index").isEqualTo(ModelStub.LABELS);
        JsonNode config = Json.mapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.get("options").get("model").asText()).isEqualTo(ModelStub.openAiModel(server));
        assertThat(config.get("options").get("promptVersion").asText())
                .isEqualTo(ModelRouting.BUILT_IN_PROMPT.version());
    }

    @Test
    void route_promptFileWithoutIndex() throws IOException {
        ModelStub.stubRouting(server);
        Path prompt = work.resolve("prompt.txt");
        String text = "Route the message with the route tool.\n{{examples}}";
        Files.writeString(prompt, text, StandardCharsets.UTF_8);
        Path out = work.resolve("out");

        CliRun run = CliRun.of("route", "--model", ModelStub.openAiModel(server), "--labels", labels.toString(),
                "-k", "0", "--prompt", prompt.toString(), "--dataset", test.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String version = new PromptTemplate("prompt.txt", text).version();
        assertThat(predictionsById(out.resolve(RouteCommand.OUTPUT_FILE)).values())
                .allSatisfy(prediction -> assertThat(prediction.get("promptVersion").asText()).isEqualTo(version));
        LoggedRequest request = server.findAll(postRequestedFor(urlPathEqualTo(ModelStub.CHAT_PATH))).get(0);
        assertThat(body(request).get("messages").get(0).get("content").asText())
                .isEqualTo("Route the message with the route tool.\n");
    }

    @Test
    void route_throttledCallIsRetried() throws IOException {
        ModelStub.stubRouting(server);
        server.stubFor(post(urlPathEqualTo(ModelStub.CHAT_PATH)).atPriority(0)
                .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
                        .withBody("{\"error\":{\"message\":\"rate limited\"}}"))
                .willSetStateTo("served"));
        Path out = work.resolve("out");

        // One worker: WireMock's scenario state is not switched atomically, so two concurrent first requests
        // could both receive the 429 and make the request count vary.
        CliRun run = CliRun.of("route", "--model", ModelStub.openAiModel(server), "--labels", labels.toString(),
                "-k", "0", "--dataset", test.toString(), "--concurrency", "1", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.findAll(postRequestedFor(urlPathEqualTo(ModelStub.CHAT_PATH)))).hasSize(13);
        Map<String, JsonNode> predictions = predictionsById(out.resolve(RouteCommand.OUTPUT_FILE));
        long errors = predictions.values().stream().filter(prediction -> prediction.has("error")).count();
        assertThat(errors).as("only the stub's malformed answer fails").isEqualTo(1);
        assertThat(predictions.get("test-11").get("error").asText()).startsWith("malformed model output");
    }

    @Test
    void route_failedCallsBecomeErrorRows() throws IOException {
        server.stubFor(post(urlPathEqualTo(ModelStub.CHAT_PATH))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":{\"message\":\"bad request\"}}")));
        Path out = work.resolve("out");

        CliRun run = CliRun.of("route", "--model", ModelStub.openAiModel(server), "--labels", labels.toString(),
                "-k", "0", "--dataset", test.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("error rows: 12 ").contains("12 x model call failed (CLIENT_ERROR, HTTP 400)");
        Map<String, JsonNode> predictions = predictionsById(out.resolve(RouteCommand.OUTPUT_FILE));
        assertThat(predictions).hasSize(12);
        assertThat(predictions.values()).allSatisfy(prediction ->
                assertThat(prediction.get("error").asText()).contains("HTTP 400"));
    }

    @Test
    void route_malformedModelNamesBothForms() {
        CliRun run = CliRun.of("route", "--model", "gpt-4o", "--labels", labels.toString(), "-k", "0",
                "--dataset", test.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("--model gpt-4o names no known provider")
                .contains("bedrock:MODEL_ID").contains("openai:BASE_URL#MODEL");
    }

    @Test
    void route_openAiWithoutModelNameIsRejected() {
        CliRun run = CliRun.of("route", "--model", "openai:http://127.0.0.1:1/v1", "--labels", labels.toString(),
                "-k", "0", "--dataset", test.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("needs both a base URL and a model name");
    }

    @Test
    void route_bedrockConverseThroughEndpointOverride() throws IOException {
        server.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(ModelStub.ok("""
                {"output": {"message": {"role": "assistant", "content": [
                   {"toolUse": {"toolUseId": "tooluse_1", "name": "route", "input": {"intent": "card_arrival"}}}]}},
                 "stopReason": "tool_use",
                 "usage": {"inputTokens": 310, "outputTokens": 12, "totalTokens": 322,
                           "cacheReadInputTokens": 256, "cacheWriteInputTokens": 0},
                 "metrics": {"latencyMs": 35}}""")));
        Path out = work.resolve("out");
        String previousKey = System.getProperty("aws.accessKeyId");
        String previousSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "AKIDCLITESTSTUB0");
        System.setProperty("aws.secretAccessKey", "dummy-secret-key");
        CliRun run;
        try {
            run = CliRun.of("route", "--model", "bedrock:amazon.nova-micro-v1:0", "--region", "us-east-1",
                    "--endpoint-url", "http://127.0.0.1:" + server.getPort(), "--labels", labels.toString(),
                    "-k", "0", "--dataset", test.toString(), "--out", out.toString());
        } finally {
            restore("aws.accessKeyId", previousKey);
            restore("aws.secretAccessKey", previousSecret);
        }

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("12 rows, error rows: 0 ").contains("3,072 cache read");
        Map<String, JsonNode> predictions = predictionsById(out.resolve(RouteCommand.OUTPUT_FILE));
        assertThat(predictions.get("test-1").get("label").asText()).isEqualTo("card_arrival");
        assertThat(predictions.get("test-1").get("usage").get("cacheReadTokens").asLong()).isEqualTo(256);
        assertThat(predictions.get("test-1").get("modelId").asText()).isEqualTo("amazon.nova-micro-v1:0");
        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlPathMatching("/model/.*/converse")));
        assertThat(requests).hasSize(12);
        LoggedRequest request = requests.get(0);
        assertThat(request.getUrl()).isEqualTo("/model/amazon.nova-micro-v1%3A0/converse");
        assertThat(request.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDCLITESTSTUB0/")
                .contains("/us-east-1/bedrock/aws4_request");
        JsonNode body = body(request);
        assertThat(body.get("toolConfig").get("tools").get(0).get("toolSpec").get("name").asText()).isEqualTo("route");
        assertThat(body.get("system").toString()).as("zero-shot requests mark the static prefix for caching")
                .contains("cachePoint");
        List<String> userTexts = new ArrayList<>();
        for (LoggedRequest each : requests) {
            userTexts.add(body(each).get("messages").get(0).get("content").get(0).get("text").asText());
        }
        assertThat(userTexts).contains("Has my card arrived at the post office?", "My card was stolen");
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
