package dev.tuneladder.core.judging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.ScriptedModelClient;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeVerdictsTest {

    private final ScriptedModelClient client = new ScriptedModelClient();

    @Test
    void writeThenReadKeepsEveryField() {
        List<JudgeVerdict> verdicts = someVerdicts();
        StringWriter out = new StringWriter();

        JudgeVerdicts.write(out, verdicts);
        List<JudgeVerdict> read = JudgeVerdicts.read(new StringReader(out.toString()), "verdicts.jsonl",
                BadRows.strict());

        assertThat(read).isEqualTo(verdicts);
    }

    @Test
    void linesCarryPlainFieldNames() throws IOException {
        StringWriter out = new StringWriter();

        JudgeVerdicts.write(out, someVerdicts());

        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(4);
        JsonNode rubric = Json.mapper().readTree(lines[0]);
        assertThat(rubric.get("itemId").asText()).isEqualTo("i1");
        assertThat(rubric.get("judge").asText()).isEqualTo("rubric");
        assertThat(rubric.get("verdict").asText()).isEqualTo("pass");
        assertThat(rubric.get("swapped").asBoolean()).isFalse();
        assertThat(rubric.get("score").asDouble()).isEqualTo(5.0);
        assertThat(rubric.get("passed").asBoolean()).isTrue();
        assertThat(rubric.get("promptVersion").asText()).hasSize(12);
        assertThat(rubric.get("modelId").asText()).isEqualTo("judge-model");
        assertThat(rubric.has("error")).isFalse();
        JsonNode error = Json.mapper().readTree(lines[1]);
        assertThat(error.get("verdict").asText()).isEqualTo("error");
        assertThat(error.get("error").asText()).startsWith("invalid judge output");
        assertThat(error.has("passed")).isFalse();
        JsonNode swapped = Json.mapper().readTree(lines[3]);
        assertThat(swapped.get("swapped").asBoolean()).isTrue();
        assertThat(swapped.get("consistent").asBoolean()).isTrue();
    }

    @Test
    void errorVerdictNeedsReason() {
        assertThatThrownBy(() -> new JudgeVerdict("i", "j", JudgeVerdict.ERROR, false, null, null, null, null, null,
                "abc", "m", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("verdict 'error' and a non-null error go together");
    }

    private List<JudgeVerdict> someVerdicts() {
        client.thenText("{\"score\": 5}").thenText("nothing").thenText("still nothing")
                .thenText("{\"preferred\": \"A\"}").thenText("{\"preferred\": \"B\"}");
        JudgeModel model = new JudgeModel(client, "judge-model", null);
        RubricJudge rubric = new RubricJudge("rubric", model, new PromptTemplate("r", "Grade."),
                new Rubric("r", "5 is best.", 1, 5, 4, true));
        PairwiseJudge pairwise = new PairwiseJudge("pairwise", model, new PromptTemplate("p", "Compare."), "Better.");
        List<JudgeVerdict> verdicts = new ArrayList<>();
        verdicts.add(rubric.judge(new JudgeItem("i1", "q", "a", null, null)));
        verdicts.add(rubric.judge(new JudgeItem("i2", "q", "a", null, null)));
        verdicts.addAll(pairwise.judge(new PairItem("i3", "q", "x", "y")).verdicts());
        return verdicts;
    }
}
