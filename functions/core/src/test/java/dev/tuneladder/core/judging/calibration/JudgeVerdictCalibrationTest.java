package dev.tuneladder.core.judging.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.judging.JudgeModel;
import dev.tuneladder.core.judging.JudgeVerdict;
import dev.tuneladder.core.judging.JudgeVerdicts;
import dev.tuneladder.core.judging.PairItem;
import dev.tuneladder.core.judging.PairwiseJudge;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.ScriptedModelClient;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pairwise judge output written as JudgeVerdicts, read back by VerdictFile and calibrated. */
class JudgeVerdictCalibrationTest {

    private static PairItem pair(String id) {
        return new PairItem(id, "Can I cancel a transfer?", "Yes, within 30 minutes.", "No.");
    }

    @Test
    void pairwiseJudgeOutput_calibratesInItemNaming() {
        ScriptedModelClient client = new ScriptedModelClient()
                // p1, gold B: prefers B in both orders (shown "A" in the swapped order is B).
                .thenText("{\"preferred\": \"B\"}").thenText("{\"preferred\": \"A\"}")
                // p2, gold A: always picks the answer shown first, so the swapped verdict is B.
                .thenText("{\"preferred\": \"A\"}").thenText("{\"preferred\": \"A\"}")
                // p3, gold A: a tie in both orders.
                .thenText("{\"preferred\": \"tie\"}").thenText("{\"preferred\": \"tie\"}")
                // p4, gold A: right in order, the swapped call fails.
                .thenText("{\"preferred\": \"A\"}")
                .thenThrow(new ModelCallException(ModelCallException.Kind.CLIENT_ERROR, 400, "rejected"));
        PairwiseJudge judge = new PairwiseJudge("pairwise-v1", new JudgeModel(client, "judge-model", null),
                new PromptTemplate("pairwise", "Compare two answers."), "Prefer the correct answer.");
        List<JudgeVerdict> verdicts = new ArrayList<>();
        for (String id : List.of("p1", "p2", "p3", "p4")) {
            verdicts.addAll(judge.judge(pair(id)).verdicts());
        }
        StringWriter file = new StringWriter();
        JudgeVerdicts.write(file, verdicts);

        VerdictFile.Contents contents = VerdictFile.read(new StringReader(file.toString()), "verdicts.jsonl",
                VerdictScale.PAIRWISE, Map.of(), BadRows.strict());
        CalibrationState state = new CalibrationState(VerdictScale.PAIRWISE, 200, 7);
        contents.verdicts().forEach(state::add);
        state.addGold("p1", 2);
        state.addGold("p2", 1);
        state.addGold("p3", 1);
        state.addGold("p4", 1);
        JudgeCalibration calibration = state.result().judge("pairwise-v1");

        assertThat(contents.verdicts()).containsExactly(
                new Verdict("p1", "pairwise-v1", RaterKind.JUDGE, 2, false),
                new Verdict("p1", "pairwise-v1", RaterKind.JUDGE, 2, true),
                new Verdict("p2", "pairwise-v1", RaterKind.JUDGE, 1, false),
                new Verdict("p2", "pairwise-v1", RaterKind.JUDGE, 2, true),
                new Verdict("p4", "pairwise-v1", RaterKind.JUDGE, 1, false));
        assertThat(contents.ties()).isEqualTo(2);
        assertThat(contents.errorVerdicts()).isEqualTo(1);
        assertThat(calibration.original().withGold()).isEqualTo(3);
        assertThat(calibration.original().correct()).isEqualTo(3);
        assertThat(calibration.swapped().withGold()).isEqualTo(2);
        assertThat(calibration.swapped().correct()).isEqualTo(1);
        assertThat(calibration.swapConsistency().pairs()).isEqualTo(2);
        assertThat(calibration.swapConsistency().consistent()).isEqualTo(1);
        assertThat(calibration.swapConsistency().firstPositionBoth()).isEqualTo(1);
    }
}
