package dev.tuneladder.local.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.InferenceSettings;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.ToolSpec;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.ResilientModelClient;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OpenAiCompatibleModelClientTest {

    private static final String PATH = "/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ChatRequest HELLO =
            new ChatRequest("qwen2.5-7b", "", List.of(ChatMessage.user("hello")), null, null, false);
    private static final String TEXT_REPLY = """
            {"id":"chatcmpl-1","object":"chat.completion","model":"qwen2.5-7b-instruct",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there."},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""";

    private static WireMockServer server;

    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 16, 8, 0.5);

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void resetServer() {
        server.resetAll();
    }

    @Test
    void chat_sendsDocumentedRequest() throws IOException {
        server.stubFor(post(PATH).willReturn(json(200, TEXT_REPLY)));
        ObjectNode schema = (ObjectNode) JSON.readTree("""
                {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        ToolSpec weather = new ToolSpec("get_weather", "Current weather of a city", schema);
        ObjectNode arguments = JSON.createObjectNode().put("city", "Paris");
        ChatRequest request = new ChatRequest("qwen2.5-7b", "You route requests.",
                List.of(ChatMessage.user("Weather in Paris?"),
                        new ChatMessage("assistant", "", List.of(new ToolCall("get_weather", arguments)), null),
                        new ChatMessage("tool", "{\"temp\":21}", null, "call_1_0"),
                        ChatMessage.user("Thanks")),
                List.of(weather), new InferenceSettings(256, 0.0, 0.9, List.of("END")), true);

        client(settings("/v1").withApiKeyVariable("LOCAL_LLM_KEY"), Map.of("LOCAL_LLM_KEY", "sk-test-123"))
                .chat(request);

        List<LoggedRequest> received = server.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(received).hasSize(1);
        LoggedRequest sent = received.get(0);
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(sent.getHeader("Accept")).isEqualTo("application/json");
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer sk-test-123");
        assertThat(JSON.readTree(sent.getBodyAsString())).isEqualTo(JSON.readTree("""
                {"model":"qwen2.5-7b",
                 "messages":[
                   {"role":"system","content":"You route requests."},
                   {"role":"user","content":"Weather in Paris?"},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_1_0","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_1_0","content":"{\\"temp\\":21}"},
                   {"role":"user","content":"Thanks"}],
                 "tools":[{"type":"function","function":{"name":"get_weather",
                   "description":"Current weather of a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "tool_choice":"auto",
                 "temperature":0.0,
                 "max_tokens":256,
                 "top_p":0.9,
                 "stop":["END"]}"""));
    }

    @Test
    void chat_minimalRequestOmitsUnsetFields() throws IOException {
        server.stubFor(post(PATH).willReturn(json(200, TEXT_REPLY)));
        ChatRequest request = new ChatRequest("m", "", List.of(ChatMessage.user("hi")), null,
                new InferenceSettings(null, null, null, null), false);

        client(settings("")).chat(request);

        LoggedRequest sent = server.findAll(postRequestedFor(urlEqualTo(PATH))).get(0);
        assertThat(sent.getHeader("Authorization")).isNull();
        assertThat(JSON.readTree(sent.getBodyAsString()))
                .isEqualTo(JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    @Test
    void chat_baseUrlWithoutV1() {
        server.stubFor(post(PATH).willReturn(json(200, TEXT_REPLY)));

        ChatResponse response = client(settings("/")).chat(HELLO);

        assertThat(response.text()).isEqualTo("Hi there.");
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void chat_parsesTextStopReasonAndModel() {
        server.stubFor(post(PATH).willReturn(json(200, TEXT_REPLY)));

        ChatResponse response = client(settings("/v1")).chat(HELLO);

        assertThat(response.text()).isEqualTo("Hi there.");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.stopReason()).isEqualTo("stop");
        assertThat(response.modelId()).isEqualTo("qwen2.5-7b-instruct");
        assertThat(response.usage()).isEqualTo(new TokenUsage(9, 3, 0, 0));
        assertThat(response.latencyMillis()).isNotNegative();
    }

    @Test
    void chat_parsesToolCalls() {
        server.stubFor(post(PATH).willReturn(json(200, """
                {"model":"m","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
                  "content":null,"tool_calls":[
                    {"id":"call_a","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":2}"}},
                    {"id":"call_b","type":"function","function":{"name":"list_alerts","arguments":""}},
                    {"type":"function","function":{"name":"convert","arguments":{"amount":5}}}]}}]}""")));

        ChatResponse response = client(settings("/v1")).chat(HELLO);

        assertThat(response.text()).isEmpty();
        assertThat(response.stopReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).extracting(ToolCall::name)
                .containsExactly("get_weather", "list_alerts", "convert");
        assertThat(response.toolCalls().get(0).arguments())
                .isEqualTo(JSON.createObjectNode().put("city", "Paris").put("days", 2));
        assertThat(response.toolCalls().get(1).arguments()).isEmpty();
        assertThat(response.toolCalls().get(2).arguments()).isEqualTo(JSON.createObjectNode().put("amount", 5));
        assertThat(response.toolCallIds()).containsExactly("call_a", "call_b", null);
        assertThat(response.usage()).isEqualTo(new TokenUsage(0, 0, 0, 0));
    }

    @Test
    void chat_parsesUsageWithCachedTokens() {
        server.stubFor(post(PATH).willReturn(json(200, """
                {"model":"m","choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1200,"completion_tokens":15,"total_tokens":1215,
                          "prompt_tokens_details":{"cached_tokens":1024}}}""")));

        ChatResponse response = client(settings("/v1")).chat(HELLO);

        assertThat(response.usage()).isEqualTo(new TokenUsage(176, 15, 1024, 0));
    }

    @Test
    void chat_throttlingStormRetriedUntilSuccess() {
        String scenario = "storm";
        String state = STARTED;
        for (int i = 1; i <= 4; i++) {
            ResponseDefinitionBuilder throttled = i == 2
                    ? json(429, "{\"error\":{\"message\":\"rate limited\"}}").withHeader("Retry-After", "2")
                    : json(429, "{\"error\":{\"message\":\"rate limited\"}}");
            server.stubFor(post(PATH).inScenario(scenario).whenScenarioStateIs(state).willReturn(throttled)
                    .willSetStateTo("throttled " + i));
            state = "throttled " + i;
        }
        server.stubFor(post(PATH).inScenario(scenario).whenScenarioStateIs(state).willReturn(json(200, TEXT_REPLY)));

        ChatResponse response = resilient(settings("/v1"), RetryPolicy.DEFAULT).chat(HELLO);

        assertThat(response.text()).isEqualTo("Hi there.");
        server.verify(5, postRequestedFor(urlEqualTo(PATH)));
        assertThat(waits).hasSize(4);
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(2));
        for (int retry : new int[] {0, 2, 3}) {
            assertThat(waits.get(retry)).isBetween(Duration.ZERO, RetryPolicy.DEFAULT.backoffCap(retry));
        }
        // Four throttles halve the limit 8 -> 4 -> 2 -> 1 -> 1; the success at a full limiter adds 1/1.
        assertThat(limiter.limit()).isEqualTo(2);
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @Test
    void chat_serverErrorThenSuccess() {
        server.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(json(503, "{\"error\":\"loading model\"}")).willSetStateTo("up"));
        server.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs("up").willReturn(json(200, TEXT_REPLY)));

        ChatResponse response = resilient(settings("/v1"), RetryPolicy.DEFAULT).chat(HELLO);

        assertThat(response.text()).isEqualTo("Hi there.");
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
        assertThat(waits).hasSize(1);
        assertThat(limiter.limit()).isEqualTo(8);
    }

    @Test
    void chat_badRequestNotRetried() {
        String body = "{\"error\":{\"message\":\"hello is too long for the context window\"}}";
        server.stubFor(post(PATH).willReturn(json(400, body)));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> resilient(settings("/v1"), RetryPolicy.DEFAULT).chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.CLIENT_ERROR);
        assertThat(thrown.statusCode()).isEqualTo(400);
        assertThat(thrown.rawResponse()).contains(body);
        assertThat(thrown.getMessage()).contains("returned HTTP 400").doesNotContain("hello");
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(waits).isEmpty();
    }

    @Test
    void chat_unauthorizedNamesKeyVariableNotKey() {
        server.stubFor(post(PATH).willReturn(json(401, "{\"error\":\"invalid api key\"}")));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> client(settings("/v1").withApiKeyVariable("LOCAL_LLM_KEY"),
                        Map.of("LOCAL_LLM_KEY", "sk-wrong-999")).chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.CLIENT_ERROR);
        assertThat(thrown.getMessage()).contains("LOCAL_LLM_KEY").doesNotContain("sk-wrong-999");
    }

    @Test
    void constructor_missingKeyVariableRejected() {
        assertThatThrownBy(() -> client(settings("/v1").withApiKeyVariable("LOCAL_LLM_KEY"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("environment variable LOCAL_LLM_KEY is not set");
    }

    @Test
    void chat_slowServerTimesOutAndIsRetried() {
        server.stubFor(post(PATH).willReturn(json(200, TEXT_REPLY).withFixedDelay(1500)));
        RetryPolicy twoAttempts = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1),
                Duration.ofMinutes(1));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> resilient(settings("/v1").withRequestTimeout(Duration.ofMillis(200)), twoAttempts)
                        .chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(thrown.getMessage()).contains("failed after 2 attempts").contains("no response within 200 ms");
        assertThat(waits).hasSize(1);
    }

    @Test
    void chat_connectionRefusedIsServerError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OpenAiCompatibleSettings nowhere = OpenAiCompatibleSettings.of("http://127.0.0.1:" + closedPort);

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class, () -> client(nowhere).chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(thrown.statusCode()).isZero();
        assertThat(thrown.getMessage()).contains("connection failed");
    }

    @Test
    void chat_malformedJsonBodyNotRetried() {
        server.stubFor(post(PATH).willReturn(json(200, "{\"choices\": [ {\"message\": ")));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> resilient(settings("/v1"), RetryPolicy.DEFAULT).chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.getMessage()).contains("returned a body that is not JSON (line 1");
        assertThat(thrown.rawResponse()).contains("{\"choices\": [ {\"message\": ");
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void chat_bodyWithoutChoicesIsMalformed() {
        server.stubFor(post(PATH).willReturn(json(200, "{\"object\":\"chat.completion\",\"choices\":[]}")));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> client(settings("/v1")).chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.getMessage()).contains("returned no choices[]");
    }

    @Test
    void chat_malformedToolArgumentsKeepRawText() {
        String rawArguments = "{\"city\": \"Par";
        ObjectNode reply = JSON.createObjectNode();
        ObjectNode function = reply.putArray("choices").addObject().put("finish_reason", "tool_calls")
                .putObject("message").put("role", "assistant").putArray("tool_calls").addObject()
                .put("id", "call_x").put("type", "function").putObject("function");
        function.put("name", "get_weather").put("arguments", rawArguments);
        server.stubFor(post(PATH).willReturn(json(200, reply.toString())));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> resilient(settings("/v1"), RetryPolicy.DEFAULT).chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.rawResponse()).contains(rawArguments);
        assertThat(thrown.getMessage())
                .contains("tool_calls[0] (get_weather) with function.arguments that are not valid JSON")
                .doesNotContain("Par");
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void chat_nonObjectToolArgumentsMalformed() {
        server.stubFor(post(PATH).willReturn(json(200, """
                {"choices":[{"message":{"role":"assistant","tool_calls":[
                  {"id":"c","type":"function","function":{"name":"f","arguments":"[1, 2]"}}]}}]}""")));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> client(settings("/v1")).chat(HELLO));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.rawResponse()).contains("[1, 2]");
        assertThat(thrown.getMessage()).contains("are not a JSON object");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void chat_interruptCancelsWithoutRetry() throws InterruptedException {
        server.stubFor(post(PATH).willReturn(json(200, TEXT_REPLY).withFixedDelay(10_000)));
        ModelClient client = resilient(settings("/v1"), RetryPolicy.DEFAULT);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptStatusKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                client.chat(HELLO);
            } catch (RuntimeException e) {
                thrown.set(e);
                interruptStatusKept.set(Thread.currentThread().isInterrupted());
            }
        });

        caller.start();
        // The caller parks in the HTTP exchange; an interrupt that lands earlier also ends in CANCELLED.
        while (caller.getState() != Thread.State.WAITING && caller.isAlive()) {
            Thread.yield();
        }
        caller.interrupt();
        caller.join();

        assertThat(thrown.get()).isInstanceOf(ModelCallException.class);
        assertThat(((ModelCallException) thrown.get()).kind()).isEqualTo(Kind.CANCELLED);
        assertThat(interruptStatusKept).isTrue();
        assertThat(waits).isEmpty();
        assertThat(limiter.snapshot().inFlight()).isZero();
        assertThat(server.findAll(postRequestedFor(urlEqualTo(PATH))).size()).isLessThanOrEqualTo(1);
    }

    @Test
    void parseRetryAfter_readsSecondsAndHttpDates() {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");

        assertThat(OpenAiCompatibleModelClient.parseRetryAfter("7", now)).contains(Duration.ofSeconds(7));
        assertThat(OpenAiCompatibleModelClient.parseRetryAfter(" 0 ", now)).contains(Duration.ZERO);
        assertThat(OpenAiCompatibleModelClient.parseRetryAfter("Sun, 01 Jun 2025 12:00:30 GMT", now))
                .contains(Duration.ofSeconds(30));
        assertThat(OpenAiCompatibleModelClient.parseRetryAfter("Sun, 01 Jun 2025 11:00:00 GMT", now))
                .contains(Duration.ZERO);
        assertThat(OpenAiCompatibleModelClient.parseRetryAfter("soon", now)).isEmpty();
        assertThat(OpenAiCompatibleModelClient.parseRetryAfter("-5", now)).isEmpty();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static OpenAiCompatibleSettings settings(String path) {
        return OpenAiCompatibleSettings.of("http://127.0.0.1:" + server.port() + path);
    }

    private static OpenAiCompatibleModelClient client(OpenAiCompatibleSettings settings) {
        return client(settings, Map.of());
    }

    private static OpenAiCompatibleModelClient client(OpenAiCompatibleSettings settings,
            Map<String, String> environment) {
        return new OpenAiCompatibleModelClient(settings, OpenAiCompatibleModelClient.defaultHttpClient(settings),
                environment::get);
    }

    /** Wraps the client in retries whose waits are recorded instead of slept, with a seeded jitter. */
    private ModelClient resilient(OpenAiCompatibleSettings settings, RetryPolicy policy) {
        ResilientCaller caller = new ResilientCaller(policy, limiter, MonotonicClock.SYSTEM, waits::add,
                new Random(17));
        return new ResilientModelClient(client(settings), caller);
    }
}
