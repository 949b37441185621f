package dev.tuneladder.core.judging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.ScriptedModelClient;
import org.junit.jupiter.api.Test;

class PairwiseJudgeTest {

    private static final PairItem PAIR = new PairItem("pair-1", "Can I cancel a transfer?",
            "Yes, within 30 minutes in the app.", "No.");

    private final ScriptedModelClient client = new ScriptedModelClient();

    @Test
    void consistentPairPrefersSameAnswer() {
        client.thenText("{\"preferred\": \"A\", \"reason\": \"complete\"}").thenText("{\"preferred\": \"B\"}");

        PairwiseJudge.PairwiseResult result = judge().judge(PAIR);

        assertThat(result.consistent()).isTrue();
        assertThat(result.preferred()).isEqualTo(JudgeVerdict.A);
        assertThat(result.inOrder().verdict()).isEqualTo(JudgeVerdict.A);
        assertThat(result.inOrder().swapped()).isFalse();
        assertThat(result.swapped().verdict()).isEqualTo(JudgeVerdict.A);
        assertThat(result.swapped().swapped()).isTrue();
        assertThat(result.swapped().steps().get(0).parsed().get("preferred").asText()).isEqualTo("B");
        assertThat(result.verdicts()).extracting(JudgeVerdict::consistent).containsExactly(true, true);
    }

    @Test
    void secondAskSwapsPositions() {
        client.thenText("{\"preferred\": \"A\"}").thenText("{\"preferred\": \"B\"}");

        judge().judge(PAIR);

        assertThat(client.requests().get(0).messages().get(0).content()).isEqualTo("Question:\nCan I cancel a"
                + " transfer?\n\nAnswer A:\nYes, within 30 minutes in the app.\n\nAnswer B:\nNo.");
        assertThat(client.requests().get(1).messages().get(0).content()).isEqualTo("Question:\nCan I cancel a"
                + " transfer?\n\nAnswer A:\nNo.\n\nAnswer B:\nYes, within 30 minutes in the app.");
        assertThat(client.requests().get(1).system()).isEqualTo(client.requests().get(0).system());
    }

    @Test
    void positionBiasIsInconsistentTie() {
        client.thenText("{\"preferred\": \"A\"}").thenText("{\"preferred\": \"a\"}");

        PairwiseJudge.PairwiseResult result = judge().judge(PAIR);

        assertThat(result.consistent()).isFalse();
        assertThat(result.preferred()).isEqualTo(JudgeVerdict.TIE);
        assertThat(result.inOrder().verdict()).isEqualTo(JudgeVerdict.A);
        assertThat(result.swapped().verdict()).isEqualTo(JudgeVerdict.B);
        assertThat(result.verdicts()).extracting(JudgeVerdict::consistent).containsExactly(false, false);
    }

    @Test
    void tieInBothOrdersIsConsistent() {
        client.thenText("{\"preferred\": \"tie\"}").thenText("{\"preferred\": \"tie\"}");

        PairwiseJudge.PairwiseResult result = judge().judge(PAIR);

        assertThat(result.consistent()).isTrue();
        assertThat(result.preferred()).isEqualTo(JudgeVerdict.TIE);
    }

    @Test
    void failedOrderLeavesPairUndecided() {
        client.thenText("{\"preferred\": \"A\"}")
                .thenThrow(new ModelCallException(ModelCallException.Kind.TIMEOUT, 0, "stub: timed out"));

        PairwiseJudge.PairwiseResult result = judge().judge(PAIR);

        assertThat(result.failed()).isTrue();
        assertThat(result.preferred()).isNull();
        assertThat(result.swapped().verdict()).isEqualTo(JudgeVerdict.ERROR);
        assertThat(result.swapped().error()).isEqualTo("judge model call failed (TIMEOUT): stub: timed out");
        assertThat(result.inOrder().verdict()).isEqualTo(JudgeVerdict.A);
        assertThat(result.inOrder().consistent()).isNull();
    }

    @Test
    void invalidPreferenceIsRepaired() {
        client.thenText("{\"preferred\": \"first\"}").thenText("{\"preferred\": \"A\"}")
                .thenText("{\"preferred\": \"B\"}");

        PairwiseJudge.PairwiseResult result = judge().judge(PAIR);

        assertThat(client.requests().get(1).messages().get(2).content())
                .contains("the field 'preferred' is 'first'; expected \"A\", \"B\" or \"tie\"");
        assertThat(result.consistent()).isTrue();
        assertThat(result.inOrder().steps()).extracting(JudgeStep::step)
                .containsExactly("comparison", "comparison-repair");
    }

    private PairwiseJudge judge() {
        return new PairwiseJudge("pairwise-helpfulness", new JudgeModel(client, "judge-model", null),
                new PromptTemplate("pairwise", "Compare two support answers."), "Prefer the correct, complete one.");
    }
}
