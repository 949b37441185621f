package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;
import org.junit.jupiter.api.Test;

class RoutingMetricsStateJsonTest {

    private static RoutingMetricsState rows(RoutingMetricsState state, int from, int to) {
        String[] gold = {"a", "a", "b", "b", "c", "c", "a", "b"};
        String[] predicted = {"a", "b", "b", "d", "a", null, "a", "b"};
        for (int i = from; i < to; i++) {
            state.add("r" + i, gold[i], predicted[i]);
        }
        return state;
    }

    @Test
    void fromJson_ofToJson_givesTheSameResult() throws Exception {
        RoutingMetricsState original = rows(new RoutingMetricsState(40, 3), 0, 8);
        String text = Json.mapper().writeValueAsString(original.toJson());

        RoutingMetricsState restored = RoutingMetricsState.fromJson(Json.mapper().readTree(text), "state.json");

        assertThat(restored.result()).isEqualTo(original.result());
        assertThat(restored.toJson()).isEqualTo(original.toJson());
    }

    @Test
    void fromJson_partialStates_mergeToTheSinglePassResult() throws Exception {
        RoutingMetricsState single = rows(new RoutingMetricsState(40, 3), 0, 8);
        JsonNode first = Json.mapper().readTree(rows(new RoutingMetricsState(40, 3), 0, 5).toJson().toString());
        JsonNode second = Json.mapper().readTree(rows(new RoutingMetricsState(40, 3), 5, 8).toJson().toString());

        RoutingMetricsState merged = RoutingMetricsState.fromJson(first, "part-0")
                .merge(RoutingMetricsState.fromJson(second, "part-1"));

        assertThat(merged.result()).isEqualTo(single.result());
    }

    @Test
    void fromJson_wrongReplicateCount_namesFieldAndSource() {
        ObjectNode json = rows(new RoutingMetricsState(4, 3), 0, 2).toJson();
        ((ObjectNode) json.get("labels").get(0)).putArray("weightedTp").add(1);

        assertThatThrownBy(() -> RoutingMetricsState.fromJson(json, "runs/r1/part-0.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("runs/r1/part-0.json")
                .hasMessageContaining("weightedTp")
                .hasMessageContaining("4 bootstrap replicates");
    }

    @Test
    void fromJson_otherFormat_isRejected() {
        ObjectNode json = rows(new RoutingMetricsState(4, 3), 0, 2).toJson();
        json.put("format", 2);

        assertThatThrownBy(() -> RoutingMetricsState.fromJson(json, "s"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("format 2");
    }
}
