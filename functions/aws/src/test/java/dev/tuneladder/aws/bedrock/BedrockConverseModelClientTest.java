package dev.tuneladder.aws.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.InferenceSettings;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ToolSpec;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

class BedrockConverseModelClientTest {

    private static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
    /** The SDK percent-encodes the model id label, colon included. */
    private static final String CONVERSE_PATH = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";

    @RegisterExtension
    static WireMockExtension server = BedrockStub.server();

    private BedrockRuntimeClient sdkClient;
    private BedrockConverseModelClient client;

    @BeforeEach
    void createClient() {
        sdkClient = BedrockStub.client(server);
        client = new BedrockConverseModelClient(sdkClient);
    }

    @AfterEach
    void closeClient() {
        sdkClient.close();
    }

    @Test
    void textAnswer_parsesTextStopReasonAndUsage() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok("""
                {"output": {"message": {"role": "assistant", "content": [{"text": "Your card ships in 3 days."}]}},
                 "stopReason": "end_turn",
                 "usage": {"inputTokens": 120, "outputTokens": 9, "totalTokens": 129},
                 "metrics": {"latencyMs": 412}}""")));

        ChatResponse response = client.chat(new ChatRequest(MODEL, "You are a bank assistant.",
                List.of(ChatMessage.user("When does my card arrive?")), List.of(),
                new InferenceSettings(256, 0.0, 0.5, List.of("END")), false));

        assertThat(response.text()).isEqualTo("Your card ships in 3 days.");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.stopReason()).isEqualTo("end_turn");
        assertThat(response.usage()).isEqualTo(new TokenUsage(120, 9, 0, 0));
        assertThat(response.modelId()).isEqualTo(MODEL);
        assertThat(response.latencyMillis()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void textAnswer_sendsDocumentedRequestShape() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok(textResponse("ok"))));

        client.chat(new ChatRequest(MODEL, "You are a bank assistant.",
                List.of(ChatMessage.user("When does my card arrive?")), List.of(),
                new InferenceSettings(256, 0.0, 0.5, List.of("END")), false));

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(CONVERSE_PATH)));
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + BedrockStub.ACCESS_KEY_ID + "/")
                .contains("/us-east-1/bedrock/aws4_request")
                .contains("Signature=");
        assertThat(request.getHeader("X-Amz-Date")).isNotBlank();
        assertThat(request.getHeader("amz-sdk-request")).isEqualTo("attempt=1; max=1");

        JsonNode body = BedrockStub.jsonBody(request);
        assertThat(body.get("system")).isEqualTo(BedrockStub.json("[{\"text\": \"You are a bank assistant.\"}]"));
        assertThat(body.get("messages")).isEqualTo(BedrockStub.json(
                "[{\"role\": \"user\", \"content\": [{\"text\": \"When does my card arrive?\"}]}]"));
        assertThat(body.get("inferenceConfig")).isEqualTo(BedrockStub.json(
                "{\"maxTokens\": 256, \"temperature\": 0.0, \"topP\": 0.5, \"stopSequences\": [\"END\"]}"));
        assertThat(body.has("toolConfig")).isFalse();
        assertThat(body.has("modelId")).as("the model id travels in the path only").isFalse();
    }

    @Test
    void toolUse_parsesCallsWithIdsAndTypedArguments() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok("""
                {"output": {"message": {"role": "assistant", "content": [
                   {"text": "Let me check."},
                   {"toolUse": {"toolUseId": "tooluse_A1", "name": "card_arrival",
                                "input": {"card_id": "c-17", "days": 3, "express": true, "ratio": 0.5,
                                          "tags": ["new", "gold"], "note": null}}},
                   {"toolUse": {"toolUseId": "tooluse_B2", "name": "list_cards", "input": {}}}]}},
                 "stopReason": "tool_use",
                 "usage": {"inputTokens": 300, "outputTokens": 40, "totalTokens": 340}}""")));

        ChatResponse response = client.chat(toolRequest(false));

        assertThat(response.text()).isEqualTo("Let me check.");
        assertThat(response.stopReason()).isEqualTo("tool_use");
        assertThat(response.toolCallIds()).containsExactly("tooluse_A1", "tooluse_B2");
        assertThat(response.toolCalls()).extracting(ToolCall::name).containsExactly("card_arrival", "list_cards");
        // Arguments compare equal to the same JSON read by Jackson, number node types included.
        assertThat(response.toolCalls().get(0).arguments()).isEqualTo(BedrockStub.json(
                "{\"card_id\": \"c-17\", \"days\": 3, \"express\": true, \"ratio\": 0.5, \"tags\": [\"new\", \"gold\"],"
                        + " \"note\": null}"));
        assertThat(response.toolCalls().get(1).arguments()).isEmpty();
    }

    @Test
    void toolRequest_sendsToolSpecsWithJsonSchema() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok(textResponse("ok"))));

        client.chat(toolRequest(false));

        JsonNode body = BedrockStub.jsonBody(server.findAll(postRequestedFor(urlEqualTo(CONVERSE_PATH))).get(0));
        assertThat(body.get("toolConfig")).isEqualTo(BedrockStub.json("""
                {"tools": [
                  {"toolSpec": {"name": "card_arrival", "description": "Tells when a card arrives.",
                                "inputSchema": {"json": {"type": "object",
                                                         "properties": {"card_id": {"type": "string"},
                                                                        "days": {"type": "integer", "minimum": 1}},
                                                         "required": ["card_id"]}}}},
                  {"toolSpec": {"name": "list_cards",
                                "inputSchema": {"json": {"type": "object", "properties": {}}}}}]}"""));
    }

    @Test
    void cacheStaticPrefix_placesCachePointsAfterToolsAndSystem() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok(textResponse("ok"))));

        client.chat(toolRequest(true));

        JsonNode body = BedrockStub.jsonBody(server.findAll(postRequestedFor(urlEqualTo(CONVERSE_PATH))).get(0));
        JsonNode cachePoint = BedrockStub.json("{\"cachePoint\": {\"type\": \"default\"}}");
        JsonNode tools = body.get("toolConfig").get("tools");
        assertThat(tools).hasSize(3);
        assertThat(tools.get(0).has("toolSpec")).isTrue();
        assertThat(tools.get(1).has("toolSpec")).isTrue();
        assertThat(tools.get(2)).isEqualTo(cachePoint);
        assertThat(body.get("system")).isEqualTo(BedrockStub.json(
                "[{\"text\": \"Route the question to one tool.\"}, {\"cachePoint\": {\"type\": \"default\"}}]"));
        assertThat(body.get("messages").toString()).doesNotContain("cachePoint");
    }

    @Test
    void cacheStaticPrefix_offSendsNoCachePoint() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok(textResponse("ok"))));

        client.chat(toolRequest(false));

        String body = server.findAll(postRequestedFor(urlEqualTo(CONVERSE_PATH))).get(0).getBodyAsString();
        assertThat(body).doesNotContain("cachePoint");
    }

    @Test
    void cacheUsage_mapsReadAndWriteTokens() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok("""
                {"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
                 "stopReason": "end_turn",
                 "usage": {"inputTokens": 25, "outputTokens": 4, "totalTokens": 2077,
                           "cacheReadInputTokens": 2048, "cacheWriteInputTokens": 0},
                 "metrics": {"latencyMs": 210}}""")));
        ChatResponse read = client.chat(toolRequest(true));

        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok("""
                {"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
                 "stopReason": "end_turn",
                 "usage": {"inputTokens": 25, "outputTokens": 4, "totalTokens": 2077,
                           "cacheReadInputTokens": 0, "cacheWriteInputTokens": 2048}}""")));
        ChatResponse write = client.chat(toolRequest(true));

        assertThat(read.usage()).isEqualTo(new TokenUsage(25, 4, 2048, 0));
        assertThat(write.usage()).isEqualTo(new TokenUsage(25, 4, 0, 2048));
    }

    @Test
    void toolResults_mergeIntoOneUserTurnWithPairedIds() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok(textResponse("Done."))));
        ObjectNode arguments = BedrockStub.MAPPER.createObjectNode().put("card_id", "c-17");
        List<ChatMessage> conversation = List.of(
                ChatMessage.user("Where are my cards?"),
                new ChatMessage("assistant", "", List.of(new ToolCall("card_arrival", arguments),
                        ToolCall.of("list_cards")), null),
                new ChatMessage("tool", "{\"days\": 3}", null, "tooluse_A1"),
                new ChatMessage("tool", "[\"c-17\"]", null, "tooluse_B2"),
                ChatMessage.user("Thanks, and the second one?"));

        client.chat(new ChatRequest(MODEL, "", conversation, List.of(), null, false));

        JsonNode body = BedrockStub.jsonBody(server.findAll(postRequestedFor(urlEqualTo(CONVERSE_PATH))).get(0));
        assertThat(body.has("system")).isFalse();
        assertThat(body.get("messages")).isEqualTo(BedrockStub.json("""
                [{"role": "user", "content": [{"text": "Where are my cards?"}]},
                 {"role": "assistant", "content": [
                    {"toolUse": {"toolUseId": "tooluse_A1", "name": "card_arrival", "input": {"card_id": "c-17"}}},
                    {"toolUse": {"toolUseId": "tooluse_B2", "name": "list_cards", "input": {}}}]},
                 {"role": "user", "content": [
                    {"toolResult": {"toolUseId": "tooluse_A1", "content": [{"text": "{\\"days\\": 3}"}]}},
                    {"toolResult": {"toolUseId": "tooluse_B2", "content": [{"text": "[\\"c-17\\"]"}]}},
                    {"text": "Thanks, and the second one?"}]}]"""));
        assertThat(body.get("inferenceConfig")).isEqualTo(BedrockStub.json(
                "{\"maxTokens\": 1024, \"temperature\": 0.0}"));
    }

    @Test
    void emptyUserMessage_rejectedBeforeSending() {
        ChatRequest request = new ChatRequest(MODEL, "", List.of(ChatMessage.user("")), List.of(), null, false);

        assertThatThrownBy(() -> client.chat(request))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR);
                    assertThat(e.getMessage()).contains("message 0 (user)");
                });
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void missingOutput_isMalformedResponse() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok(
                "{\"stopReason\": \"end_turn\", \"usage\": {\"inputTokens\": 1, \"outputTokens\": 1}}")));

        assertThatThrownBy(() -> client.chat(toolRequest(false)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
                    assertThat(e.getMessage()).contains(MODEL).contains("req-ok-1").contains("output.message");
                });
    }

    @Test
    void toolUseInputNotObject_isMalformedResponse() {
        server.stubFor(post(urlEqualTo(CONVERSE_PATH)).willReturn(BedrockStub.ok("""
                {"output": {"message": {"role": "assistant", "content": [
                   {"toolUse": {"toolUseId": "t1", "name": "list_cards", "input": [1, 2]}}]}},
                 "stopReason": "tool_use", "usage": {"inputTokens": 1, "outputTokens": 1}}""")));

        assertThatThrownBy(() -> client.chat(toolRequest(false)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
                    assertThat(e.getMessage()).contains("list_cards").contains("ARRAY");
                });
    }

    private static ChatRequest toolRequest(boolean cache) {
        ObjectNode cardSchema = (ObjectNode) BedrockStub.json("""
                {"type": "object",
                 "properties": {"card_id": {"type": "string"}, "days": {"type": "integer", "minimum": 1}},
                 "required": ["card_id"]}""");
        ObjectNode emptySchema = (ObjectNode) BedrockStub.json("{\"type\": \"object\", \"properties\": {}}");
        return new ChatRequest(MODEL, "Route the question to one tool.",
                List.of(ChatMessage.user("When does card c-17 arrive?")),
                List.of(new ToolSpec("card_arrival", "Tells when a card arrives.", cardSchema),
                        new ToolSpec("list_cards", "", emptySchema)),
                InferenceSettings.DETERMINISTIC, cache);
    }

    static String textResponse(String text) {
        return "{\"output\": {\"message\": {\"role\": \"assistant\", \"content\": [{\"text\": \"" + text + "\"}]}},"
                + " \"stopReason\": \"end_turn\", \"usage\": {\"inputTokens\": 10, \"outputTokens\": 2,"
                + " \"totalTokens\": 12}}";
    }
}
