package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.TokenUsage;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetricsDocumentTest {

    private static RoutingMetrics sampleMetrics(long seed) {
        RoutingMetricsState state = new RoutingMetricsState(200, seed);
        String[][] rows = {
            {"a", "a"}, {"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "d"}, {"c", "a"}, {"c", "b"}, {"b", "b"}, {"c", null},
        };
        for (int i = 0; i < rows.length; i++) {
            state.add("row-" + i, rows[i][0], rows[i][1]);
        }
        return state.result();
    }

    private static MetricsDocument sampleDocument() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("timings", Map.of("evaluateMillis", 1250, "totalMillis", 1400));
        extra.put("config", Map.of("k", 5, "router", "knn-majority", "threshold", 0.75));
        extra.put("tags", List.of("baseline", "local"));
        return new MetricsDocument(List.of(
                MetricsDocument.Run.of("baseline", sampleMetrics(42), extra),
                MetricsDocument.Run.of("candidate", sampleMetrics(7), Map.of())));
    }

    @Test
    void read_writtenDocument_equalsOriginal() {
        MetricsDocument document = sampleDocument();
        StringWriter out = new StringWriter();

        document.write(out);
        MetricsDocument read = MetricsDocument.read(new StringReader(out.toString()), "metrics.json");

        assertThat(read).isEqualTo(document);
        assertThat(read.toJson()).isEqualTo(out.toString());
    }

    @Test
    void toJson_routingKeys_inContractOrder() throws Exception {
        JsonNode root = Json.mapper().readTree(sampleDocument().toJson());
        JsonNode run = root.get("runs").get(0);
        JsonNode routing = run.get("routing");

        assertThat(fieldNames(root)).containsExactly("runs");
        assertThat(fieldNames(run)).containsExactly("name", "routing", "extra");
        assertThat(fieldNames(routing)).containsExactly("rows", "accuracy", "macroF1", "microF1", "weightedF1",
                "macroPrecision", "macroRecall", "ci95", "perLabel", "topConfusions");
        assertThat(fieldNames(routing.get("ci95"))).containsExactly("accuracy", "macroF1");
        assertThat(fieldNames(routing.get("ci95").get("accuracy"))).containsExactly("low", "high");
        assertThat(fieldNames(routing.get("perLabel"))).containsExactly("a", "b", "c", "d");
        assertThat(fieldNames(routing.get("perLabel").get("a"))).containsExactly("precision", "recall", "f1",
                "support");
        assertThat(fieldNames(routing.get("topConfusions").get(0))).containsExactly("gold", "predicted", "count");
        assertThat(fieldNames(run.get("extra"))).containsExactly("config", "tags", "timings");
    }

    @Test
    void toJson_runWithoutExtra_omitsExtra() throws Exception {
        JsonNode run = Json.mapper().readTree(sampleDocument().toJson()).get("runs").get(1);

        assertThat(fieldNames(run)).containsExactly("name", "routing");
    }

    /** The exact bytes of a small document, so a change to the layout shows up as a failing test. */
    @Test
    void toJson_smallDocument_exactText() {
        RoutingSummary routing = new RoutingSummary(4, 0.75, 0.5, 0.75, 0.625, 0.5, 0.5,
                new RoutingCi95(new ConfidenceInterval(0.25, 1.0), new ConfidenceInterval(0.125, 1.0)),
                new TreeMap<>(Map.of("b", new LabelScores(0.0, 0.0, 0.0, 1), "a", new LabelScores(1.0, 1.0, 1.0, 3))),
                List.of(new Confusion("b", "a", 1)));
        MetricsDocument document = MetricsDocument.of(new MetricsDocument.Run("run-1", routing,
                Map.of("seed", 42)));

        assertThat(document.toJson()).isEqualTo("""
                {
                  "runs": [
                    {
                      "name": "run-1",
                      "routing": {
                        "rows": 4,
                        "accuracy": 0.75,
                        "macroF1": 0.5,
                        "microF1": 0.75,
                        "weightedF1": 0.625,
                        "macroPrecision": 0.5,
                        "macroRecall": 0.5,
                        "ci95": {
                          "accuracy": {
                            "low": 0.25,
                            "high": 1.0
                          },
                          "macroF1": {
                            "low": 0.125,
                            "high": 1.0
                          }
                        },
                        "perLabel": {
                          "a": {
                            "precision": 1.0,
                            "recall": 1.0,
                            "f1": 1.0,
                            "support": 3
                          },
                          "b": {
                            "precision": 0.0,
                            "recall": 0.0,
                            "f1": 0.0,
                            "support": 1
                          }
                        },
                        "topConfusions": [
                          {
                            "gold": "b",
                            "predicted": "a",
                            "count": 1
                          }
                        ]
                      },
                      "extra": {
                        "seed": 42
                      }
                    }
                  ]
                }
                """);
    }

    @Test
    void runOf_keepsTwentyConfusions() {
        RoutingMetricsState state = new RoutingMetricsState(10, 1);
        for (int i = 0; i < 30; i++) {
            state.add("row-" + i, "gold_" + i, "predicted_" + i);
        }

        MetricsDocument.Run run = MetricsDocument.Run.of("many", state.result(), null);

        assertThat(run.routing().topConfusions()).hasSize(RoutingSummary.DEFAULT_TOP_CONFUSIONS);
        assertThat(run.extra()).isEmpty();
    }

    @Test
    void read_unknownKey_rejectedNamingSourceAndKey() {
        String json = sampleDocument().toJson().replace("\"macroRecall\"", "\"macroRecal\"");

        assertThatThrownBy(() -> MetricsDocument.read(new StringReader(json), "runs/r1/metrics.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("runs/r1/metrics.json")
                .hasMessageContaining("macroRecal")
                .hasMessageContaining("line ");
    }

    @Test
    void read_missingRate_rejected() throws Exception {
        JsonNode root = Json.mapper().readTree(sampleDocument().toJson());
        ((ObjectNode) root.get("runs").get(0).get("routing")).remove("accuracy");
        String json = Json.mapper().writeValueAsString(root);

        assertThatThrownBy(() -> MetricsDocument.read(new StringReader(json), "metrics.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("accuracy");
    }

    @Test
    void read_rateOutOfRange_rejectedNamingField() {
        String json = sampleDocument().toJson().replaceFirst("\"macroF1\": [0-9.E-]+", "\"macroF1\": 1.5");

        assertThatThrownBy(() -> MetricsDocument.read(new StringReader(json), "metrics.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("macroF1 must be in [0, 1], got 1.5");
    }

    @Test
    void read_notJson_rejected() {
        assertThatThrownBy(() -> MetricsDocument.read(new StringReader("{\"runs\": ["), "metrics.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("metrics.json is not a valid metrics document");
    }

    @Test
    void constructor_duplicateRunNames_rejected() {
        MetricsDocument.Run run = MetricsDocument.Run.of("baseline", sampleMetrics(42), Map.of());

        assertThatThrownBy(() -> new MetricsDocument(List.of(run, run)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two runs named 'baseline'");
    }

    @Test
    void constructor_noRuns_rejected() {
        assertThatThrownBy(() -> new MetricsDocument(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one run");
    }

    /** 10 rows, 7 exact matches; the 3 failures are 2 CALL_COUNT and 1 WRONG_TYPE. */
    static ToolCallSummary sampleToolCalls(boolean withSimilarity) {
        TreeMap<String, Long> reasons = new TreeMap<>(Map.of("CALL_COUNT", 2L, "WRONG_TYPE", 1L,
                "WRONG_FUNCTION", 0L));
        TreeMap<String, LabelScores> perTool = new TreeMap<>(Map.of(
                "get_stock_price", new LabelScores(0.8, 1.0, 0.8888888888888888, 8),
                "send_crypto", new LabelScores(0.0, 0.0, 0.0, 0)));
        List<ToolCallSummary.HardFail> hardFails = List.of(new ToolCallSummary.HardFail(
                List.of("get_stock_price"), "send_crypto", 2, 2, List.of("row-3", "row-7")));
        ToolCallSummary.ArgumentSimilarity similarity = withSimilarity
                ? new ToolCallSummary.ArgumentSimilarity("test-model", 0.8, 10, 9, 0.91, 1, List.of("row-3"))
                : null;
        return new ToolCallSummary(10, 7, 0.7, new ConfidenceInterval(0.4, 1.0), new AveragedScores(0.8, 1.0,
                0.888), new AveragedScores(0.4, 0.5, 0.444), reasons, perTool, hardFails, similarity);
    }

    private static MetricsDocument.Run runWithEverySection() {
        LatencyState latency = new LatencyState();
        for (long millis = 1; millis <= 40; millis++) {
            latency.addEndToEnd(millis * 3);
        }
        UsageCostState usage = new UsageCostState();
        usage.add("m1", new TokenUsage(1000, 50, 10, 0), true);
        usage.add("m1", new TokenUsage(800, 40, 0, 5), false);
        PriceTable prices = new PriceTable("USD", Map.of("m1", new ModelPrice(3, 15, 0.3, 3.75)));
        return new MetricsDocument.Run("everything", RoutingSummary.of(sampleMetrics(42)), sampleToolCalls(true),
                latency.result(), latency.histogram(LatencyState.END_TO_END), usage.result(prices),
                Map.of("rejectedRows", 0));
    }

    @Test
    void read_runWithEverySection_equalsOriginal() {
        MetricsDocument document = MetricsDocument.of(runWithEverySection());

        MetricsDocument read = MetricsDocument.read(new StringReader(document.toJson()), "metrics.json");

        assertThat(read).isEqualTo(document);
        assertThat(read.toJson()).isEqualTo(document.toJson());
    }

    @Test
    void toJson_everySection_keysInContractOrder() throws Exception {
        JsonNode run = Json.mapper().readTree(MetricsDocument.of(runWithEverySection()).toJson()).get("runs").get(0);
        JsonNode toolCalls = run.get("toolCalls");

        assertThat(fieldNames(run)).containsExactly("name", "routing", "toolCalls", "latency", "latencyHistogram",
                "cost", "extra");
        assertThat(fieldNames(toolCalls)).containsExactly("rows", "exactMatches", "exactMatchRate",
                "exactMatchRateCi95", "micro", "macro", "failureReasons", "perTool", "hardFails",
                "argumentSimilarity");
        assertThat(fieldNames(toolCalls.get("failureReasons"))).containsExactly("CALL_COUNT", "WRONG_FUNCTION",
                "WRONG_TYPE");
        assertThat(fieldNames(toolCalls.get("hardFails").get(0))).containsExactly("referenceTools", "calledTool",
                "calls", "rows", "sampleRowIds");
        assertThat(fieldNames(run.get("latency").get(LatencyState.END_TO_END))).containsExactly("count",
                "minMillis", "maxMillis", "meanMillis", "p50Millis", "p90Millis", "p95Millis", "p99Millis");
        assertThat(fieldNames(run.get("latencyHistogram").get(0))).containsExactly("aboveMillis", "upToMillis",
                "count");
        assertThat(run.get("cost").get("costPerCorrect").asDouble()).isGreaterThan(0);
    }

    @Test
    void toJson_toolCallRun_leavesOutAbsentSections() throws Exception {
        MetricsDocument document = MetricsDocument.of(new MetricsDocument.Run("planner", null,
                sampleToolCalls(false), null, null, null, null));

        JsonNode run = Json.mapper().readTree(document.toJson()).get("runs").get(0);

        assertThat(fieldNames(run)).containsExactly("name", "toolCalls");
        assertThat(run.get("toolCalls").has("argumentSimilarity")).isFalse();
        assertThat(MetricsDocument.read(new StringReader(document.toJson()), "metrics.json")).isEqualTo(document);
    }

    @Test
    void constructor_noRoutingNoToolCalls_rejected() {
        assertThatThrownBy(() -> new MetricsDocument.Run("empty", null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run 'empty' has neither a 'routing' nor a 'toolCalls' section");
    }

    @Test
    void toolCallSummary_reasonsNotAddingUp_rejected() {
        ToolCallSummary valid = sampleToolCalls(false);
        TreeMap<String, Long> reasons = new TreeMap<>(Map.of("CALL_COUNT", 1L));

        assertThatThrownBy(() -> new ToolCallSummary(valid.rows(), valid.exactMatches(), valid.exactMatchRate(),
                valid.exactMatchRateCi95(), valid.micro(), valid.macro(), reasons, valid.perTool(),
                valid.hardFails(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failure reasons add up to 1 rows, but 3 rows failed");
    }

    @Test
    void read_toolCallsWithoutRows_rejectedNamingField() throws Exception {
        MetricsDocument document = MetricsDocument.of(new MetricsDocument.Run("planner", null,
                sampleToolCalls(false), null, null, null, null));
        JsonNode root = Json.mapper().readTree(document.toJson());
        ((ObjectNode) root.get("runs").get(0).get("toolCalls")).remove("rows");
        String json = Json.mapper().writeValueAsString(root);

        assertThatThrownBy(() -> MetricsDocument.read(new StringReader(json), "metrics.json"))
                .isInstanceOf(MetricsFormatException.class)
                .hasMessageContaining("rows");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
