package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.bedrock.BedrockConverseModelClient;
import dev.tuneladder.core.model.resilience.ResilientModelClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The judge handler with the real Converse client and retries against a loopback Bedrock stub. */
class JudgeHandlerTest {

    private static final String MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private static final String CONVERSE_PATH = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";

    @RegisterExtension
    static WireMockExtension bedrock = TestSupport.bedrock();

    private JudgeHandler handler;

    @BeforeEach
    void setUp() {
        handler = new JudgeHandler(new ResilientModelClient(
                new BedrockConverseModelClient(TestSupport.factory(bedrock).bedrockRuntime()),
                TestSupport.fastRetries()), MODEL_ID, new RequestSchemas());
    }

    private static String converseText(String text) {
        ObjectNode root = ApiHandler.MAPPER.createObjectNode();
        ObjectNode message = root.putObject("output").putObject("message");
        message.put("role", "assistant");
        message.putArray("content").addObject().put("text", text);
        root.put("stopReason", "end_turn");
        ObjectNode usage = root.putObject("usage");
        usage.put("inputTokens", 120);
        usage.put("outputTokens", 12);
        usage.put("totalTokens", 132);
        root.putObject("metrics").put("latencyMs", 250);
        return root.toString();
    }

    @Test
    void judge_sampleEvent_returnsPassingVerdict() {
        bedrock.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(
                TestSupport.ok(converseText("{\"score\": 5, \"reason\": \"matches the reference\"}"))));

        APIGatewayProxyResponseEvent response = handler.handleRequest(TestSupport.apiEvent("judgment.json"),
                TestSupport.context("req-j1"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = TestSupport.body(response.getBody());
        new RequestSchemas().schema("judgment-response.json").validate(body)
                .forEach(error -> { throw new AssertionError(error.toString()); });
        assertThat(body.get("verdict").asText()).isEqualTo("pass");
        assertThat(body.get("score").asDouble()).isEqualTo(5.0);
        assertThat(body.get("judge").asText()).isEqualTo("helpfulness");
        assertThat(body.get("modelId").asText()).isEqualTo(MODEL_ID);
    }

    @Test
    void judge_modelThrottlesThroughRetries_is429() {
        bedrock.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(TestSupport.throttled()));

        APIGatewayProxyResponseEvent response = handler.handleRequest(TestSupport.apiEvent("judgment.json"),
                TestSupport.context("req-j2"));

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(TestSupport.body(response.getBody()).get("error").get("code").asText()).isEqualTo("throttled");
        bedrock.verify(TestSupport.FAST_ATTEMPTS, postRequestedFor(urlEqualTo(CONVERSE_PATH)));
    }

    @Test
    void judge_thresholdOutsideScale_is400NamingRubric() {
        APIGatewayProxyRequestEvent event = TestSupport.apiEvent("judgment.json");
        ObjectNode body = (ObjectNode) TestSupport.body(event.getBody());
        ((ObjectNode) body.get("rubric")).put("passThreshold", 9);

        APIGatewayProxyResponseEvent response = handler.handleRequest(event.withBody(body.toString()),
                TestSupport.context("req-j3"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode error = TestSupport.body(response.getBody()).get("error");
        assertThat(error.get("field").asText()).isEqualTo("rubric");
        assertThat(error.get("message").asText()).contains("passThreshold");
        bedrock.verify(0, postRequestedFor(urlEqualTo(CONVERSE_PATH)));
    }

    @Test
    void judge_missingAnswer_is400NamingAnswer() {
        APIGatewayProxyRequestEvent event = TestSupport.apiEvent("judgment.json");
        ObjectNode body = (ObjectNode) TestSupport.body(event.getBody());
        body.remove("answer");

        APIGatewayProxyResponseEvent response = handler.handleRequest(event.withBody(body.toString()),
                TestSupport.context("req-j4"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(TestSupport.body(response.getBody()).get("error").get("field").asText()).isEqualTo("answer");
    }

    @Test
    void judge_modelServerError_is500WithoutInternals() {
        bedrock.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(com.github.tomakehurst.wiremock.client.WireMock
                .aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withBody("{\"message\":\"secret internal detail\"}")));

        APIGatewayProxyResponseEvent response = handler.handleRequest(TestSupport.apiEvent("judgment.json"),
                TestSupport.context("req-j5"));

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).contains("req-j5").doesNotContain("secret internal detail");
    }
}
