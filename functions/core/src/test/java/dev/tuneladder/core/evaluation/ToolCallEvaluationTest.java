package dev.tuneladder.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.evaluation.toolcalls.ArgumentSimilarity;
import dev.tuneladder.core.evaluation.toolcalls.FailureReason;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetrics;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetricsState;
import dev.tuneladder.core.metrics.ToolCallSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ToolCallEvaluationTest {

    private static final String TOOLS = "[{\"name\": \"get_weather\", \"parameters\": {\"type\": \"dict\","
            + " \"properties\": {\"city\": {\"type\": \"string\"}, \"days\": {\"type\": \"integer\"}},"
            + " \"required\": [\"city\"]}}, {\"name\": \"send_crypto\", \"parameters\": {\"type\": \"dict\","
            + " \"properties\": {\"amount\": {\"type\": \"float\"}}, \"required\": [\"amount\"]}}]";

    /** Creates a row that expects get_weather(city=CITY) with days omitted or 3. */
    private static Interaction row(String id, String city) {
        return parse("{\"id\": \"" + id + "\", \"turns\": [{\"role\": \"user\", \"content\": \"weather\"}],"
                + " \"expected\": {\"acceptedCalls\": [{\"name\": \"get_weather\", \"acceptedValues\": {\"city\": [\""
                + city + "\"], \"days\": [\"\", 3]}}]}, \"tools\": " + TOOLS + "}", Interaction.class);
    }

    private static Prediction prediction(String id, String callsJson) {
        return parse("{\"id\": \"" + id + "\", \"toolCalls\": " + callsJson + "}", Prediction.class);
    }

    private static <T> T parse(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ToolCallMetricsState state() {
        return new ToolCallMetricsState(200, 42L, 5);
    }

    @Test
    void evaluate_missingAndFailedPredictions_countAsNoCalls() {
        List<Interaction> rows = List.of(row("r1", "Paris"), row("r2", "Rome"), row("r3", "Oslo"));
        List<Prediction> predictions = List.of(
                prediction("r1", "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]"),
                new Prediction("r3", null, null, null, null, 12L, null, "m1", null, "timed out"));

        ToolCallEvaluation.Result result = ToolCallEvaluation.evaluate(rows, predictions, state(), null, 5);

        assertThat(result.metrics().rows()).isEqualTo(3);
        assertThat(result.metrics().exactMatches()).isEqualTo(1);
        assertThat(result.missingPredictions()).isEqualTo(1);
        assertThat(result.failedPredictions()).isEqualTo(1);
        assertThat(result.failures()).containsExactly(
                new ToolCallEvaluation.RowFailure("r2", FailureReason.CALL_COUNT,
                        "produced 0 calls where the reference has 1"),
                new ToolCallEvaluation.RowFailure("r3", FailureReason.CALL_COUNT,
                        "produced 0 calls where the reference has 1"));
        assertThat(result.similarity()).isNull();
    }

    @Test
    void evaluate_failedRows_recordReasonAndDetail() {
        List<Interaction> rows = List.of(row("r1", "Paris"), row("r2", "Rome"));
        List<Prediction> predictions = List.of(
                prediction("r1", "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Lyon\"}}]"),
                prediction("r2", "[{\"name\": \"send_crypto\", \"arguments\": {\"amount\": 5}}]"));

        ToolCallEvaluation.Result result = ToolCallEvaluation.evaluate(rows, predictions, state(), null, 5);

        assertThat(result.failures()).extracting(ToolCallEvaluation.RowFailure::reason)
                .containsExactly(FailureReason.VALUE_NOT_ACCEPTED, FailureReason.WRONG_FUNCTION);
        assertThat(result.failures().get(0).detail()).contains("argument 'city' of 'get_weather'")
                .doesNotContain("Lyon");
        assertThat(result.metrics().hardFails()).singleElement()
                .satisfies(hardFail -> assertThat(hardFail.calledTool()).isEqualTo("send_crypto"));
    }

    @Test
    void evaluate_concreteExpectedCalls_takenAsExactValues() {
        Interaction concrete = parse("{\"id\": \"c1\", \"turns\": [{\"role\": \"user\", \"content\": \"weather\"}],"
                + " \"expected\": {\"toolCalls\": [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}]},"
                + " \"tools\": " + TOOLS + "}", Interaction.class);

        ToolCallEvaluation.Result exact = ToolCallEvaluation.evaluate(List.of(concrete), List.of(prediction("c1",
                "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"oslo\"}}]")), state(), null, 5);
        ToolCallEvaluation.Result extra = ToolCallEvaluation.evaluate(List.of(concrete), List.of(prediction("c1",
                "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\", \"days\": 3}}]")), state(), null, 5);

        assertThat(ToolCallEvaluation.hasExpectedCalls(concrete)).isTrue();
        assertThat(exact.metrics().exactMatches()).isEqualTo(1);
        assertThat(extra.failures()).extracting(ToolCallEvaluation.RowFailure::reason)
                .containsExactly(FailureReason.UNEXPECTED_ARGUMENT);
    }

    @Test
    void evaluate_predictionForUnknownRow_rejected() {
        List<Prediction> predictions = List.of(prediction("r9", "[]"));

        assertThatThrownBy(() -> ToolCallEvaluation.evaluate(List.of(row("r1", "Paris")), predictions, state(),
                null, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 predictions name ids that are not in the dataset");
    }

    @Test
    void hasExpectedCalls_rowWithoutCalls_false() {
        assertThat(ToolCallEvaluation.hasExpectedCalls(Interaction.ofUtterance("u1", "hello", "greeting")))
                .isFalse();
    }

    @Test
    void summary_copiesEveryMetric() {
        List<Interaction> rows = List.of(row("r1", "Paris"), row("r2", "Rome"));
        List<Prediction> predictions = List.of(
                prediction("r1", "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]"),
                prediction("r2", "[{\"name\": \"send_crypto\", \"arguments\": {\"amount\": 5.0}}]"));
        ToolCallEvaluation.Result result = ToolCallEvaluation.evaluate(rows, predictions, state(), null, 5);
        ToolCallMetrics metrics = result.metrics();

        ToolCallSummary summary = result.summary(null, null);

        assertThat(summary.rows()).isEqualTo(metrics.rows());
        assertThat(summary.exactMatches()).isEqualTo(metrics.exactMatches());
        assertThat(summary.exactMatchRate()).isEqualTo(metrics.exactMatchRate());
        assertThat(summary.exactMatchRateCi95()).isEqualTo(metrics.exactMatchRateCi95());
        assertThat(summary.micro()).isEqualTo(metrics.micro());
        assertThat(summary.macro()).isEqualTo(metrics.macro());
        assertThat(summary.perTool()).isEqualTo(metrics.perTool());
        assertThat(summary.failureReasons()).hasSize(FailureReason.values().length)
                .containsEntry("WRONG_FUNCTION", 1L).containsEntry("CALL_COUNT", 0L);
        assertThat(summary.hardFails()).singleElement().satisfies(hardFail -> {
            assertThat(hardFail.referenceTools()).containsExactly("get_weather");
            assertThat(hardFail.calledTool()).isEqualTo("send_crypto");
            assertThat(hardFail.sampleRowIds()).containsExactly("r2");
        });
        assertThat(summary.argumentSimilarity()).isNull();
    }

    /** More rows than one similarity batch, so the flagged rows must survive the batching. */
    @Test
    void evaluate_similarity_flagsDistantValuesAcrossBatches() {
        List<Interaction> rows = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String id = String.format(Locale.ROOT, "r%04d", i);
            rows.add(row(id, "Paris"));
            String city = "Paris";
            if (i % 100 == 7) {
                city = "Quxy";
            } else if (i % 2 == 1) {
                city = "Parisx";
            }
            predictions.add(prediction(id, "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"" + city
                    + "\"}}]"));
        }
        ArgumentSimilarity similarity = new ArgumentSimilarity(new LetterCountEmbedder(), 0.5);

        ToolCallEvaluation.Result result = ToolCallEvaluation.evaluate(rows, predictions, state(), similarity, 5);
        ToolCallSummary summary = result.summary(similarity, "letter-counts");

        assertThat(result.similarity().rows()).isEqualTo(1200);
        assertThat(result.similarity().scoredRows()).isEqualTo(1200);
        assertThat(result.similarity().lowSimilarityRows()).isEqualTo(12);
        assertThat(result.similarity().sampleLowSimilarityRowIds()).containsExactly("r0007", "r0107", "r0207",
                "r0307", "r0407");
        assertThat(summary.argumentSimilarity().embeddingModel()).isEqualTo("letter-counts");
        assertThat(summary.argumentSimilarity().lowSimilarityThreshold()).isEqualTo(0.5);
        assertThat(summary.argumentSimilarity().lowSimilarityRows()).isEqualTo(12);
    }

    /** Embeds a text as its counts of the letters a to z, so texts sharing letters are similar. */
    private static final class LetterCountEmbedder implements Embedder {

        @Override
        public String modelId() {
            return "letter-counts";
        }

        @Override
        public int dimensions() {
            return 26;
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            List<float[]> vectors = new ArrayList<>();
            for (String text : texts) {
                float[] vector = new float[26];
                vector[0] = 1e-3f;
                for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
                    if (c >= 'a' && c <= 'z') {
                        vector[c - 'a']++;
                    }
                }
                vectors.add(Vectors.normalized(vector));
            }
            return vectors;
        }
    }
}
