package dev.tuneladder.core.evaluation.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Expected;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.metrics.LabelScores;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallMetricsStateTest {

    private static final List<JsonNode> TOOLS = List.of(
            doc("get_stock_price", "symbol"),
            doc("send_crypto", "wallet"),
            doc("get_weather", "city"),
            doc("convert_currency", "pair"));

    private static JsonNode doc(String name, String parameter) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("name", name);
        ObjectNode parameters = doc.putObject("parameters").put("type", "dict");
        parameters.putObject("properties").putObject(parameter).put("type", "string");
        parameters.putArray("required").add(parameter);
        return doc;
    }

    private static ToolCall call(String name, String parameter, String value) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put(parameter, value);
        return new ToolCall(name, arguments);
    }

    private static AcceptedCall reference(String name, String parameter, String value) {
        return new AcceptedCall(name, Map.of(parameter, List.of(JsonNodeFactory.instance.textNode(value))));
    }

    /**
     * Five rows over four tools:
     * <pre>
     * row  reference                              produced                                outcome
     * r1   get_stock_price(AAPL)                  send_crypto(w1)                         WRONG_FUNCTION, hard fail
     * r2   get_weather(Boston), get_weather(Paris) get_weather(Boston)                    CALL_COUNT
     * r3   get_stock_price(MSFT), convert_currency get_stock_price(MSFT), convert_currency exact
     * r4   get_stock_price(TSLA)                  get_stock_price(TSLA) twice             CALL_COUNT
     * r5   get_weather(Oslo)                      get_weather(Bergen)                     VALUE_NOT_ACCEPTED
     * </pre>
     * Call counts per tool, tp = min(produced, reference) per row:
     * <pre>
     * get_stock_price   r1: fn 1; r3: tp 1; r4: tp 1, fp 1   → tp 2, fp 1, fn 1
     *                   P = 2/3, R = 2/3, F1 = 2·2 / (2·2 + 1 + 1) = 2/3, support 3
     * send_crypto       r1: fp 1                              → P = R = F1 = 0, support 0
     * get_weather       r2: tp 1, fn 1; r5: tp 1              → tp 2, fp 0, fn 1
     *                   P = 1, R = 2/3, F1 = 4/5, support 3
     * convert_currency  r3: tp 1                              → P = R = F1 = 1, support 1
     * micro             tp 5, fp 2, fn 2                      → P = R = F1 = 5/7
     * macro             P = (2/3 + 0 + 1 + 1) / 4 = 2/3
     *                   R = (2/3 + 0 + 2/3 + 1) / 4 = 7/12
     *                   F1 = (2/3 + 0 + 4/5 + 1) / 4 = 37/60
     * </pre>
     * Exact match rate 1/5. The crypto-wallet call for a stock-price question is the one hard fail.
     */
    @Test
    void result_handComputedExample() {
        ToolCallMetricsState state = new ToolCallMetricsState(200, 7L, 5);

        state.add("r1", List.of(call("send_crypto", "wallet", "w1")),
                List.of(reference("get_stock_price", "symbol", "AAPL")), TOOLS);
        state.add("r2", List.of(call("get_weather", "city", "Boston")),
                List.of(reference("get_weather", "city", "Boston"), reference("get_weather", "city", "Paris")), TOOLS);
        state.add("r3", List.of(call("get_stock_price", "symbol", "MSFT"), call("convert_currency", "pair", "USDEUR")),
                List.of(reference("get_stock_price", "symbol", "MSFT"), reference("convert_currency", "pair",
                        "USD/EUR")), TOOLS);
        state.add("r4", List.of(call("get_stock_price", "symbol", "TSLA"), call("get_stock_price", "symbol", "TSLA")),
                List.of(reference("get_stock_price", "symbol", "TSLA")), TOOLS);
        state.add("r5", List.of(call("get_weather", "city", "Bergen")),
                List.of(reference("get_weather", "city", "Oslo")), TOOLS);
        ToolCallMetrics metrics = state.result();

        assertThat(metrics.rows()).isEqualTo(5);
        assertThat(metrics.exactMatches()).isEqualTo(1);
        assertThat(metrics.exactMatchRate()).isEqualTo(0.2);
        assertThat(metrics.perTool()).containsOnlyKeys("convert_currency", "get_stock_price", "get_weather",
                "send_crypto");
        assertScores(metrics.perTool().get("get_stock_price"), 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
        assertScores(metrics.perTool().get("send_crypto"), 0, 0, 0, 0);
        assertScores(metrics.perTool().get("get_weather"), 1, 2.0 / 3, 0.8, 3);
        assertScores(metrics.perTool().get("convert_currency"), 1, 1, 1, 1);
        assertThat(metrics.micro().precision()).isCloseTo(5.0 / 7, offset(1e-12));
        assertThat(metrics.micro().recall()).isCloseTo(5.0 / 7, offset(1e-12));
        assertThat(metrics.micro().f1()).isCloseTo(5.0 / 7, offset(1e-12));
        assertThat(metrics.macro().precision()).isCloseTo(2.0 / 3, offset(1e-12));
        assertThat(metrics.macro().recall()).isCloseTo(7.0 / 12, offset(1e-12));
        assertThat(metrics.macro().f1()).isCloseTo(37.0 / 60, offset(1e-12));
        EnumMap<FailureReason, Long> reasons = new EnumMap<>(FailureReason.class);
        reasons.put(FailureReason.CALL_COUNT, 2L);
        reasons.put(FailureReason.WRONG_FUNCTION, 1L);
        reasons.put(FailureReason.MISSING_REQUIRED_ARGUMENT, 0L);
        reasons.put(FailureReason.UNEXPECTED_ARGUMENT, 0L);
        reasons.put(FailureReason.WRONG_TYPE, 0L);
        reasons.put(FailureReason.VALUE_NOT_ACCEPTED, 1L);
        assertThat(metrics.failureReasons()).containsExactlyEntriesOf(reasons);
        assertThat(metrics.hardFails()).containsExactly(
                new HardFail(List.of("get_stock_price"), "send_crypto", 1, 1, List.of("r1")));
        assertThat(metrics.exactMatchRateCi95().contains(0.2)).isTrue();
    }

    private static void assertScores(LabelScores scores, double precision, double recall, double f1, long support) {
        assertThat(scores.precision()).as("precision").isCloseTo(precision, offset(1e-12));
        assertThat(scores.recall()).as("recall").isCloseTo(recall, offset(1e-12));
        assertThat(scores.f1()).as("f1").isCloseTo(f1, offset(1e-12));
        assertThat(scores.support()).as("support").isEqualTo(support);
    }

    @Test
    void hardFails_keepSmallestRowIdsUpToCap() {
        ToolCallMetricsState state = new ToolCallMetricsState(10, 1L, 2);

        for (String rowId : List.of("q7", "q3", "q9", "q1")) {
            state.add(rowId, List.of(call("send_crypto", "wallet", "w"), call("send_crypto", "wallet", "w")),
                    List.of(), TOOLS);
        }
        state.add("q5", List.of(call("get_weather", "city", "Oslo")), List.of(), TOOLS);
        ToolCallMetrics metrics = state.result();

        assertThat(metrics.hardFails()).containsExactly(
                new HardFail(List.of(), "send_crypto", 8, 4, List.of("q1", "q3")),
                new HardFail(List.of(), "get_weather", 1, 1, List.of("q5")));
        assertThat(metrics.failureReasons().get(FailureReason.CALL_COUNT)).isEqualTo(5);
        assertThat(metrics.micro().precision()).isZero();
        assertThat(metrics.macro().f1()).isZero();
    }

    @Test
    void addInteraction_usesConcreteToolCallsWhenNoAcceptedCalls() {
        Interaction row = new Interaction("i1", List.of(Turn.user("weather in Oslo?")), null,
                new Expected(List.of(call("get_weather", "city", "Oslo")), null, null), TOOLS, null);
        Prediction right = new Prediction("i1", null, null, List.of(call("get_weather", "city", "oslo")), null, null,
                null, "m", null, null);
        ToolCallMetricsState state = new ToolCallMetricsState();

        PlanCheck withPrediction = state.add(row, right);
        PlanCheck missing = state.add(row, null);

        assertThat(withPrediction.isExactMatch()).isTrue();
        assertThat(missing.reason()).isEqualTo(FailureReason.CALL_COUNT);
        assertThat(state.result().exactMatches()).isEqualTo(1);
    }

    @Test
    void addInteraction_withoutExpectedIsRejected() {
        Interaction row = Interaction.ofUtterance("i2", "hello", "greeting");

        assertThatThrownBy(() -> new ToolCallMetricsState().add(row, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("row 'i2' has no expected outcome");
    }

    @Test
    void merge_differentSettingsIsRejected() {
        ToolCallMetricsState state = new ToolCallMetricsState(10, 1L, 5);

        assertThatThrownBy(() -> state.merge(new ToolCallMetricsState(10, 2L, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different settings");
        assertThatThrownBy(() -> state.merge(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("itself");
    }

    @Test
    void result_emptyStateIsRejected() {
        assertThatThrownBy(() -> new ToolCallMetricsState().result())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no rows were added");
    }
}
