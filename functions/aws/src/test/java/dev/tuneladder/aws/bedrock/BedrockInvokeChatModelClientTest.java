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

class BedrockInvokeChatModelClientTest {

    private static final String MODEL = "arn:aws:bedrock:us-east-1:123456789012:imported-model/k2x9qwen3";
    /** The SDK percent-encodes the whole ARN as one path segment: colons as %3A and the slash as %2F. */
    private static final String INVOKE_PATH =
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aimported-model%2Fk2x9qwen3/invoke";

    @RegisterExtension
    static WireMockExtension server = BedrockStub.server();

    private BedrockRuntimeClient sdkClient;
    private BedrockInvokeChatModelClient client;

    @BeforeEach
    void createClient() {
        sdkClient = BedrockStub.client(server);
        client = new BedrockInvokeChatModelClient(sdkClient);
    }

    @AfterEach
    void closeClient() {
        sdkClient.close();
    }

    @Test
    void toolCalls_parsedFromOpenAiChatResponse() {
        server.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(BedrockStub.ok("""
                {"id": "chatcmpl-1", "object": "chat.completion",
                 "choices": [{"index": 0,
                              "message": {"role": "assistant", "content": null,
                                          "tool_calls": [
                                            {"id": "call_7", "type": "function",
                                             "function": {"name": "card_arrival",
                                                          "arguments": "{\\"card_id\\": \\"c-17\\", \\"days\\": 3}"}},
                                            {"id": "call_8", "type": "function",
                                             "function": {"name": "list_cards", "arguments": "{}"}}]},
                              "finish_reason": "tool_calls"}],
                 "usage": {"prompt_tokens": 210, "completion_tokens": 31, "total_tokens": 241}}""")));

        ChatResponse response = client.chat(toolRequest());

