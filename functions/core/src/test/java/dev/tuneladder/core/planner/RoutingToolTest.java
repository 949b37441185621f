package dev.tuneladder.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingToolTest {

    @Test
    void toolSetListsEveryLabel() {
        ToolSet tools = RoutingTool.of(List.of("card_arrival", "lost_or_stolen_card")).toolSet();

        assertThat(tools.specs()).hasSize(1);
        ObjectNode schema = tools.specs().get(0).inputSchema();
        assertThat(tools.specs().get(0).name()).isEqualTo("route");
        assertThat(schema.at("/properties/intent/enum").toString())
                .isEqualTo("[\"card_arrival\",\"lost_or_stolen_card\"]");
        assertThat(schema.at("/required").toString()).isEqualTo("[\"intent\"]");
    }

    @Test
    void duplicateLabelIsRejected() {
        assertThatThrownBy(() -> RoutingTool.of(List.of("a", "b", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a' is listed twice");
    }
}
