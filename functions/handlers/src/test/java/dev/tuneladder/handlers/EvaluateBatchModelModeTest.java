package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.aws.bedrock.BedrockApi;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.importers.BfclCategory;
import dev.tuneladder.core.importers.BfclImporter;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.ToolCallSummary;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.core.model.resilience.Sleeper;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.RoutingPrompts;
import dev.tuneladder.core.planner.ToolSet;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The evaluate-batch task in model mode: S3Proxy on loopback for the run bucket and WireMock on 127.0.0.1 in
 * place of Bedrock Runtime, returning InvokeModel's OpenAI chat completion body and Converse's response.
 */
class EvaluateBatchModelModeTest {

    private static final String IMPORTED = "arn:aws:bedrock:us-east-1:123456789012:imported-model/k2x9qwen3";
    /** The SDK percent-encodes the whole ARN as one path segment. */
    private static final String INVOKE_PATH =
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aimported-model%2Fk2x9qwen3/invoke";
    private static final String FOUNDATION = "amazon.nova-micro-v1:0";
    private static final String CONVERSE_PATH = "/model/amazon.nova-micro-v1%3A0/converse";
    private static final List<String> LABELS = List.of("lost_or_stolen_card", "card_arrival", "top_up_failed");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Path BFCL = Path.of("../../datasets/bfcl/v3_core");

    @RegisterExtension
    final S3ProxyExtension s3 = S3TestStore.extension();

    @RegisterExtension
    final WireMockExtension bedrock = TestSupport.bedrock();

    private S3Client client;
    private S3BlobStore store;
    private BedrockRuntimeClient runtime;

    @BeforeEach
    void setUp() {
        client = S3TestStore.clientWithBucket(s3);
        store = S3TestStore.store(client);
        runtime = TestSupport.factory(bedrock).bedrockRuntime();
    }

    @AfterEach
    void tearDown() {
        runtime.close();
        client.close();
    }

    /** A handler whose retries wait at most 5 ms, with 3 attempts per call. */
    private EvaluateBatchHandler handler(MonotonicClock clock) {
        RetryPolicy fast = new RetryPolicy(TestSupport.FAST_ATTEMPTS, Duration.ofMillis(1), Duration.ofMillis(5),
                Duration.ofSeconds(10));
        return new EvaluateBatchHandler(store,
                new ModelBatchRouter(runtime, CALL_TIMEOUT, fast, clock, Sleeper.SYSTEM, new Random(7)));
    }

    private EvaluateBatchHandler handler() {
        return handler(MonotonicClock.SYSTEM);
    }

    private static ObjectNode item(String id, String text, String intent) {
        ObjectNode item = Json.mapper().createObjectNode();
        ObjectNode interaction = item.putObject("interaction").put("id", id);
        interaction.putArray("turns").addObject().put("role", "user").put("content", text);
        interaction.put("intent", intent);
        return item;
    }

    private static ObjectNode unlabelled(String id, String text) {
        ObjectNode item = item(id, text, "card_arrival");
        ((ObjectNode) item.get("interaction")).remove("intent");
        return item;
    }

    /** Builds a Distributed Map batch of the given items whose evaluation settings name {@code modelId} and the labels. */
    private static ObjectNode batch(String runId, String modelId, ObjectNode... items) {
        ObjectNode input = Json.mapper().createObjectNode();
        ArrayNode array = input.putArray("Items");
        for (ObjectNode item : items) {
            array.add(item);
        }
        ObjectNode evaluation = input.putObject("BatchInput").put("runId", runId).putObject("evaluation");
        evaluation.put("stage", "planner").put("seed", 17).put("replicates", 50).put("modelId", modelId);
        LABELS.forEach(evaluation.putArray("labels")::add);
        return input;
    }

    private static ObjectNode evaluation(ObjectNode batch) {
        return (ObjectNode) batch.get("BatchInput").get("evaluation");
    }

