package dev.tuneladder.core.judging.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.tuneladder.core.data.BadRows;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationStateTest {

    /**
     * Three reviewers, a judge and gold on four pass/fail items:
     * <pre>
     * item  alice  bob   carol  rubric  gold
     * a     pass   pass  pass   pass    pass
     * b     pass   pass  fail   pass    pass
     * c     pass   fail  fail   pass    fail
     * d     fail   fail  fail   fail    fail
     * </pre>
     */
    private static final String REVIEWS = String.join("\n",
            "{\"itemId\":\"a\",\"reviewer\":\"alice\",\"verdict\":\"pass\",\"gold\":\"pass\"}",
            "{\"itemId\":\"a\",\"reviewer\":\"bob\",\"verdict\":\"pass\"}",
            "{\"itemId\":\"a\",\"reviewer\":\"carol\",\"verdict\":\"pass\"}",
            "{\"itemId\":\"a\",\"judge\":\"rubric\",\"verdict\":\"pass\"}",
            "{\"itemId\":\"b\",\"reviewer\":\"alice\",\"verdict\":\"pass\",\"gold\":\"pass\"}",
            "{\"itemId\":\"b\",\"reviewer\":\"bob\",\"verdict\":\"pass\"}",
            "{\"itemId\":\"b\",\"reviewer\":\"carol\",\"verdict\":\"fail\"}",
            "{\"itemId\":\"b\",\"judge\":\"rubric\",\"verdict\":\"pass\"}",
            "{\"itemId\":\"c\",\"reviewer\":\"alice\",\"verdict\":\"pass\",\"gold\":\"fail\"}",
            "{\"itemId\":\"c\",\"reviewer\":\"bob\",\"verdict\":\"fail\"}",
            "{\"itemId\":\"c\",\"reviewer\":\"carol\",\"verdict\":\"fail\"}",
            "{\"itemId\":\"c\",\"judge\":\"rubric\",\"verdict\":\"pass\"}",
            "{\"itemId\":\"d\",\"reviewer\":\"alice\",\"verdict\":\"fail\",\"gold\":\"fail\"}",
            "{\"itemId\":\"d\",\"reviewer\":\"bob\",\"verdict\":\"fail\"}",
            "{\"itemId\":\"d\",\"reviewer\":\"carol\",\"verdict\":\"fail\"}",
            "{\"itemId\":\"d\",\"judge\":\"rubric\",\"verdict\":\"FAIL\"}");

    private static CalibrationResult calibrate(String file, VerdictScale scale) {
        VerdictFile.Contents contents = VerdictFile.read(new StringReader(file), "verdicts.jsonl", scale, Map.of(),
                BadRows.strict());
        CalibrationState state = new CalibrationState(scale, 100, 1L);
        contents.gold().forEach(state::addGold);
        contents.verdicts().forEach(state::add);
        return state.result();
    }

    @Test
    void reviewers_accuracyAndKappaAgainstGold() {
        CalibrationResult result = calibrate(REVIEWS, VerdictScale.PASS_FAIL);

        // alice against gold: (pass, pass) 2, (pass, fail) 1, (fail, fail) 1; rows 3, 1; columns 2, 2.
        // κ = 1 − 4·1 / (16 − (3·2 + 1·2)) = 0.5. carol is the mirror image, bob matches gold exactly.
        ReviewerCalibration alice = result.reviewer("alice");
        assertThat(alice.correct()).isEqualTo(3);
        assertThat(alice.withGold()).isEqualTo(4);
        assertThat(alice.kappa()).isCloseTo(0.5, within(1e-15));
        assertThat(result.reviewer("bob").accuracy()).isEqualTo(1.0);
        assertThat(result.reviewer("bob").kappa()).isEqualTo(1.0);
        assertThat(result.reviewer("carol").accuracy()).isEqualTo(0.75);
        assertThat(result.reviewer("carol").kappa()).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void reviewers_agreementWithMajorityOfOthers() {
        CalibrationResult result = calibrate(REVIEWS, VerdictScale.PASS_FAIL);

        // alice: others on b are pass/fail, a tie, so no majority there; she agrees on a and d, not on c.
        assertThat(result.reviewer("alice").majorityItems()).isEqualTo(3);
        assertThat(result.reviewer("alice").agreesWithMajority()).isEqualTo(2);
        // bob: others tie on b and c; he agrees on a and d.
        assertThat(result.reviewer("bob").majorityItems()).isEqualTo(2);
        assertThat(result.reviewer("bob").agreesWithMajority()).isEqualTo(2);
        // carol: others tie on c; she agrees on a and d, not on b.
        assertThat(result.reviewer("carol").majorityItems()).isEqualTo(3);
        assertThat(result.reviewer("carol").agreesWithMajority()).isEqualTo(2);
    }

    @Test
    void reviewers_leniencyAgainstOthers() {
        CalibrationResult result = calibrate(REVIEWS, VerdictScale.PASS_FAIL);

        // alice passes 3 of 4 (0.75); the others' pass rate per item is 1, 0.5, 0, 0, mean 0.375.
        ReviewerCalibration alice = result.reviewer("alice");
        assertThat(alice.sharedItems()).isEqualTo(4);
        assertThat(alice.meanPositiveValue()).isEqualTo(0.75);
        assertThat(alice.othersMeanPositiveValue()).isEqualTo(0.375);
        assertThat(alice.leniency()).isEqualTo(0.375);
        // bob 0.5 against 1, 0.5, 0.5, 0; carol 0.25 against 1, 1, 0.5, 0.
        assertThat(result.reviewer("bob").leniency()).isEqualTo(0.0);
        assertThat(result.reviewer("carol").leniency()).isEqualTo(-0.375);
    }

    @Test
    void reviewers_pairwiseAgreementAndFleiss() {
        CalibrationResult result = calibrate(REVIEWS, VerdictScale.PASS_FAIL);

        // alice–carol: (pass, pass) 1, (pass, fail) 2, (fail, fail) 1; rows 3, 1; columns 1, 3.
        // κ = 1 − 4·2 / (16 − (3·1 + 1·3)) = 0.2.
        assertThat(result.reviewerAgreement()).extracting(RaterAgreement::raterA, RaterAgreement::raterB,
                RaterAgreement::agreements).containsExactly(
                        tuple("alice", "bob", 3L),
                        tuple("alice", "carol", 2L),
                        tuple("bob", "carol", 3L));
        assertThat(result.reviewerAgreement().get(0).kappa()).isCloseTo(0.5, within(1e-15));
        assertThat(result.reviewerAgreement().get(1).kappa()).isCloseTo(0.2, within(1e-15));
        assertThat(result.reviewerAgreement().get(2).kappa()).isCloseTo(0.5, within(1e-15));
        // Pass counts per item 3, 2, 1, 0 of three reviewers: Fleiss' κ = 1/3 (see AgreementTest).
        assertThat(result.fleissItems()).isEqualTo(4);
        assertThat(result.fleissKappa()).isCloseTo(1.0 / 3.0, within(1e-15));
    }

    @Test
    void judge_againstGoldAndReviewers() {
        CalibrationResult result = calibrate(REVIEWS, VerdictScale.PASS_FAIL);

        JudgeCalibration rubric = result.judge("rubric");
        assertThat(rubric.original().correct()).isEqualTo(3);
        assertThat(rubric.original().kappa()).isCloseTo(0.5, within(1e-15));
        assertThat(rubric.swapped().verdicts()).isZero();
        assertThat(rubric.swapConsistency()).isNull();
        assertThat(rubric.reviewers()).extracting(RaterAgreement::raterB, RaterAgreement::agreements)
                .containsExactly(tuple("alice", 4L),
                        tuple("bob", 3L),
                        tuple("carol", 2L));
        assertThat(rubric.reviewers().get(0).kappa()).isEqualTo(1.0);
        assertThat(rubric.reviewers().get(2).kappa()).isCloseTo(0.2, within(1e-15));
    }

    @Test
    void reviewers_scoreLeniencyInScalePoints() {
        String scores = String.join("\n",
                "{\"itemId\":\"a\",\"reviewer\":\"x\",\"verdict\":4}",
                "{\"itemId\":\"a\",\"reviewer\":\"y\",\"verdict\":2}",
                "{\"itemId\":\"b\",\"reviewer\":\"x\",\"verdict\":\"5\"}",
                "{\"itemId\":\"b\",\"reviewer\":\"y\",\"verdict\":3}");

        CalibrationResult result = calibrate(scores, VerdictScale.score(1, 5));

        assertThat(result.reviewer("x").leniency()).isEqualTo(2.0);
        assertThat(result.reviewer("y").leniency()).isEqualTo(-2.0);
        assertThat(result.reviewerAgreement().get(0).agreements()).isZero();
    }

    @Test
    void judge_swapConsistencyAndPositionalPreference() {
        // Answers in the item's own numbering (original, swapped): i1 (1, 1), i2 (1, 2), i3 (2, 1), i4 (2, 2),
        // i5 (1, 2). The file records positions, so a swapped row carries 3 − answer.
        String file = String.join("\n",
                "{\"itemId\":\"i1\",\"judge\":\"j\",\"verdict\":\"1\",\"gold\":\"1\"}",
                "{\"itemId\":\"i1\",\"judge\":\"j\",\"verdict\":\"2\",\"swapped\":true}",
                "{\"itemId\":\"i2\",\"judge\":\"j\",\"verdict\":\"1\",\"gold\":\"1\"}",
                "{\"itemId\":\"i2\",\"judge\":\"j\",\"verdict\":\"1\",\"swapped\":true}",
                "{\"itemId\":\"i3\",\"judge\":\"j\",\"verdict\":\"2\",\"gold\":\"2\"}",
                "{\"itemId\":\"i3\",\"judge\":\"j\",\"verdict\":\"2\",\"swapped\":true}",
                "{\"itemId\":\"i4\",\"judge\":\"j\",\"verdict\":\"2\",\"gold\":\"1\"}",
                "{\"itemId\":\"i4\",\"judge\":\"j\",\"verdict\":\"1\",\"swapped\":true}",
                "{\"itemId\":\"i5\",\"judge\":\"j\",\"verdict\":\"1\",\"gold\":\"2\"}",
                "{\"itemId\":\"i5\",\"judge\":\"j\",\"verdict\":\"1\",\"swapped\":true}");

        JudgeCalibration judge = calibrate(file, VerdictScale.PAIRWISE).judge("j");

        SwapConsistency swap = judge.swapConsistency();
        assertThat(swap.pairs()).isEqualTo(5);
        assertThat(swap.consistent()).isEqualTo(2);
        assertThat(swap.firstPositionBoth()).isEqualTo(2);
        assertThat(swap.secondPositionBoth()).isEqualTo(1);
        assertThat(swap.firstPositionRate()).isCloseTo(2.0 / 3.0, within(1e-15));
        // Original answers 1, 1, 2, 2, 1 against gold 1, 1, 2, 1, 2: 3 correct.
        assertThat(judge.original().correct()).isEqualTo(3);
        // Swapped answers 1, 2, 1, 2, 2 against gold 1, 1, 2, 1, 2: 2 correct.
        assertThat(judge.swapped().correct()).isEqualTo(2);
        assertThat(judge.all().correct()).isEqualTo(5);
        assertThat(judge.all().verdicts()).isEqualTo(10);
    }

    @Test
    void add_duplicateJudgeVerdictInSameOrderIsRejected() {
        CalibrationState state = new CalibrationState(VerdictScale.PAIRWISE, 10, 1L);
        state.add(new Verdict("q", "j", RaterKind.JUDGE, 1, false));
        state.add(new Verdict("q", "j", RaterKind.JUDGE, 2, true));

        assertThatThrownBy(() -> state.add(new Verdict("q", "j", RaterKind.JUDGE, 2, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("judge 'j' has two verdicts on item 'q' in the original order");
    }

    @Test
    void add_sameIdAsJudgeAndReviewerIsRejected() {
        CalibrationState state = new CalibrationState(VerdictScale.PASS_FAIL, 10, 1L);
        state.add(new Verdict("q", "sam", RaterKind.REVIEWER, 1, false));

        assertThatThrownBy(() -> state.add(new Verdict("r", "sam", RaterKind.JUDGE, 1, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct ids");
    }

    @Test
    void add_swappedVerdictOffPairwiseScaleIsRejected() {
        CalibrationState state = new CalibrationState(VerdictScale.PASS_FAIL, 10, 1L);

        assertThatThrownBy(() -> state.add(new Verdict("q", "j", RaterKind.JUDGE, 1, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only pairwise verdicts have an order");
    }

    @Test
    void addGold_conflictingLabelIsRejected() {
        CalibrationState state = new CalibrationState(VerdictScale.PAIRWISE, 10, 1L);
        state.addGold("q", 1);
        state.addGold("q", 1);

        assertThatThrownBy(() -> state.addGold("q", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 'q' has two gold labels, 1 and 2");
    }

    @Test
    void merge_differentScaleIsRejected() {
        CalibrationState pairwise = new CalibrationState(VerdictScale.PAIRWISE, 10, 1L);
        CalibrationState passFail = new CalibrationState(VerdictScale.PASS_FAIL, 10, 1L);

        assertThatThrownBy(() -> pairwise.merge(passFail))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different settings");
    }

    @Test
    void result_emptyStateFails() {
        assertThatThrownBy(() -> new CalibrationState(VerdictScale.PAIRWISE).result())
                .isInstanceOf(IllegalStateException.class);
    }
}
