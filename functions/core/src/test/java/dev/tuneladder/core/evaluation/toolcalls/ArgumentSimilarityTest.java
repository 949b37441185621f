package dev.tuneladder.core.evaluation.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentSimilarityTest {

    private static final List<JsonNode> TOOLS = List.of(
            json("{\"name\": \"book_table\", \"parameters\": {\"properties\": {\"city\": {\"type\": \"string\"},"
                    + " \"cuisine\": {\"type\": \"string\"}, \"seats\": {\"type\": \"integer\"}}}}"),
            json("{\"name\": \"get_weather\", \"parameters\": {\"properties\": {\"city\": {\"type\": \"string\"}}}}"));

    /**
     * Embeds a text as its counts of lower-case letters a to z, so that texts sharing letters are similar; it
     * records every batch it is given.
     */
    private static final class LetterCountEmbedder implements Embedder {

        final List<List<String>> batches = new ArrayList<>();

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
            batches.add(List.copyOf(texts));
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

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ToolCall call(String name, String arguments) {
        return new ToolCall(name, (ObjectNode) json(arguments));
    }

    private static AcceptedCall accepted(String name, String acceptedValues) {
        Map<String, List<JsonNode>> values = new LinkedHashMap<>();
        json(acceptedValues).properties().forEach(entry -> {
            List<JsonNode> list = new ArrayList<>();
            entry.getValue().forEach(list::add);
            values.put(entry.getKey(), list);
        });
        return new AcceptedCall(name, values);
    }

    private static ArgumentSimilarity.RowCalls row(String rowId, List<ToolCall> produced,
                                                   List<AcceptedCall> reference) {
        return new ArgumentSimilarity.RowCalls(rowId, produced, reference,
                ToolCallChecker.checkPlan(produced, reference, TOOLS));
    }

    @Test
    void score_perArgumentAndRowMean() {
        LetterCountEmbedder embedder = new LetterCountEmbedder();
        ArgumentSimilarity similarity = new ArgumentSimilarity(embedder, 0.9);

        RowSimilarity row = similarity.score(row("r1",
                List.of(call("book_table", "{\"city\": \"Boston\", \"cuisine\": \"SUSHI\"}")),
                List.of(accepted("book_table", "{\"city\": [\"Bostn\"], \"cuisine\": [\"sushi\"],"
                        + " \"seats\": [\"\", 2]}"))));

        double cityCosine = Vectors.cosine(embedder.embedAll(List.of("Boston")).get(0),
                embedder.embedAll(List.of("Bostn")).get(0));
        assertThat(row.arguments()).extracting(ArgumentScore::argument).containsExactly("city", "cuisine");
        assertThat(row.arguments().get(0).cosine()).isCloseTo(cityCosine, offset(1e-6));
        assertThat(row.arguments().get(1).cosine()).isEqualTo(1.0);
        assertThat(row.meanCosine()).isCloseTo((cityCosine + 1.0) / 2, offset(1e-6));
        assertThat(row.lowSimilarity()).isFalse();
    }

    @Test
    void score_omittedProducedArgumentScoresZeroAndFlags() {
        ArgumentSimilarity similarity = new ArgumentSimilarity(new LetterCountEmbedder(), 0.6);

        RowSimilarity row = similarity.score(row("r1", List.of(call("book_table", "{\"cuisine\": \"sushi\"}")),
                List.of(accepted("book_table", "{\"city\": [\"Boston\"], \"cuisine\": [\"sushi\"]}"))));

        assertThat(row.arguments()).extracting(ArgumentScore::cosine).containsExactly(0.0, 1.0);
        assertThat(row.meanCosine()).isEqualTo(0.5);
        assertThat(row.lowSimilarity()).isTrue();
    }

    @Test
    void score_skipsPairsOfDifferentFunctions() {
        ArgumentSimilarity similarity = new ArgumentSimilarity(new LetterCountEmbedder(), 0.5);

        RowSimilarity row = similarity.score(row("r1", List.of(call("get_weather", "{\"city\": \"Boston\"}")),
                List.of(accepted("book_table", "{\"city\": [\"Boston\"]}"))));

        assertThat(row.arguments()).isEmpty();
        assertThat(row.meanCosine()).isNull();
        assertThat(row.lowSimilarity()).isFalse();
    }

    @Test
    void score_embedsDistinctTextsOnceInBatches() {
        LetterCountEmbedder embedder = new LetterCountEmbedder();
        ArgumentSimilarity similarity = new ArgumentSimilarity(embedder, 0.5, 2);
        List<AcceptedCall> reference = List.of(accepted("get_weather", "{\"city\": [\"Boston\"]}"));

        List<RowSimilarity> rows = similarity.score(List.of(
                row("r1", List.of(call("get_weather", "{\"city\": \"Bostonn\"}")), reference),
                row("r2", List.of(call("get_weather", "{\"city\": \"Bostonn\"}")), reference),
                row("r3", List.of(call("get_weather", "{\"city\": \"Paris\"}")), reference),
                row("r4", List.of(call("get_weather", "{\"city\": \"boston\"}")), reference)));

        assertThat(embedder.batches).containsExactly(List.of("Bostonn", "Boston"), List.of("Paris"));
        assertThat(rows).extracting(RowSimilarity::rowId).containsExactly("r1", "r2", "r3", "r4");
        assertThat(rows.get(0).meanCosine()).isEqualTo(rows.get(1).meanCosine());
        assertThat(rows.get(2).meanCosine()).isLessThan(rows.get(0).meanCosine());
        assertThat(rows.get(3).meanCosine()).isEqualTo(1.0);
    }

    @Test
    void argumentText_rendersEveryJsonType() {
        assertThat(ArgumentSimilarity.argumentText(json("\"New York\""))).isEqualTo("New York");
        assertThat(ArgumentSimilarity.argumentText(json("25.0"))).isEqualTo("25");
        assertThat(ArgumentSimilarity.argumentText(json("0.10"))).isEqualTo("0.1");
        assertThat(ArgumentSimilarity.argumentText(json("true"))).isEqualTo("true");
        assertThat(ArgumentSimilarity.argumentText(json("null"))).isEqualTo("null");
        assertThat(ArgumentSimilarity.argumentText(json("[\"a\", 2, [3, 4]]"))).isEqualTo("a, 2, 3, 4");
        assertThat(ArgumentSimilarity.argumentText(json("{\"min\": 1, \"max\": \"b\"}"))).isEqualTo("min: 1, max: b");
    }

    @Test
    void state_mergeEqualsSinglePass() {
        List<RowSimilarity> rows = List.of(
                new RowSimilarity("b", List.of(new ArgumentScore(0, "f", "x", 0.3)), 0.3, true),
                new RowSimilarity("a", List.of(new ArgumentScore(0, "f", "x", 0.9)), 0.9, false),
                new RowSimilarity("d", List.of(), null, false),
                new RowSimilarity("c", List.of(new ArgumentScore(0, "f", "x", 0.1)), 0.1, true));
        ArgumentSimilarityState single = new ArgumentSimilarityState(1);
        rows.forEach(single::add);
        ArgumentSimilarityState left = new ArgumentSimilarityState(1);
        ArgumentSimilarityState right = new ArgumentSimilarityState(1);
        left.add(rows.get(3));
        right.add(rows.get(0));
        right.add(rows.get(1));
        right.add(rows.get(2));

        ArgumentSimilaritySummary merged = right.merge(left).result();

        assertThat(merged).isEqualTo(single.result());
        assertThat(merged.rows()).isEqualTo(4);
        assertThat(merged.scoredRows()).isEqualTo(3);
        assertThat(merged.meanRowCosine()).isCloseTo(1.3 / 3, offset(1e-9));
        assertThat(merged.lowSimilarityRows()).isEqualTo(2);
        assertThat(merged.sampleLowSimilarityRowIds()).containsExactly("b");
    }
}
