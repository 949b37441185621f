package dev.tuneladder.core.evaluation.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.metrics.MetricsFormatException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallMetricsStateJsonTest {

    private static final Map<String, FunctionDoc> OFFERED = FunctionDoc.byName(List.of(doc("alpha"), doc("beta")));

    private static JsonNode doc(String name) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("name", name);
        ObjectNode parameters = doc.putObject("parameters");
        parameters.putObject("properties").putObject("n").put("type", "integer");
        parameters.putArray("required").add("n");
        return doc;
    }

    private static ToolCall call(String tool, Object value) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        arguments.set("n", value instanceof Integer n ? IntNode.valueOf(n) : TextNode.valueOf(value.toString()));
        return new ToolCall(tool, arguments);
    }

    private static AcceptedCall reference(String tool, int value) {
        return new AcceptedCall(tool, Map.of("n", List.of(IntNode.valueOf(value))));
    }

    /**
     * Adds rows {@code from} to {@code to} of a fixed table: exact matches, a wrong value, a wrong type, a call
     * count error and calls to "gamma" and "delta", which no reference calls (hard fails).
     */
    private static ToolCallMetricsState rows(ToolCallMetricsState state, int from, int to) {
        List<List<ToolCall>> produced = List.of(
                List.of(call("alpha", 1)),
                List.of(call("alpha", 2)),
                List.of(call("beta", "x")),
                List.of(call("alpha", 1), call("beta", 1)),
                List.of(call("gamma", 1)),
                List.of(),
                List.of(call("beta", 3)),
                List.of(call("delta", 1)));
        List<List<AcceptedCall>> expected = List.of(
                List.of(reference("alpha", 1)),
                List.of(reference("alpha", 1)),
                List.of(reference("beta", 1)),
                List.of(reference("alpha", 1)),
                List.of(reference("alpha", 1)),
                List.of(reference("beta", 2)),
                List.of(reference("beta", 3)),
                List.of(reference("alpha", 1)));
        for (int i = from; i < to; i++) {
            state.add("r" + i, produced.get(i), expected.get(i), OFFERED);
        }
        return state;
    }

    private static JsonNode roundTrip(ToolCallMetricsState state) throws Exception {
        return Json.mapper().readTree(Json.mapper().writeValueAsString(state.toJson()));
    }

    @Test
    void fromJson_ofToJson_givesSameResult() throws Exception {
        ToolCallMetricsState original = rows(new ToolCallMetricsState(40, 3, 2), 0, 8);

        ToolCallMetricsState restored = ToolCallMetricsState.fromJson(roundTrip(original), "state.json");

        assertThat(restored.result()).isEqualTo(original.result());
        assertThat(restored.toJson()).isEqualTo(original.toJson());
    }

    @Test
    void fromJson_twoPartitions_mergeToSinglePass() throws Exception {
        ToolCallMetricsState single = rows(new ToolCallMetricsState(40, 3, 2), 0, 8);
        JsonNode first = roundTrip(rows(new ToolCallMetricsState(40, 3, 2), 0, 5));
        JsonNode second = roundTrip(rows(new ToolCallMetricsState(40, 3, 2), 5, 8));

        ToolCallMetricsState merged = ToolCallMetricsState.fromJson(second, "part-1")
                .merge(ToolCallMetricsState.fromJson(first, "part-0"));

        ToolCallMetrics expected = single.result();
        ToolCallMetrics actual = merged.result();
        assertThat(actual.hardFails()).isEqualTo(expected.hardFails());
        assertThat(actual.failureReasons()).isEqualTo(expected.failureReasons());
        assertThat(actual.exactMatchRateCi95()).isEqualTo(expected.exactMatchRateCi95());
        assertThat(actual).isEqualTo(expected);
        assertThat(merged.toJson()).isEqualTo(single.toJson());
    }

    @Test
    void fromJson_wrongReplicateCount_namesFieldAndSource() {
        ObjectNode json = rows(new ToolCallMetricsState(4, 3, 2), 0, 2).toJson();
        json.putArray("weightedRows").add(1);

        assertThatThrownBy(() -> ToolCallMetricsState.fromJson(json, "runs/r1/partials/p.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("runs/r1/partials/p.json")
                .hasMessageContaining("weightedRows")
                .hasMessageContaining("4 bootstrap replicates");
    }

    @Test
    void fromJson_unknownFailureReason_isRejected() {
        ObjectNode json = rows(new ToolCallMetricsState(4, 3, 2), 0, 2).toJson();
        json.putObject("failureReasons").put("WRONG_COLOUR", 1);

        assertThatThrownBy(() -> ToolCallMetricsState.fromJson(json, "p.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("WRONG_COLOUR");
    }

    @Test
    void fromJson_otherFormat_isRejected() {
        ObjectNode json = rows(new ToolCallMetricsState(4, 3, 2), 0, 2).toJson();
        json.put("format", 2);

        assertThatThrownBy(() -> ToolCallMetricsState.fromJson(json, "p.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("format 2");
    }
}
