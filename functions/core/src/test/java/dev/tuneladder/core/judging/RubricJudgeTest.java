package dev.tuneladder.core.judging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.ScriptedModelClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class RubricJudgeTest {

    private static final PromptTemplate PROMPT = new PromptTemplate("judge", "You grade support answers.");
    private static final Rubric ONE_TO_FIVE = new Rubric("accuracy", "5: fully correct. 1: wrong.", 1, 5, 4, true);
    private static final JudgeItem ITEM = new JudgeItem("item-1", "How long does a transfer take?",
            "Up to two working days.", "One to two working days.", null);

    private final ScriptedModelClient client = new ScriptedModelClient();

    @Test
    void judgePassesAtThreshold() {
        client.thenText("{\"score\": 4, \"reason\": \"matches the reference\"}");

        JudgeVerdict verdict = judge(ONE_TO_FIVE).judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.PASS);
        assertThat(verdict.score()).isEqualTo(4.0);
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.threshold()).isEqualTo(4.0);
        assertThat(verdict.reason()).isEqualTo("matches the reference");
        assertThat(verdict.modelId()).isEqualTo("judge-model");
        assertThat(verdict.promptVersion()).isEqualTo(judge(ONE_TO_FIVE).promptVersion());
        assertThat(verdict.steps()).hasSize(1);
        assertThat(verdict.steps().get(0).step()).isEqualTo("judgment");
        assertThat(verdict.error()).isNull();
    }

    @Test
    void judgeFailsBelowThreshold() {
        client.thenText("Sure.\n```json\n{\"score\": 3}\n```");

        JudgeVerdict verdict = judge(ONE_TO_FIVE).judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.FAIL);
        assertThat(verdict.score()).isEqualTo(3.0);
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void judgeSendsRubricAndItem() {
        client.thenText("{\"score\": 5}");

        judge(ONE_TO_FIVE).judge(ITEM);

        ChatRequest request = client.lastRequest();
        assertThat(request.modelId()).isEqualTo("judge-model");
        assertThat(request.system()).isEqualTo("You grade support answers.\n\nRubric:\n5: fully correct. 1: wrong."
                + "\n\nScore the answer with a whole number from 1 to 5. Reply with only a JSON object of this form:"
                + " {\"score\": <number>, \"reason\": \"<one or two sentences>\"}");
        assertThat(request.messages()).containsExactly(ChatMessage.user("Question:\nHow long does a transfer take?"
                + "\n\nAnswer to judge:\nUp to two working days.\n\nReference answer:\nOne to two working days."));
        assertThat(request.tools()).isEmpty();
    }

    @Test
    void unitScaleAcceptsFractions() {
        client.thenText("{\"score\": 0.75}");
        Rubric unit = new Rubric("accuracy", "1 is perfect.", 0, 1, 0.7, false);

        JudgeVerdict verdict = judge(unit).judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.PASS);
        assertThat(verdict.score()).isEqualTo(0.75);
    }

    @Test
    void repairSucceedsOnSecondTry() {
        client.thenText("I'd say 4 out of 5.").thenText("{\"score\": 4}");

        JudgeVerdict verdict = judge(ONE_TO_FIVE).judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.PASS);
        assertThat(verdict.steps()).extracting(JudgeStep::step).containsExactly("judgment", "judgment-repair");
        assertThat(verdict.steps().get(0).rawOutput()).isEqualTo("I'd say 4 out of 5.");
        assertThat(verdict.steps().get(0).parseError()).isEqualTo("the output contains no JSON object");
        assertThat(verdict.steps().get(1).parsed().toString()).isEqualTo("{\"score\":4}");
        assertThat(verdict.usage()).isEqualTo(new TokenUsage(20, 10, 0, 0));
        assertThat(verdict.latencyMillis()).isEqualTo(14);

        List<ChatMessage> repair = client.requests().get(1).messages();
        assertThat(repair).hasSize(3);
        assertThat(repair.get(0)).isEqualTo(client.requests().get(0).messages().get(0));
        assertThat(repair.get(1)).isEqualTo(ChatMessage.assistant("I'd say 4 out of 5."));
        assertThat(repair.get(2).content()).isEqualTo("Your previous reply could not be used: the output contains no"
                + " JSON object. Reply again with only one valid JSON object of this form and no other text:"
                + " {\"score\": <number>, \"reason\": \"<one or two sentences>\"}");
    }

    @Test
    void scoreOffScaleTriggersRepair() {
        client.thenText("{\"score\": 3.5}").thenText("{\"score\": 7}");

        JudgeVerdict verdict = judge(ONE_TO_FIVE).judge(ITEM);

        assertThat(client.requests().get(1).messages().get(2).content())
                .contains("score 3.5 is not a whole number; expected a whole number from 1 to 5");
        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.ERROR);
        assertThat(verdict.error()).isEqualTo("invalid judge output after one repair attempt: score 7 is outside"
                + " the scale; expected a whole number from 1 to 5");
    }

    @Test
    void repairFailureIsJudgeErrorRow() {
        client.thenText("no idea").thenText("{\"grade\": \"good\"}");

        JudgeVerdict verdict = judge(ONE_TO_FIVE).judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.ERROR);
        assertThat(verdict.error()).isEqualTo("invalid judge output after one repair attempt: the field 'score' is"
                + " missing");
        assertThat(verdict.score()).isNull();
        assertThat(verdict.passed()).isNull();
        assertThat(verdict.steps()).extracting(JudgeStep::rawOutput).containsExactly("no idea",
                "{\"grade\": \"good\"}");
        assertThat(verdict.modelId()).isEqualTo("judge-model");
        assertThat(verdict.promptVersion()).isEqualTo(judge(ONE_TO_FIVE).promptVersion());
        assertThat(client.requests()).hasSize(2);
    }

    @Test
    void modelFailureIsJudgeErrorRow() {
        client.thenThrow(new ModelCallException(ModelCallException.Kind.SERVER_ERROR, 503, "stub: HTTP 503"));

        JudgeVerdict verdict = judge(ONE_TO_FIVE).judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.ERROR);
        assertThat(verdict.error()).isEqualTo("judge model call failed (SERVER_ERROR, HTTP 503): stub: HTTP 503");
        assertThat(verdict.steps()).isEmpty();
        assertThat(verdict.usage()).isNull();
    }

    @Test
    void promptVersionFollowsPromptAndRubric() {
        String base = judge(ONE_TO_FIVE).promptVersion();
        Rubric otherCriteria = new Rubric("accuracy", "5: correct.", 1, 5, 4, true);
        Rubric otherThreshold = new Rubric("renamed", ONE_TO_FIVE.criteria(), 1, 5, 3, true);

        assertThat(judge(otherCriteria).promptVersion()).isNotEqualTo(base);
        assertThat(new RubricJudge("j", model(), new PromptTemplate("judge", "Grade."), ONE_TO_FIVE).promptVersion())
                .isNotEqualTo(base);
        assertThat(judge(otherThreshold).promptVersion()).isEqualTo(base);
        assertThat(ONE_TO_FIVE.version()).isNotEqualTo(otherCriteria.version());
    }

    private RubricJudge judge(Rubric rubric) {
        return new RubricJudge("accuracy-judge", model(), PROMPT, rubric);
    }

    private JudgeModel model() {
        return new JudgeModel(client, "judge-model", null);
    }
}
