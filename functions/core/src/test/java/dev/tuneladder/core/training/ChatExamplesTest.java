package dev.tuneladder.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Expected;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.planner.PromptTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatExamplesTest {

    private static final PromptTemplate PROMPT = new PromptTemplate("test", "Route the message.\n{{examples}}");
    private static final ChatExamples EXAMPLES = new ChatExamples(PROMPT, List.of("card_arrival", "top_up"));

    private static Interaction routingRow(String id, String intent) {
        return new Interaction(id, List.of(Turn.user("Where is my card?")), intent, null, null, null);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void example_routingRow_isPromptAndRouteCall() throws Exception {
        ObjectNode example = EXAMPLES.example(routingRow("b77-1", "card_arrival"));

        JsonNode messages = example.get("messages");
        assertThat(example.get("id").asText()).isEqualTo("b77-1");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).isEqualTo(json("{\"role\":\"system\",\"content\":\"Route the message.\\n\"}"));
        assertThat(messages.get(1)).isEqualTo(json("{\"role\":\"user\",\"content\":\"Where is my card?\"}"));
        assertThat(messages.get(2)).isEqualTo(json("""
                {"role":"assistant","content":"","tool_calls":[{"type":"function",
                 "function":{"name":"route","arguments":{"intent":"card_arrival"}}}]}"""));
        JsonNode tool = example.get("tools").get(0);
        assertThat(tool.path("function").path("name").asText()).isEqualTo("route");
        assertThat(tool.path("function").path("parameters").path("properties").path("intent").path("enum"))
                .isEqualTo(json("[\"card_arrival\",\"top_up\"]"));
        assertThat(ChatExamples.problem(example)).isNull();
    }

    @Test
    void example_functionCallingRow_usesOfferedTools() throws Exception {
        JsonNode document = json("""
                {"name":"math.factorial","description":"Factorial of n.",
                 "parameters":{"type":"dict","properties":{"n":{"type":"integer"}},"required":["n"]}}""");
        ObjectNode arguments = (ObjectNode) json("{\"n\":5}");
        Interaction row = new Interaction("simple_1", List.of(Turn.user("Factorial of 5?")), null,
                new Expected(List.of(new ToolCall("math.factorial", arguments)), null, null), List.of(document),
                null);

        ObjectNode example = EXAMPLES.example(row);

        JsonNode call = example.get("messages").get(2).get("tool_calls").get(0).get("function");
        String offered = example.get("tools").get(0).path("function").path("name").asText();
        assertThat(offered).matches("[a-zA-Z0-9_-]+");
        assertThat(call.get("name").asText()).isEqualTo(offered);
        assertThat(call.get("arguments")).isEqualTo(arguments);
        assertThat(example.get("tools").get(0).path("function").path("parameters").path("type").asText())
                .isEqualTo("object");
        assertThat(ChatExamples.problem(example)).isNull();
    }

    @Test
    void example_labelOutsideList_isRejected() {
        assertThatThrownBy(() -> EXAMPLES.example(routingRow("b77-2", "lost_card")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b77-2")
                .hasMessageContaining("'lost_card'")
                .hasMessageContaining("2 labels");
    }

    @Test
    void example_noLabelNoCalls_isRejected() {
        assertThatThrownBy(() -> EXAMPLES.example(routingRow("b77-3", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b77-3")
                .hasMessageContaining("neither an intent label nor expected.toolCalls");
    }

    @Test
    void example_callOfToolNotOffered_isRejected() throws Exception {
        JsonNode document = json("{\"name\":\"sum\",\"parameters\":{\"type\":\"dict\",\"properties\":{}}}");
        Interaction row = new Interaction("simple_2", List.of(Turn.user("Add them")), null,
                new Expected(List.of(ToolCall.of("product")), null, null), List.of(document), null);

        assertThatThrownBy(() -> EXAMPLES.example(row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'product'");
    }

    @Test
    void problem_badShapes_nameTheField() throws Exception {
        ObjectNode good = EXAMPLES.example(routingRow("b77-4", "top_up"));
        ObjectNode noCalls = good.deepCopy();
        ((ObjectNode) noCalls.get("messages").get(2)).remove("tool_calls");
        ObjectNode strayCall = good.deepCopy();
        ((ObjectNode) strayCall.get("messages").get(2).get("tool_calls").get(0).get("function")).put("name", "x");
        ObjectNode noTools = good.deepCopy();
        noTools.remove("tools");
        ObjectNode badRole = good.deepCopy();
        ((ObjectNode) badRole.get("messages").get(1)).put("role", "tool");

        assertThat(ChatExamples.problem(json("[1]"))).isEqualTo("the line is not a JSON object");
        assertThat(ChatExamples.problem(noCalls)).isEqualTo("the completion has no 'tool_calls'");
        assertThat(ChatExamples.problem(strayCall)).contains("tool_calls[0]").contains("does not offer");
        assertThat(ChatExamples.problem(noTools)).contains("'tools'");
        assertThat(ChatExamples.problem(badRole)).contains("messages[1].role");
    }

    @Test
    void inValidation_holdsOutNearFraction() {
        TrainingDataSettings settings = new TrainingDataSettings(0.1, 7, 1, 100_000, 1 << 20, 1L << 30);
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            if (settings.inValidation("row-" + i)) {
                held++;
            }
        }

        assertThat(held).isBetween(900, 1100);
        assertThat(settings.inValidation("row-17")).isEqualTo(settings.inValidation("row-17"));
        assertThat(TrainingDataSettings.defaults().inValidation("row-17")).isFalse();
    }
}
