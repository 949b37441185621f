package dev.tuneladder.core.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.InferenceSettings;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ToolSpec;
import dev.tuneladder.core.model.openai.OpenAiChatCodec.Options;
import dev.tuneladder.core.model.openai.OpenAiChatCodec.ResponseSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiChatCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Options ALL_OFF = new Options(false, false, false, false);
    private static final OpenAiChatCodec SERVER = new OpenAiChatCodec(Options.OPENAI_SERVER);
    private static final OpenAiChatCodec MINIMAL = new OpenAiChatCodec(ALL_OFF);
    private static final ResponseSource SOURCE =
            new ResponseSource("qwen2.5-7b", 200, "test server (model qwen2.5-7b)", null);
    private static final String CACHED_USAGE_REPLY = """
            {"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1200,"completion_tokens":15,"total_tokens":1215,
                      "prompt_tokens_details":{"cached_tokens":1024}}}""";

    /** Both option sets in use, for the cases where they must behave alike. */
    static Stream<OpenAiChatCodec> codecs() {
        return Stream.of(SERVER, MINIMAL);
    }

    @Test
    void requestBody_serverOptions_sendModel() throws Exception {
        JsonNode body = JSON.readTree(SERVER.requestBody(toolRequest()));

        assertThat(body).isEqualTo(JSON.readTree("""
                {"model":"qwen2.5-7b",
                 "messages":[{"role":"system","content":"Route the request."},
                             {"role":"user","content":"Weather in Paris?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                           "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                          {"type":"function","function":{"name":"list_alerts",
                           "parameters":{"type":"object","properties":{}}}}],
                 "tool_choice":"auto",
                 "temperature":0.0,"max_tokens":64,"top_p":0.9,"stop":["END"]}"""));
    }

    @Test
    void requestBody_optionsOff_omitModel() throws Exception {
        JsonNode body = JSON.readTree(MINIMAL.requestBody(toolRequest()));

        assertThat(body.has("model")).isFalse();
        assertThat(body.has("tool_choice")).isFalse();
        assertThat(body.path("tools")).hasSize(2);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void requestBody_unsetSettingsAndNoToolsOmitted(OpenAiChatCodec codec) throws Exception {
        ChatRequest request = new ChatRequest("m", "", List.of(ChatMessage.user("hi")), List.of(),
                new InferenceSettings(null, null, null, null), false);

        JsonNode body = JSON.readTree(codec.requestBody(request));

        JsonNode messagesOnly = JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        if (codec == SERVER) {
            ((ObjectNode) messagesOnly).put("model", "m");
        }
        assertThat(body).isEqualTo(messagesOnly);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void requestBody_toolCallsWithPairedIds(OpenAiChatCodec codec) throws Exception {
        ObjectNode arguments = JSON.createObjectNode().put("city", "Paris").put("days", 2);
        List<ChatMessage> conversation = List.of(
                ChatMessage.user("Weather in Paris?"),
                new ChatMessage("assistant", "", List.of(new ToolCall("get_weather", arguments),
                        ToolCall.of("list_alerts")), null),
                new ChatMessage("tool", "{\"temp\":21}", null, "call_a"),
                new ChatMessage("assistant", "Checking.", List.of(ToolCall.of("list_alerts")), null));

        JsonNode body = JSON.readTree(codec.requestBody(new ChatRequest("m", "", conversation, null, null, false)));

        assertThat(body.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":"Weather in Paris?"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_a","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":2}"}},
                   {"id":"call_1_1","type":"function","function":{"name":"list_alerts","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"call_a","content":"{\\"temp\\":21}"},
                 {"role":"assistant","content":"Checking.","tool_calls":[
                   {"id":"call_3_0","type":"function","function":{"name":"list_alerts","arguments":"{}"}}]}]"""));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void requestBody_keepsUnicodeText(OpenAiChatCodec codec) throws Exception {
        String question = "Kartım ne zaman gelir? 🃏 İstanbul";
        ObjectNode arguments = JSON.createObjectNode().put("şehir", "İzmir");
        List<ChatMessage> conversation = List.of(ChatMessage.user(question),
                new ChatMessage("assistant", "", List.of(new ToolCall("hava_durumu", arguments)), null));

        JsonNode body = JSON.readTree(codec.requestBody(new ChatRequest("m", "Yanıtla.", conversation, null, null,
                false)));

        assertThat(body.at("/messages/0/content").asText()).isEqualTo("Yanıtla.");
        assertThat(body.at("/messages/1/content").asText()).isEqualTo(question);
        String sentArguments = body.at("/messages/2/tool_calls/0/function/arguments").asText();
        assertThat(JSON.readTree(sentArguments)).isEqualTo(arguments);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_readsToolCalls(OpenAiChatCodec codec) {
        ChatResponse response = codec.parseResponse("""
                {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                  "tool_calls":[
                    {"id":"call_a","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":2}"}},
                    {"id":"call_b","type":"function","function":{"name":"list_alerts","arguments":""}},
                    {"type":"function","function":{"name":"convert","arguments":{"amount":5}}},
                    {"id":"call_d","type":"function","function":{"name":"now"}}]}}]}""", 12, SOURCE);

        assertThat(response.text()).isEmpty();
        assertThat(response.stopReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).extracting(ToolCall::name)
                .containsExactly("get_weather", "list_alerts", "convert", "now");
        assertThat(response.toolCalls().get(0).arguments())
                .isEqualTo(JSON.createObjectNode().put("city", "Paris").put("days", 2));
        assertThat(response.toolCalls().get(1).arguments()).isEmpty();
        assertThat(response.toolCalls().get(2).arguments()).isEqualTo(JSON.createObjectNode().put("amount", 5));
        assertThat(response.toolCalls().get(3).arguments()).isEmpty();
        assertThat(response.toolCallIds()).containsExactly("call_a", "call_b", null, "call_d");
        assertThat(response.latencyMillis()).isEqualTo(12);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_readsContentOnlyAnswer(OpenAiChatCodec codec) {
        ChatResponse response = codec.parseResponse("""
                {"choices":[{"message":{"role":"assistant","content":"Hi there."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""", 0, SOURCE);

        assertThat(response.text()).isEqualTo("Hi there.");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.toolCallIds()).isEmpty();
        assertThat(response.stopReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new TokenUsage(9, 3, 0, 0));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_joinsContentParts(OpenAiChatCodec codec) {
        ChatResponse response = codec.parseResponse("""
                {"choices":[{"message":{"role":"assistant",
                  "content":[{"type":"text","text":"Hi "},{"type":"image_url"},{"type":"text","text":"there."}]}}]}""",
                0, SOURCE);

        assertThat(response.text()).isEqualTo("Hi there.");
        assertThat(response.stopReason()).isNull();
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_readsUnicodeAndEscapes(OpenAiChatCodec codec) {
        ChatResponse response = codec.parseResponse("""
                {"choices":[{"message":{"role":"assistant","content":"Kartınız yolda 🃏 \\u0130zmir",
                  "tool_calls":[{"id":"c","type":"function","function":{"name":"hava_durumu",
                    "arguments":"{\\"\\u015fehir\\": \\"İstanbul 🌧\\"}"}}]}}]}""", 0, SOURCE);

        assertThat(response.text()).isEqualTo("Kartınız yolda 🃏 İzmir");
        assertThat(response.toolCalls().get(0).arguments())
                .isEqualTo(JSON.createObjectNode().put("şehir", "İstanbul 🌧"));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_missingChoicesIsMalformed(OpenAiChatCodec codec) {
        String body = "{\"generation\":\"hi\",\"prompt_token_count\":3}";
        ResponseSource source = new ResponseSource("m", 200, "test server (model m)", "Check the chat template.");

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> codec.parseResponse(body, 0, source));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.statusCode()).isEqualTo(200);
        assertThat(thrown.getMessage())
                .isEqualTo("test server (model m) returned no choices[]. Check the chat template.");
        assertThat(thrown.rawResponse()).contains(body);
        assertThat(thrown.getCause()).isNull();
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_emptyChoicesIsMalformed(OpenAiChatCodec codec) {
        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> codec.parseResponse("{\"choices\":[]}", 0, SOURCE));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.getMessage()).isEqualTo("test server (model qwen2.5-7b) returned no choices[]");
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_bodyNotJsonNamesPositionOnly(OpenAiChatCodec codec) {
        String body = "{\"choices\": [ {\"message\": secret";

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> codec.parseResponse(body, 0, SOURCE));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.getMessage()).contains("returned a body that is not JSON (line 1, column")
                .doesNotContain("secret");
        assertThat(thrown.rawResponse()).contains(body);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_invalidArgumentsKeepRawText(OpenAiChatCodec codec) {
        String body = """
                {"choices":[{"message":{"role":"assistant","tool_calls":[
                  {"id":"c","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Par"}}]}}]}""";

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> codec.parseResponse(body, 0, SOURCE));

        assertThat(thrown.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(thrown.getMessage())
                .contains("tool_calls[0] (get_weather) with function.arguments that are not valid JSON")
                .contains("tool_calls[0].function.arguments")
                .doesNotContain("Par");
        assertThat(thrown.rawResponse()).contains("{\"city\": \"Par");
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_nonObjectArgumentsMalformed(OpenAiChatCodec codec) {
        for (String arguments : List.of("\"[1, 2]\"", "\"7\"", "true")) {
            String body = "{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":"
                    + arguments + "}}]}}]}";

            ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                    () -> codec.parseResponse(body, 0, SOURCE));

            assertThat(thrown.kind()).as(arguments).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(thrown.getMessage()).as(arguments).contains("tool_calls[0] (f) with function.arguments");
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_toolCallWithoutNameMalformed(OpenAiChatCodec codec) {
        ModelCallException thrown = catchThrowableOfType(ModelCallException.class, () -> codec.parseResponse(
                "{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{}\"}}]}}]}", 0, SOURCE));

        assertThat(thrown.getMessage()).contains("returned tool_calls[0] without a function.name");
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_missingUsageGivesZeroCounts(OpenAiChatCodec codec) {
        ChatResponse response = codec.parseResponse(
                "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}", 0, SOURCE);

        assertThat(response.usage()).isEqualTo(new TokenUsage(0, 0, 0, 0));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void parseResponse_negativeOrFractionalCountMalformed(OpenAiChatCodec codec) {
        for (String usage : List.of("{\"prompt_tokens\":-1}", "{\"completion_tokens\":2.5}",
                "{\"prompt_tokens\":\"12\"}")) {
            String body = "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"usage\":" + usage + "}";

            ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                    () -> codec.parseResponse(body, 0, SOURCE));

            assertThat(thrown.kind()).as(usage).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(thrown.getMessage()).as(usage).contains("not a non-negative integer");
        }
    }

    @Test
    void parseResponse_cachedTokensSplitWhenRead() {
        ChatResponse response = SERVER.parseResponse(CACHED_USAGE_REPLY, 0, SOURCE);

        assertThat(response.usage()).isEqualTo(new TokenUsage(176, 15, 1024, 0));
    }

    @Test
    void parseResponse_cachedTokensIgnoredWhenNotRead() {
        ChatResponse response = MINIMAL.parseResponse(CACHED_USAGE_REPLY, 0, SOURCE);

        assertThat(response.usage()).isEqualTo(new TokenUsage(1200, 15, 0, 0));
    }

    @Test
    void parseResponse_cachedAbovePromptMalformed() {
        String body = """
                {"choices":[{"message":{"content":"ok"}}],
                 "usage":{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":11}}}""";

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> SERVER.parseResponse(body, 0, SOURCE));

        assertThat(thrown.getMessage()).contains("cached_tokens 11 above prompt_tokens 10");
    }

    @Test
    void parseResponse_responseModel_onlyWhenSet() {
        String body = "{\"model\":\"qwen2.5-7b-instruct\",\"choices\":[{\"message\":{\"content\":\"ok\"}}]}";

        assertThat(SERVER.parseResponse(body, 0, SOURCE).modelId()).isEqualTo("qwen2.5-7b-instruct");
        assertThat(MINIMAL.parseResponse(body, 0, SOURCE).modelId()).isEqualTo("qwen2.5-7b");
    }

    @Test
    void parseResponse_blankModel_usesRequested() {
        String body = "{\"model\":\" \",\"choices\":[{\"message\":{\"content\":\"ok\"}}]}";

        assertThat(SERVER.parseResponse(body, 0, SOURCE).modelId()).isEqualTo("qwen2.5-7b");
    }

    private static ChatRequest toolRequest() throws Exception {
        ObjectNode citySchema = (ObjectNode) JSON.readTree(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
        ObjectNode emptySchema = (ObjectNode) JSON.readTree("{\"type\":\"object\",\"properties\":{}}");
        return new ChatRequest("qwen2.5-7b", "Route the request.", List.of(ChatMessage.user("Weather in Paris?")),
                List.of(new ToolSpec("get_weather", "Current weather", citySchema),
                        new ToolSpec("list_alerts", null, emptySchema)),
                new InferenceSettings(64, 0.0, 0.9, List.of("END")), true);
    }
}
