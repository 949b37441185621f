package dev.tuneladder.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.index.ExactVectorIndex;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.core.index.SearchHit;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.InferenceSettings;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ToolSpec;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmPlannerTest {

    private static final List<String> LABELS = List.of("card_arrival", "lost_or_stolen_card", "exchange_rate");
    private static final PromptTemplate ROUTING_PROMPT = new PromptTemplate("routing",
            "Route the customer's message with the route tool.\n\nSolved examples:\n{{examples}}");
    private static final PromptTemplate PLAIN_PROMPT = new PromptTemplate("plain",
            "Call the functions that answer the user's request.");

    private final ScriptedModelClient client = new ScriptedModelClient();

    @Test
    void predictMapsToolCallBackToDatasetName() throws IOException {
        client.thenReturn(ScriptedModelClient.toolCalls("", call("math_factorial", "{\"number\": 5}")));
        LlmPlanner planner = LlmPlanner.forFunctionCalling(client, PlannerConfig.of("model-x", PLAIN_PROMPT),
                FewShotRetriever.none());

        Prediction prediction = planner.predict(bfclRow());

        assertThat(prediction.error()).isNull();
        assertThat(prediction.toolCalls()).hasSize(1);
        assertThat(prediction.toolCalls().get(0).name()).isEqualTo("math.factorial");
        assertThat(prediction.toolCalls().get(0).arguments().get("number").asInt()).isEqualTo(5);
        assertThat(prediction.label()).isNull();
        assertThat(prediction.latencyMillis()).isEqualTo(9);
        assertThat(prediction.usage()).isEqualTo(new TokenUsage(12, 3, 0, 0));
        assertThat(prediction.modelId()).isEqualTo("scripted-model");
        assertThat(prediction.promptVersion()).isEqualTo(PLAIN_PROMPT.version());
    }

    @Test
    void requestCarriesPromptToolsConversationAndSettings() throws IOException {
        client.thenReturn(ScriptedModelClient.toolCalls("", call("math_factorial", "{\"number\": 5}")));
        InferenceSettings settings = new InferenceSettings(256, 0.2, null, List.of("</done>"));
        PlannerConfig config = new PlannerConfig("model-x", PLAIN_PROMPT, settings, true, true, false);

        LlmPlanner.forFunctionCalling(client, config, FewShotRetriever.none()).predict(bfclRow());

        ChatRequest request = client.lastRequest();
        assertThat(request.modelId()).isEqualTo("model-x");
        assertThat(request.system()).isEqualTo(PLAIN_PROMPT.text());
        assertThat(request.messages()).containsExactly(ChatMessage.user("Calculate the factorial of 5."));
        assertThat(request.settings()).isEqualTo(settings);
        assertThat(request.cacheStaticPrefix()).isTrue();
        assertThat(request.tools()).extracting(ToolSpec::name).containsExactly("math_factorial");
        assertThat(request.tools().get(0).inputSchema().toString()).isEqualTo("{\"type\":\"object\","
                + "\"properties\":{\"number\":{\"type\":\"integer\",\"description\":\"The number.\"}},"
                + "\"required\":[\"number\"]}");
    }

    @Test
    void predictRoutesToLabel() {
        client.thenReturn(ScriptedModelClient.toolCalls("", call("route", "{\"intent\": \"lost_or_stolen_card\"}")));
        LlmPlanner planner = routingPlanner(FewShotRetriever.none(), PLAIN_PROMPT);

        Prediction prediction = planner.predict(Interaction.ofUtterance("u1", "my card was stolen", null));

        assertThat(prediction.error()).isNull();
        assertThat(prediction.label()).isEqualTo("lost_or_stolen_card");
        assertThat(prediction.toolCalls()).extracting(ToolCall::name).containsExactly("route");
        assertThat(client.lastRequest().tools()).extracting(ToolSpec::name).containsExactly("route");
    }

    @Test
    void zeroExamplesLeavesPromptEmptyAndSkipsEmbedder() {
        FixedEmbedder embedder = new FixedEmbedder();
        client.thenReturn(ScriptedModelClient.toolCalls("", call("route", "{\"intent\": \"card_arrival\"}")));

        routingPlanner(FewShotRetriever.none(), ROUTING_PROMPT)
                .predict(Interaction.ofUtterance("q", "where is my card", null));

        ChatRequest request = client.lastRequest();
        assertThat(request.system()).isEqualTo("Route the customer's message with the route tool.\n\nSolved examples:\n");
        assertThat(request.system()).doesNotContain("Request:");
        assertThat(request.cacheStaticPrefix()).isTrue();
        assertThat(embedder.calls()).isZero();
    }

    @Test
    void threeExamplesAreRenderedMostSimilarFirst() {
        FixedEmbedder embedder = new FixedEmbedder().with("where is my card", 1, 0, 0);
        ExactVectorIndex index = goldenIndex();
        client.thenReturn(ScriptedModelClient.toolCalls("", call("route", "{\"intent\": \"card_arrival\"}")));
        FewShotRetriever retriever = new FewShotRetriever(embedder, index, 3, ExampleRenderer.routing());

        Prediction prediction = routingPlanner(retriever, ROUTING_PROMPT)
                .predict(Interaction.ofUtterance("q", "where is my card", null));

        assertThat(prediction.label()).isEqualTo("card_arrival");
        assertThat(client.lastRequest().system()).isEqualTo("""
                Route the customer's message with the route tool.

                Solved examples:
                Request: card not here yet
                Call: route({"intent":"card_arrival"})

                Request: has my card shipped
                Call: route({"intent":"card_arrival"})

                Request: someone took my card
                Call: route({"intent":"lost_or_stolen_card"})""");
        assertThat(client.lastRequest().system()).doesNotContain("euro rate");
        assertThat(client.lastRequest().messages()).containsExactly(ChatMessage.user("where is my card"));
        assertThat(client.lastRequest().cacheStaticPrefix()).isFalse();
        assertThat(embedder.calls()).isEqualTo(1);
    }

    @Test
    void retrievalSkipsTheRowItself() {
        FixedEmbedder embedder = new FixedEmbedder().with("card not here yet", 1, 0, 0);
        FewShotRetriever retriever = new FewShotRetriever(embedder, goldenIndex(), 1, ExampleRenderer.routing());

        List<SearchHit> hits =
                retriever.retrieve(Interaction.ofUtterance("g1", "card not here yet", null));

        assertThat(hits).extracting(SearchHit::id).containsExactly("g2");
    }

    @Test
    void examplesWithoutPlaceholderAreRejected() {
        FewShotRetriever retriever =
                new FewShotRetriever(new FixedEmbedder(), goldenIndex(), 3, ExampleRenderer.routing());

        assertThatThrownBy(() -> routingPlanner(retriever, PLAIN_PROMPT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no {{examples}} placeholder");
    }

    @Test
    void missingToolCallIsErrorRow() {
        client.thenReturn(ScriptedModelClient.text("I think this is about a card."));
        LlmPlanner planner = routingPlanner(FewShotRetriever.none(), PLAIN_PROMPT);

        Prediction prediction = planner.predict(Interaction.ofUtterance("u1", "card?", null));

        assertThat(prediction.error()).isEqualTo("malformed model output: the model returned no tool call (stop"
                + " reason end_turn)");
        assertThat(prediction.answer()).isEqualTo("{\"text\":\"I think this is about a card.\",\"toolCalls\":[],"
                + "\"stopReason\":\"end_turn\"}");
        assertThat(prediction.label()).isNull();
        assertThat(prediction.toolCalls()).isEmpty();
        assertThat(prediction.usage()).isEqualTo(new TokenUsage(10, 5, 0, 0));
        assertThat(prediction.promptVersion()).isEqualTo(PLAIN_PROMPT.version());
    }

    @Test
    void unknownToolIsErrorRow() {
        client.thenReturn(ScriptedModelClient.toolCalls("", call("escalate", "{}")));

        Prediction prediction = routingPlanner(FewShotRetriever.none(), PLAIN_PROMPT)
                .predict(Interaction.ofUtterance("u1", "card?", null));

        assertThat(prediction.error()).contains("unknown tool 'escalate'");
        assertThat(prediction.answer()).contains("\"name\":\"escalate\"");
        assertThat(prediction.label()).isNull();
    }

    @Test
    void intentOutsideLabelsIsErrorRow() {
        client.thenReturn(ScriptedModelClient.toolCalls("", call("route", "{\"intent\": \"refund\"}")));

        Prediction prediction = routingPlanner(FewShotRetriever.none(), PLAIN_PROMPT)
                .predict(Interaction.ofUtterance("u1", "card?", null));

        assertThat(prediction.error()).contains("intent 'refund', which is not one of the 3 labels");
        assertThat(prediction.label()).isNull();
    }

    @Test
    void nonObjectTextArgumentsAreErrorRow() throws IOException {
        client.thenText("```json\n{\"name\": \"math_factorial\", \"arguments\": \"5\"}\n```");
        PlannerConfig config = new PlannerConfig("model-x", PLAIN_PROMPT, null, true, true, true);

        Prediction prediction = LlmPlanner.forFunctionCalling(client, config, FewShotRetriever.none())
                .predict(bfclRow());

        assertThat(prediction.error()).contains("arguments of the tool call 'math_factorial' in the text are"
                + " string, not a JSON object");
        assertThat(prediction.answer()).contains("\\\"arguments\\\": \\\"5\\\"");
    }

    @Test
    void textToolCallIsReadWhenEnabled() throws IOException {
        client.thenText("Calling: {\"name\": \"math_factorial\", \"arguments\": {\"number\": 5}}");
        PlannerConfig config = new PlannerConfig("model-x", PLAIN_PROMPT, null, true, true, true);

        Prediction prediction = LlmPlanner.forFunctionCalling(client, config, FewShotRetriever.none())
                .predict(bfclRow());

        assertThat(prediction.error()).isNull();
        assertThat(prediction.toolCalls()).extracting(ToolCall::name).containsExactly("math.factorial");
    }

    @Test
    void modelFailureIsErrorRow() {
        client.thenThrow(new ModelCallException(ModelCallException.Kind.THROTTLED, 429,
                "openai-compatible model-x: HTTP 429 after 5 attempts"));

        Prediction prediction = routingPlanner(FewShotRetriever.none(), PLAIN_PROMPT)
                .predict(Interaction.ofUtterance("u1", "card?", null));

        assertThat(prediction.error()).isEqualTo("model call failed (THROTTLED, HTTP 429): openai-compatible"
                + " model-x: HTTP 429 after 5 attempts");
        assertThat(prediction.label()).isNull();
        assertThat(prediction.usage()).isNull();
        assertThat(prediction.modelId()).isEqualTo("model-x");
        assertThat(prediction.promptVersion()).isEqualTo(PLAIN_PROMPT.version());
    }

    @Test
    void invalidFunctionDocumentIsErrorRowWithoutCall() throws IOException {
        Interaction row = new Interaction("bad", List.of(Turn.user("hi")), null, null,
                List.of(Json.mapper().readTree("{\"name\": \"f\", \"parameters\": {\"type\": \"set\"}}")), null);

        Prediction prediction = LlmPlanner.forFunctionCalling(client, PlannerConfig.of("model-x", PLAIN_PROMPT),
                FewShotRetriever.none()).predict(row);

        assertThat(prediction.error()).startsWith("invalid function documents: function 'f'");
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void toolTurnIsErrorRowWithoutCall() {
        Interaction row = new Interaction("t", List.of(Turn.user("hi"), new Turn("tool", "{\"ok\": true}")), null,
                null, null, null);

        Prediction prediction = routingPlanner(FewShotRetriever.none(), PLAIN_PROMPT).predict(row);

        assertThat(prediction.error()).contains("turn 1 of interaction 't' has role 'tool'");
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void promptVersionFollowsTemplateText() {
        LlmPlanner first = routingPlanner(FewShotRetriever.none(), PLAIN_PROMPT);
        LlmPlanner renamed = routingPlanner(FewShotRetriever.none(), new PromptTemplate("other", PLAIN_PROMPT.text()));
        LlmPlanner edited = routingPlanner(FewShotRetriever.none(),
                new PromptTemplate("plain", PLAIN_PROMPT.text() + " Be brief."));

        assertThat(renamed.promptVersion()).isEqualTo(first.promptVersion());
        assertThat(edited.promptVersion()).isNotEqualTo(first.promptVersion());
        assertThat(first.promptVersion()).hasSize(12).matches("[0-9a-f]{12}");
    }

    private LlmPlanner routingPlanner(FewShotRetriever retriever, PromptTemplate prompt) {
        return LlmPlanner.forRouting(client, PlannerConfig.of("model-x", prompt), RoutingTool.of(LABELS), retriever);
    }

    /** Golden examples: two card_arrival examples near (1, 0, 0), one stolen card further, one exchange far. */
    private static ExactVectorIndex goldenIndex() {
        ExactVectorIndex index = new ExactVectorIndex();
        index.upsert(List.of(
                example("g1", "card not here yet", "card_arrival", 1, 0.1f, 0),
                example("g2", "has my card shipped", "card_arrival", 1, 0.3f, 0),
                example("g3", "someone took my card", "lost_or_stolen_card", 1, 1, 0),
                example("g4", "euro rate today", "exchange_rate", 0, 0, 1)));
        return index;
    }

    private static IndexedExample example(String id, String text, String label, float... vector) {
        return new IndexedExample(id, text, label, Vectors.normalized(vector));
    }

    private static Interaction bfclRow() throws IOException {
        JsonNode function = Json.mapper().readTree("{\"name\": \"math.factorial\", \"description\": \"Factorial.\","
                + " \"parameters\": {\"type\": \"dict\", \"properties\": {\"number\": {\"type\": \"integer\","
                + " \"description\": \"The number.\"}}, \"required\": [\"number\"]}}");
        return new Interaction("simple_1", List.of(Turn.user("Calculate the factorial of 5.")), null, null,
                List.of(function), null);
    }

    private static ToolCall call(String name, String argumentsJson) {
        try {
            return new ToolCall(name, (ObjectNode) Json.mapper().readTree(argumentsJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