        assertThat(response.text()).isEmpty();
        assertThat(response.stopReason()).isEqualTo("tool_calls");
        assertThat(response.toolCallIds()).containsExactly("call_7", "call_8");
        assertThat(response.toolCalls()).extracting(ToolCall::name).containsExactly("card_arrival", "list_cards");
        assertThat(response.toolCalls().get(0).arguments())
                .isEqualTo(BedrockStub.json("{\"card_id\": \"c-17\", \"days\": 3}"));
        assertThat(response.toolCalls().get(1).arguments()).isEmpty();
        assertThat(response.usage()).isEqualTo(new TokenUsage(210, 31, 0, 0));
        assertThat(response.modelId()).isEqualTo(MODEL);
    }

    @Test
    void toolRequest_sendsOpenAiChatBodyToEncodedArnPath() {
        server.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(BedrockStub.ok(textResponse("ok"))));

        client.chat(toolRequest());

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH)));
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + BedrockStub.ACCESS_KEY_ID + "/")
                .contains("/us-east-1/bedrock/aws4_request");
        assertThat(BedrockStub.jsonBody(request)).isEqualTo(BedrockStub.json("""
                {"messages": [{"role": "system", "content": "Route the question to one tool."},
                              {"role": "user", "content": "When does card c-17 arrive?"}],
                 "max_tokens": 128, "temperature": 0.0, "top_p": 0.9, "stop": ["</s>"],
                 "tools": [{"type": "function",
                            "function": {"name": "card_arrival", "description": "Tells when a card arrives.",
                                         "parameters": {"type": "object",
                                                        "properties": {"card_id": {"type": "string"}},
                                                        "required": ["card_id"]}}},
                           {"type": "function",
                            "function": {"name": "list_cards",
                                         "parameters": {"type": "object", "properties": {}}}}]}"""));
    }

    @Test
    void textAnswer_withoutToolsOmitsToolsAndSettings() {
        server.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(BedrockStub.ok(textResponse("Hello there."))));

        ChatResponse response = client.chat(new ChatRequest(MODEL, "", List.of(ChatMessage.user("Hi")), List.of(),
                new InferenceSettings(null, null, null, null), false));

        assertThat(response.text()).isEqualTo("Hello there.");
        assertThat(response.stopReason()).isEqualTo("stop");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.usage()).isEqualTo(new TokenUsage(5, 3, 0, 0));
        JsonNode body = BedrockStub.jsonBody(server.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH))).get(0));
        assertThat(body).isEqualTo(BedrockStub.json("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"));
    }

    @Test
    void conversationWithToolResults_sendsPairedIds() {
        server.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(BedrockStub.ok(textResponse("Done."))));
        ObjectNode arguments = BedrockStub.MAPPER.createObjectNode().put("card_id", "c-17");
        List<ChatMessage> conversation = List.of(
                ChatMessage.user("Where is my card?"),
                new ChatMessage("assistant", "Checking.", List.of(new ToolCall("card_arrival", arguments)), null),
                new ChatMessage("tool", "{\"days\": 3}", null, "call_7"));

        client.chat(new ChatRequest(MODEL, "", conversation, List.of(), null, false));

        JsonNode body = BedrockStub.jsonBody(server.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH))).get(0));
        assertThat(body.get("messages")).isEqualTo(BedrockStub.json("""
                [{"role": "user", "content": "Where is my card?"},
                 {"role": "assistant", "content": "Checking.",
                  "tool_calls": [{"id": "call_7", "type": "function",
                                  "function": {"name": "card_arrival", "arguments": "{\\"card_id\\":\\"c-17\\"}"}}]},
                 {"role": "tool", "tool_call_id": "call_7", "content": "{\\"days\\": 3}"}]"""));
    }

    @Test
    void argumentsAsObject_accepted() {
        server.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(BedrockStub.ok("""
                {"choices": [{"message": {"role": "assistant", "content": "",
                                          "tool_calls": [{"id": "c1", "type": "function",
                                                          "function": {"name": "list_cards",
                                                                       "arguments": {"limit": 2}}}]},
                              "finish_reason": "tool_calls"}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1}}""")));

        ChatResponse response = client.chat(toolRequest());

        assertThat(response.toolCalls().get(0).arguments()).isEqualTo(BedrockStub.json("{\"limit\": 2}"));
    }

    @Test
    void argumentsNotJson_isMalformedResponse() {
        server.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(BedrockStub.ok("""
                {"choices": [{"message": {"role": "assistant",
                                          "tool_calls": [{"id": "c1", "type": "function",
                                                          "function": {"name": "list_cards",
                                                                       "arguments": "{limit: two"}}]},
                              "finish_reason": "tool_calls"}]}""")));

        assertThatThrownBy(() -> client.chat(toolRequest()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
                    assertThat(e.getMessage()).contains("tool_calls[0].function.arguments").contains(MODEL);
                });
    }

    @Test
    void noChoices_isMalformedResponse() {
        server.stubFor(post(urlEqualTo(INVOKE_PATH)).willReturn(BedrockStub.ok(
                "{\"generation\": \"hi\", \"prompt_token_count\": 3}")));

        assertThatThrownBy(() -> client.chat(toolRequest()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
                    assertThat(e.getMessage()).contains("no choices").contains("req-ok-1");
                });
    }

    private static ChatRequest toolRequest() {
        ObjectNode cardSchema = (ObjectNode) BedrockStub.json("""
                {"type": "object", "properties": {"card_id": {"type": "string"}}, "required": ["card_id"]}""");
        ObjectNode emptySchema = (ObjectNode) BedrockStub.json("{\"type\": \"object\", \"properties\": {}}");
        return new ChatRequest(MODEL, "Route the question to one tool.",
                List.of(ChatMessage.user("When does card c-17 arrive?")),
                List.of(new ToolSpec("card_arrival", "Tells when a card arrives.", cardSchema),
                        new ToolSpec("list_cards", null, emptySchema)),
                new InferenceSettings(128, 0.0, 0.9, List.of("</s>")), true);
    }

    static String textResponse(String text) {
        return "{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"" + text + "\"},"
                + " \"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": 5, \"completion_tokens\": 3,"
                + " \"total_tokens\": 8}}";
    }
}
