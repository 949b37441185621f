package dev.tuneladder.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.evaluation.toolcalls.ArgumentScore;
import dev.tuneladder.core.evaluation.toolcalls.ArgumentSimilarity;
import dev.tuneladder.core.evaluation.toolcalls.FunctionDoc;
import dev.tuneladder.core.evaluation.toolcalls.RowSimilarity;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallChecker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argument similarity with the real all-MiniLM-L6-v2 model on hand-made arguments. */
class ArgumentSimilarityMiniLmTest {

    private static final Map<String, FunctionDoc> OFFERED = Map.of("find_hotels", FunctionDoc.parse(
            doc("find_hotels")));

    private static JsonNode doc(String name) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("name", name);
        ObjectNode properties = doc.putObject("parameters").putObject("properties");
        properties.putObject("city").put("type", "string");
        properties.putObject("amenity").put("type", "string");
        return doc;
    }

    private static ArgumentSimilarity.RowCalls row(String rowId, String city, String amenity) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("city", city).put("amenity", amenity);
        List<ToolCall> produced = List.of(new ToolCall("find_hotels", arguments));
        Map<String, List<JsonNode>> accepted = new LinkedHashMap<>();
        accepted.put("city", List.of(TextNode.valueOf("New York City")));
        accepted.put("amenity", List.of(TextNode.valueOf("swimming pool")));
        List<AcceptedCall> reference = List.of(new AcceptedCall("find_hotels", accepted));
        return new ArgumentSimilarity.RowCalls(rowId, produced, reference,
                ToolCallChecker.checkPlan(produced, reference, OFFERED));
    }

    /**
     * Measured with all-MiniLM-L6-v2-q: city 0.891 for "NYC, New York" and 0.490 for "Paris"; amenity 0.924 for
     * "pool for swimming" and 0.226 for "free parking"; row means 0.907 and 0.358. The bounds leave room for
     * rounding differences between ONNX Runtime builds.
     */
    @Test
    void miniLm_paraphraseScoresAboveUnrelatedValue() {
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder()) {
            ArgumentSimilarity similarity = new ArgumentSimilarity(embedder, 0.6);

            List<RowSimilarity> rows = similarity.score(List.of(
                    row("paraphrase", "NYC, New York", "pool for swimming"),
                    row("unrelated", "Paris", "free parking")));

            RowSimilarity paraphrase = rows.get(0);
            RowSimilarity unrelated = rows.get(1);
            double paraphraseCity = paraphrase.arguments().get(0).cosine();
            double unrelatedCity = unrelated.arguments().get(0).cosine();
            assertThat(paraphrase.arguments()).extracting(ArgumentScore::argument).containsExactly("city", "amenity");
            assertThat(paraphraseCity).isGreaterThan(0.7);
            assertThat(unrelatedCity).isLessThan(paraphraseCity - 0.2);
            assertThat(paraphrase.arguments().get(1).cosine()).isGreaterThan(0.7);
            assertThat(unrelated.arguments().get(1).cosine()).isLessThan(0.5);
            assertThat(paraphrase.lowSimilarity()).isFalse();
            assertThat(unrelated.lowSimilarity()).isTrue();
        }
    }
}