    /** Returns an OpenAI chat completion whose message calls the route tool, with arguments as a JSON string. */
    private static String chatRoute(String intent) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"route\",\"arguments\":\"{\\\"intent\\\": \\\"" + intent + "\\\"}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":9,"
                + "\"total_tokens\":129}}";
    }

    /**
     * An OpenAI chat completion whose message makes one tool call; {@code arguments} is the JSON object text that
     * the body carries as a string, as the OpenAI chat format sends function arguments.
     */
    private static String chatCall(String tool, String arguments) {
        ObjectNode body = Json.mapper().createObjectNode().put("id", "chatcmpl-4").put("object", "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls");
        ObjectNode message = choice.putObject("message").put("role", "assistant").putNull("content");
        message.putArray("tool_calls").addObject().put("id", "call_7").put("type", "function")
                .putObject("function").put("name", tool).put("arguments", arguments);
        body.putObject("usage").put("prompt_tokens", 210).put("completion_tokens", 25).put("total_tokens", 235);
        return body.toString();
    }

    /** The first {@code count} rows of the BFCL v3 simple category, with their possible answers. */
    private static List<Interaction> bfclSimple(int count) {
        String file = BfclCategory.SIMPLE.fileName();
        Path questions = BFCL.resolve(file);
        Path answers = BFCL.resolve("possible_answer").resolve(file);
        try {
            return BfclImporter.read(Files.newBufferedReader(questions, StandardCharsets.UTF_8), questions.toString(),
                    Files.newBufferedReader(answers, StandardCharsets.UTF_8), answers.toString(),
                    BfclCategory.SIMPLE, BadRows.strict()).subList(0, count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode itemOf(Interaction row) {
        ObjectNode item = Json.mapper().createObjectNode();
        item.set("interaction", Json.mapper().valueToTree(row));
        return item;
    }

    /** Returns an OpenAI chat completion whose message is text and calls no tool. */
    private static String chatText(String text) {
        return "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":118,\"completion_tokens\":12,\"total_tokens\":130}}";
    }

    /** Returns a Converse response whose message calls the route tool. */
    private static String converseRoute(String intent) {
        return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":"
                + "\"tooluse_1\",\"name\":\"route\",\"input\":{\"intent\":\"" + intent + "\"}}}]}},"
                + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":200,\"outputTokens\":15,"
                + "\"totalTokens\":215},\"metrics\":{\"latencyMs\":180}}";
    }

    private Map<String, JsonNode> outcomesById(JsonNode output) {
        JsonNode partial = S3TestStore.readJson(store, output.get("partialKey").asText());
        Map<String, JsonNode> outcomes = new HashMap<>();
        partial.get("outcomes").forEach(outcome -> outcomes.put(outcome.get("id").asText(), outcome));
        return outcomes;
    }

    private Map<String, JsonNode> predictionsById(JsonNode output) {
        String text = new String(store.readAllBytes(output.get("predictionsKey").asText()), StandardCharsets.UTF_8);
        Map<String, JsonNode> predictions = new HashMap<>();
        text.lines().map(TestSupport::body).forEach(line -> predictions.put(line.get("id").asText(), line));
        return predictions;
    }

    @Test
    void invokeModel_mixedReplies_scoredPerRow() {
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("my card never came"))
                .willReturn(TestSupport.ok(chatRoute("card_arrival"))));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("top up did not work"))
                .willReturn(TestSupport.ok(chatText("Please try again later"))));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("someone took my card"))
                .inScenario("throttled once").whenScenarioStateIs(STARTED).willSetStateTo("retried")
                .willReturn(TestSupport.throttled()));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("someone took my card"))
                .inScenario("throttled once").whenScenarioStateIs("retried")
                .willReturn(TestSupport.ok(chatRoute("lost_or_stolen_card"))));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("where is the new card"))
                .willReturn(TestSupport.ok("{\"id\":\"chatcmpl-3\",\"object\":\"chat.completion\",\"choices\":[]}")));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("card is on its way?"))
                .willReturn(TestSupport.ok(chatRoute("top_up_failed"))));
        ObjectNode input = batch("cand-1", IMPORTED,
                item("r-1", "my card never came", "card_arrival"),
                item("r-2", "top up did not work", "top_up_failed"),
                item("r-3", "someone took my card", "lost_or_stolen_card"),
                item("r-4", "where is the new card", "card_arrival"),
                item("r-5", "card is on its way?", "card_arrival"),
                unlabelled("r-6", "is my card blocked"));

        JsonNode output = S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-1"));

        assertThat(output.get("rows").asInt()).isEqualTo(5);
        assertThat(output.get("rejected").asInt()).as("r-6 has no intent label").isEqualTo(1);
        assertThat(output.get("modelId").asText()).isEqualTo(IMPORTED);
        assertThat(output.get("modelErrorRows").asInt()).isEqualTo(2);
        assertThat(output.get("promptVersion").asText()).isEqualTo(RoutingPrompts.BUILT_IN.version());
        assertThat(output.get("inputTokens").asLong()).isEqualTo(120 + 118 + 120 + 120);
        assertThat(output.get("predictionsKey").asText()).matches("runs/cand-1/predictions/[0-9a-f]{32}\\.jsonl");
        assertThat(output.get("predictionsKey").asText().replace("/predictions/", "/partials/")
                .replace(".jsonl", ".json")).isEqualTo(output.get("partialKey").asText());

        Map<String, JsonNode> outcomes = outcomesById(output);
        assertThat(outcomes.keySet()).containsExactlyInAnyOrder("r-1", "r-2", "r-3", "r-4", "r-5");
        assertThat(outcomes.get("r-1").get("correct").asBoolean()).isTrue();
        assertThat(outcomes.get("r-1").get("modelId").asText()).isEqualTo(IMPORTED);
        assertThat(outcomes.get("r-1").get("usage").get("inputTokens").asLong()).isEqualTo(120);
        assertThat(outcomes.get("r-1").has("latencyMillis")).isTrue();
        assertThat(outcomes.get("r-2").get("correct").asBoolean()).as("text answer, no tool call").isFalse();
        assertThat(outcomes.get("r-2").get("usage").get("outputTokens").asLong()).isEqualTo(12);
        assertThat(outcomes.get("r-3").get("correct").asBoolean()).as("ok after one throttled attempt").isTrue();
        assertThat(outcomes.get("r-4").get("correct").asBoolean()).as("response without choices").isFalse();
        assertThat(outcomes.get("r-5").get("predicted").asText()).isEqualTo("top_up_failed");
        assertThat(outcomes.get("r-5").get("correct").asBoolean()).isFalse();

        Map<String, JsonNode> predictions = predictionsById(output);
        assertThat(predictions.keySet()).containsExactlyInAnyOrder("r-1", "r-2", "r-3", "r-4", "r-5");
        assertThat(predictions.get("r-1").get("label").asText()).isEqualTo("card_arrival");
        assertThat(predictions.get("r-2").get("error").asText()).startsWith("malformed model output")
                .contains("no tool call");
        assertThat(predictions.get("r-2").get("answer").asText()).contains("Please try again later");
        assertThat(predictions.get("r-4").get("error").asText()).contains("MALFORMED_RESPONSE")
                .contains("returned no choices");

        assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH))
                .withRequestBody(containing("someone took my card")))).hasSize(2);
        assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH)))).hasSize(6);
        JsonNode body = TestSupport.body(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH))
                .withRequestBody(containing("my card never came"))).get(0).getBodyAsString());
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(body.at("/messages/0/content").asText()).isEqualTo(RoutingPrompts.BUILT_IN.render(""));
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("route");
        List<String> offered = Json.mapper().convertValue(body.at("/tools/0/function/parameters/properties/intent/enum"),
                Json.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(offered).as("the labels in the order given, not sorted").containsExactlyElementsOf(LABELS);
    }

    @Test
    void converse_manifestLabels_usesManifestPrompt() {
        PromptTemplate prompt = new PromptTemplate("custom", "Route the banking question with the route tool.");
        ObjectNode manifest = Json.mapper().createObjectNode().put("format", "chat-tool-calls")
                .put("promptVersion", prompt.version()).put("prompt", prompt.text());
        LABELS.forEach(manifest.putArray("labelList")::add);
        String manifestKey = "runs/ft-1/training-data/manifest.json";
        store.write(manifestKey, manifest.toString().getBytes(StandardCharsets.UTF_8));
        bedrock.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(TestSupport.ok(converseRoute("card_arrival"))));
        ObjectNode input = batch("cand-2", FOUNDATION, item("r-1", "my card never came", "card_arrival"),
                item("r-2", "someone took my card", "lost_or_stolen_card"));
        evaluation(input).remove("labels");
        evaluation(input).put("trainingManifestKey", manifestKey);

        JsonNode output = S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-2"));

        assertThat(output.get("promptVersion").asText()).isEqualTo(prompt.version());
        assertThat(output.get("modelErrorRows").asInt()).isZero();
        Map<String, JsonNode> outcomes = outcomesById(output);
        assertThat(outcomes.get("r-1").get("correct").asBoolean()).isTrue();
        assertThat(outcomes.get("r-2").get("correct").asBoolean()).isFalse();
        assertThat(outcomes.get("r-2").get("usage").get("inputTokens").asLong()).isEqualTo(200);
        JsonNode partial = S3TestStore.readJson(store, output.get("partialKey").asText());
        assertThat(partial.get("labelsSource").asText()).endsWith(manifestKey);
        List<LoggedRequest> requests = bedrock.findAll(postRequestedFor(urlEqualTo(CONVERSE_PATH)));
        assertThat(requests).hasSize(2);
        JsonNode body = TestSupport.body(requests.get(0).getBodyAsString());
        assertThat(body.at("/system/0/text").asText()).isEqualTo(prompt.text());
        assertThat(body.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("route");
    }

    @Test
    void throttlingBeyondRetries_failsBatchWithoutPartial() {
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(TestSupport.throttled()));
        ObjectNode input = batch("cand-3", IMPORTED, item("r-1", "my card never came", "card_arrival"),
                item("r-2", "someone took my card", "lost_or_stolen_card"));

        assertThatThrownBy(() -> S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-3")))
                .isInstanceOf(ModelBatchIncomplete.class)
                .hasMessageContaining("stayed throttled")
                .hasMessageContaining(IMPORTED)
                .hasMessageNotContaining("my card never came");
        try (var keys = store.list("runs/cand-3/")) {
            assertThat(keys).isEmpty();
        }
    }

    @Test
    void accessDenied_failsBatch() {
        bedrock.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(com.github.tomakehurst.wiremock.client.WireMock
                .aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/")
                .withBody("{\"message\":\"You don't have access to the model with the specified model ID.\"}")));
        ObjectNode input = batch("cand-4", FOUNDATION, item("r-1", "my card never came", "card_arrival"));

        assertThatThrownBy(() -> S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-4")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("bedrock:InvokeModel");
    }

    @Test
    void spentTimeBudget_failsWithoutCalls() {
        // The first reading sets the deadline; every later one is an hour on, past it.
        AtomicInteger readings = new AtomicInteger();
        MonotonicClock clock = () -> readings.getAndIncrement() == 0 ? 0L : Duration.ofHours(1).toNanos();
        ObjectNode input = batch("cand-5", IMPORTED, item("r-1", "my card never came", "card_arrival"));

        assertThatThrownBy(() -> S3TestStore.invoke(handler(clock), input, TestSupport.context("req-mm-5")))
                .isInstanceOf(ModelBatchIncomplete.class)
                .hasMessageContaining("time budget")
                .hasMessageContaining("batch size");
        assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH)))).isEmpty();
    }

    @Test
    void itemWithPrediction_isRejected() {
        ObjectNode withPrediction = item("r-2", "someone took my card", "lost_or_stolen_card");
        withPrediction.putObject("prediction").put("id", "r-2").put("label", "lost_or_stolen_card");
        ObjectNode input = batch("cand-6", IMPORTED, item("r-1", "my card never came", "card_arrival"),
                withPrediction);

        assertThatThrownBy(() -> S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-6")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("Items[1]")
                .hasMessageContaining("modelId");
        assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH)))).isEmpty();
    }

    @Test
    void labelsMissingOrDoubled_isInvalidTaskInput() {
        ObjectNode missing = batch("cand-7", IMPORTED, item("r-1", "my card never came", "card_arrival"));
        evaluation(missing).remove("labels");
        ObjectNode both = batch("cand-7", IMPORTED, item("r-1", "my card never came", "card_arrival"));
        evaluation(both).put("trainingManifestKey", "runs/ft-1/training-data/manifest.json");

        assertThatThrownBy(() -> S3TestStore.invoke(handler(), missing, TestSupport.context("req-mm-7")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("BatchInput.evaluation.labels")
                .hasMessageContaining("both missing");
        assertThatThrownBy(() -> S3TestStore.invoke(handler(), both, TestSupport.context("req-mm-8")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("both given");
    }

    @Test
    void manifestMissing_isInvalidTaskInput() {
        ObjectNode input = batch("cand-8", IMPORTED, item("r-1", "my card never came", "card_arrival"));
        evaluation(input).remove("labels");
        evaluation(input).put("trainingManifestKey", "runs/ft-9/training-data/manifest.json");

        assertThatThrownBy(() -> S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-9")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void shortRemainingTime_failsBeforeAnyCall() {
        ObjectNode input = batch("cand-9", IMPORTED, item("r-1", "my card never came", "card_arrival"));
        Context context = TestSupport.context("req-mm-10", 20_000);

        assertThatThrownBy(() -> S3TestStore.invoke(handler(), input, context))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("raise the function's timeout");
        assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH)))).isEmpty();
    }

    @Test
    void apiFor_modelId_picksApi() {
        assertThat(ModelBatchRouter.apiFor(IMPORTED)).isEqualTo(BedrockApi.INVOKE_OPENAI_CHAT);
        assertThat(ModelBatchRouter.apiFor(FOUNDATION)).isEqualTo(BedrockApi.CONVERSE);
        assertThat(ModelBatchRouter.apiFor("us.anthropic.claude-3-5-haiku-20241022-v1:0"))
                .isEqualTo(BedrockApi.CONVERSE);
        assertThat(ModelBatchRouter.apiFor("arn:aws:bedrock:us-east-1:123456789012:inference-profile/ip-1"))
                .isEqualTo(BedrockApi.CONVERSE);
    }

    @Test
    void sampleEvent_modelMode_routesWithManifestLabels() {
        ObjectNode manifest = Json.mapper().createObjectNode().put("prompt", RoutingPrompts.BUILT_IN.text());
        manifest.putArray("labelList").add("card_arrival").add("lost_or_stolen_card").add("top_up_by_cash_or_cheque");
        store.write("runs/ft-2026-01-15-planner-lora/training-data/manifest.json",
                manifest.toString().getBytes(StandardCharsets.UTF_8));
        String path = "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aimported-model%2Fy6xa1u2nc0px/invoke";
        bedrock.stubFor(post(urlEqualTo(path)).willReturn(TestSupport.ok(chatRoute("card_arrival"))));

        JsonNode output = S3TestStore.invoke(handler(), TestSupport.jsonEvent("evaluate-batch-model.json"),
                TestSupport.context("req-mm-11"));

        assertThat(output.get("rows").asInt()).isEqualTo(3);
        assertThat(output.get("modelErrorRows").asInt()).isZero();
        assertThat(outcomesById(output).values()).filteredOn(outcome -> outcome.get("correct").asBoolean())
                .hasSize(1);
        assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(3);
    }

    @Test
    void toolCallsMetric_bfclRows_plannedByFunctionCallingAndScored() {
        List<Interaction> bfcl = bfclSimple(3);
        // simple_0: the expected plan; simple_1: factorial of 6 where 5 is expected; simple_2: a text answer.
        bfcl.forEach(row -> assertThat(row.intent()).isNull());
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("area of a triangle"))
                .willReturn(TestSupport.ok(chatCall("calculate_triangle_area", "{\"base\": 10, \"height\": 5}"))));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("factorial of 5"))
                .willReturn(TestSupport.ok(chatCall(ToolSet.providerName("math.factorial"), "{\"number\": 6}"))));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("hypotenuse"))
                .willReturn(TestSupport.ok(chatText("The hypotenuse is about 6.4"))));
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing("my card never came"))
                .willReturn(TestSupport.ok(chatRoute("card_arrival"))));
        ObjectNode input = batch("cand-tc", IMPORTED, itemOf(bfcl.get(0)), itemOf(bfcl.get(1)), itemOf(bfcl.get(2)),
                item("r-1", "my card never came", "card_arrival"));
        evaluation(input).putArray("metrics").add("routing").add("toolCalls");

        JsonNode output = S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-tc-1"));

        assertThat(output.get("rows").asInt()).as("the routing row").isEqualTo(1);
        assertThat(output.get("toolCallRows").asInt()).isEqualTo(3);
        assertThat(output.get("functionCallingRows").asInt()).isEqualTo(3);
        assertThat(output.get("modelErrorRows").asInt()).as("the text answer").isEqualTo(1);
        assertThat(output.get("rejected").asInt()).isZero();
        assertThat(output.get("inputTokens").asLong()).isEqualTo(210 + 210 + 118 + 120);

        Map<String, JsonNode> predictions = predictionsById(output);
        assertThat(predictions.keySet()).containsExactlyInAnyOrder("simple_0", "simple_1", "simple_2", "r-1");
        assertThat(predictions.get("simple_0").at("/toolCalls/0/name").asText()).isEqualTo("calculate_triangle_area");
        assertThat(predictions.get("simple_0").at("/toolCalls/0/arguments/base").asInt()).isEqualTo(10);
        assertThat(predictions.get("simple_0").has("label")).isFalse();
        assertThat(predictions.get("simple_1").at("/toolCalls/0/name").asText())
                .as("the function document's name, not the provider-safe one").isEqualTo("math.factorial");
        assertThat(predictions.get("simple_2").get("error").asText()).startsWith("malformed model output")
                .contains("no tool call");
        assertThat(predictions.get("r-1").get("label").asText()).isEqualTo("card_arrival");

        JsonNode factorialRequest = TestSupport.body(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH))
                .withRequestBody(containing("factorial of 5"))).get(0).getBodyAsString());
        assertThat(factorialRequest.get("tools")).hasSize(1);
        assertThat(factorialRequest.at("/tools/0/function/name").asText())
                .isEqualTo(ToolSet.providerName("math.factorial"));
        assertThat(factorialRequest.at("/tools/0/function/parameters/properties/number/type").asText())
                .isEqualTo("integer");
        assertThat(factorialRequest.at("/messages/0/content").asText()).isEqualTo(RoutingPrompts.BUILT_IN.render(""));

        ObjectNode aggregateInput = Json.mapper().createObjectNode().put("runId", "cand-tc").put("name", "candidate");
        aggregateInput.putArray("partialKeys").add(output);
        JsonNode aggregate = S3TestStore.invoke(new AggregateHandler(store), aggregateInput,
                TestSupport.context("req-mm-tc-2"));

        assertThat(aggregate.get("toolCallRows").asLong()).isEqualTo(3);
        String metricsKey = aggregate.get("metricsKey").asText();
        MetricsDocument.Run run = MetricsDocument.read(new StringReader(
                new String(store.readAllBytes(metricsKey), StandardCharsets.UTF_8)), metricsKey).run("candidate");
        ToolCallSummary toolCalls = run.toolCalls();
        assertThat(toolCalls.rows()).isEqualTo(3);
        assertThat(toolCalls.exactMatches()).isEqualTo(1);
        assertThat(toolCalls.failureReasons()).containsEntry("VALUE_NOT_ACCEPTED", 1L);
        assertThat(toolCalls.failureReasons()).as("the text answer plans no call").containsEntry("CALL_COUNT", 1L);
        assertThat(toolCalls.failureReasons().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        assertThat(run.extra()).containsEntry("toolCallFailedPredictions", 1);
        assertThat(run.extra()).containsEntry("toolCallMissingPredictions", 0);
        assertThat(run.routing().rows()).isEqualTo(1);
    }

    @Test
    void toolCallsAndRouting_labelledRowWithCalls_routedAndRejectedForToolCalls() {
        Interaction simple = bfclSimple(1).get(0);
        ObjectNode labelled = itemOf(simple);
        ((ObjectNode) labelled.get("interaction")).put("intent", "card_arrival");
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(TestSupport.ok(chatRoute("card_arrival"))));
        ObjectNode input = batch("cand-tc2", IMPORTED, labelled);
        evaluation(input).putArray("metrics").add("routing").add("toolCalls");

        JsonNode output = S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-tc-3"));

        assertThat(output.get("rows").asInt()).isEqualTo(1);
        assertThat(output.get("toolCallRows").asInt()).isZero();
        assertThat(output.get("functionCallingRows").asInt()).isZero();
        assertThat(output.get("rejected").asInt()).isEqualTo(1);
        String rejects = new String(store.readAllBytes(output.get("rejectsKey").asText()), StandardCharsets.UTF_8);
        assertThat(rejects).contains("tool calls are not scored");
        assertThat(outcomesById(output).get("simple_0").get("correct").asBoolean()).isTrue();
        JsonNode body = TestSupport.body(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH))).get(0)
                .getBodyAsString());
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("route");
    }

    @Test
    void toolCallsOnly_labelledRowWithCalls_plannedByFunctionCalling() {
        Interaction simple = bfclSimple(1).get(0);
        ObjectNode labelled = itemOf(simple);
        ((ObjectNode) labelled.get("interaction")).put("intent", "card_arrival");
        bedrock.stubFor(post(urlEqualTo(INVOKE_PATH))
                .willReturn(TestSupport.ok(chatCall("calculate_triangle_area", "{\"base\": 10, \"height\": 5}"))));
        ObjectNode input = batch("cand-tc3", IMPORTED, labelled);
        evaluation(input).putArray("metrics").add("toolCalls");

        JsonNode output = S3TestStore.invoke(handler(), input, TestSupport.context("req-mm-tc-4"));

        assertThat(output.get("rows").asInt()).isZero();
        assertThat(output.get("toolCallRows").asInt()).isEqualTo(1);
        assertThat(output.get("functionCallingRows").asInt()).isEqualTo(1);
        assertThat(output.get("modelErrorRows").asInt()).isZero();
        assertThat(output.get("rejected").asInt()).isZero();
        JsonNode partial = S3TestStore.readJson(store, output.get("partialKey").asText());
        assertThat(partial.get(ToolCallBatch.FAILURES_FIELD)).as("the exact plan fails no check").isEmpty();
    }
}
