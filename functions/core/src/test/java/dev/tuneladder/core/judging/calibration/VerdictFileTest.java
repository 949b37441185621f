package dev.tuneladder.core.judging.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictFileTest {

    private static VerdictFile.Contents read(String text, VerdictScale scale) {
        return VerdictFile.read(new StringReader(text), "verdicts.jsonl", scale, Map.of(), BadRows.strict());
    }

    private static String lines(String... lines) {
        return String.join("\n", lines);
    }

    @Test
    void read_swappedPositionMapsToOtherAnswer() {
        VerdictFile.Contents contents = read(lines(
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"1\",\"gold\":2}",
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":1,\"swapped\":true}"), VerdictScale.PAIRWISE);

        assertThat(contents.verdicts()).containsExactly(new Verdict("q", "j", RaterKind.JUDGE, 1, false),
                new Verdict("q", "j", RaterKind.JUDGE, 2, true));
        assertThat(contents.gold()).containsExactly(Map.entry("q", 2));
    }

    @Test
    void read_unknownVerdictValueNamesLineAndAcceptedValues() {
        assertThatThrownBy(() -> read(lines(
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"1\"}",
                "{\"itemId\":\"r\",\"judge\":\"j\",\"verdict\":\"3\"}"), VerdictScale.PAIRWISE))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("verdicts.jsonl:2: unknown verdict value \"3\" for the pairwise scale;"
                        + " expected \"1\" or \"2\"");
    }

    @Test
    void read_malformedLineNamesLine() {
        assertThatThrownBy(() -> read(lines(
                "{\"itemId\":\"q\",\"reviewer\":\"ann\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"r\",\"reviewer\":"), VerdictScale.PASS_FAIL))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("verdicts.jsonl:2: invalid JSON");
    }

    @Test
    void read_misspeltFieldIsRejected() {
        assertThatThrownBy(() -> read("{\"itemId\":\"q\",\"reviewer\":\"ann\",\"verdit\":\"pass\"}",
                VerdictScale.PASS_FAIL))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("verdicts.jsonl:1:")
                .hasMessageContaining("verdit");
    }

    @Test
    void read_rowsWithBothOrNoRaterAreRejected() {
        BadRows badRows = new BadRows(5);

        VerdictFile.Contents contents = VerdictFile.read(new StringReader(lines(
                "{\"itemId\":\"q\",\"judge\":\"j\",\"reviewer\":\"ann\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"q\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"q\",\"reviewer\":\"ann\",\"verdict\":\"pass\"}")), "verdicts.jsonl",
                VerdictScale.PASS_FAIL, Map.of(), badRows);

        assertThat(contents.verdicts()).hasSize(1);
        assertThat(badRows.rejected()).extracting(row -> row.line()).containsExactly(1L, 2L);
        assertThat(badRows.rejected().get(0).reason()).contains("both 'judge' and 'reviewer'");
        assertThat(badRows.rejected().get(1).reason()).contains("missing rater");
    }

    @Test
    void read_duplicateVerdictNamesFirstLine() {
        BadRows badRows = new BadRows(5);

        VerdictFile.read(new StringReader(lines(
                "{\"itemId\":\"q\",\"reviewer\":\"ann\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"fail\"}",
                "{\"itemId\":\"q\",\"reviewer\":\"ann\",\"verdict\":\"fail\"}")), "verdicts.jsonl",
                VerdictScale.PASS_FAIL, Map.of(), badRows);

        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(3);
            assertThat(row.reason()).isEqualTo("duplicate verdict by reviewer 'ann' on item 'q', first given at"
                    + " line 1");
        });
    }

    @Test
    void read_conflictingGoldIsRejected() {
        BadRows badRows = new BadRows(5);

        VerdictFile.read(new StringReader(lines(
                "{\"itemId\":\"q\",\"reviewer\":\"ann\",\"verdict\":\"pass\",\"gold\":\"pass\"}",
                "{\"itemId\":\"q\",\"reviewer\":\"ben\",\"verdict\":\"pass\",\"gold\":\"fail\"}",
                "{\"itemId\":\"r\",\"reviewer\":\"ben\",\"verdict\":\"pass\",\"gold\":\"pass\"}")),
                "verdicts.jsonl", VerdictScale.PASS_FAIL, Map.of("r", 0), badRows);

        assertThat(badRows.rejected()).extracting(row -> row.reason()).containsExactly(
                "gold fail for item 'q' disagrees with gold pass at line 1",
                "gold pass for item 'r' disagrees with gold fail given before this file (in the gold file or an"
                        + " earlier verdict file)");
    }

    @Test
    void read_swappedOffPairwiseScaleIsRejected() {
        assertThatThrownBy(() -> read("{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":3,\"swapped\":true}",
                VerdictScale.score(1, 5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("only pairwise verdicts have an order");
    }

    @Test
    void read_scoreOutsideRangeIsRejected() {
        assertThatThrownBy(() -> read("{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":6}", VerdictScale.score(1, 5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("unknown verdict value 6 for the score:1-5 scale; expected an integer from 1"
                        + " to 5");
    }

    @Test
    void readGold_duplicateItemIsRejected() {
        assertThatThrownBy(() -> VerdictFile.readGold(new StringReader(lines(
                "{\"itemId\":\"q\",\"gold\":\"1\"}",
                "{\"itemId\":\"q\",\"gold\":\"2\"}")), "gold.jsonl", VerdictScale.PAIRWISE, BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("gold.jsonl:2: duplicate gold label for item 'q', first given at line 1");
    }

    @Test
    void scaleParse_acceptsTheThreeForms() {
        assertThat(VerdictScale.parse("pairwise")).isEqualTo(VerdictScale.PAIRWISE);
        assertThat(VerdictScale.parse("PASS-FAIL")).isEqualTo(VerdictScale.PASS_FAIL);
        assertThat(VerdictScale.parse("score:1-5")).isEqualTo(VerdictScale.score(1, 5));
        assertThat(VerdictScale.parse("score:-2-2")).isEqualTo(VerdictScale.score(-2, 2));
        assertThatThrownBy(() -> VerdictScale.parse("stars"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("score:MIN-MAX");
    }

    @Test
    void read_judgeVerdictAuditFieldsAreIgnored() {
        VerdictFile.Contents contents = read(lines(
                "{\"itemId\":\"q\",\"judge\":\"helpful\",\"verdict\":\"pass\",\"swapped\":false,\"score\":4.0,"
                        + "\"passed\":true,\"threshold\":4.0,\"reason\":\"complete\",\"promptVersion\":\"0123456789ab\","
                        + "\"modelId\":\"m\",\"steps\":[{\"step\":\"judgment\",\"rawOutput\":\"{}\"}],"
                        + "\"latencyMillis\":12,\"usage\":{\"inputTokens\":9,\"outputTokens\":3,"
                        + "\"cacheReadTokens\":0,\"cacheWriteTokens\":0}}",
                "{\"itemId\":\"r\",\"judge\":\"helpful\",\"verdict\":\"fail\",\"swapped\":false,\"score\":2.0,"
                        + "\"passed\":false,\"threshold\":4.0,\"promptVersion\":\"0123456789ab\",\"modelId\":\"m\"}"),
                VerdictScale.PASS_FAIL);

        assertThat(contents.verdicts()).containsExactly(new Verdict("q", "helpful", RaterKind.JUDGE, 1, false),
                new Verdict("r", "helpful", RaterKind.JUDGE, 0, false));
        assertThat(contents.errorVerdicts()).isZero();
    }

    @Test
    void read_misspeltAuditFieldIsRejected() {
        assertThatThrownBy(() -> read("{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"pass\","
                + "\"promptVerison\":\"0123456789ab\"}", VerdictScale.PASS_FAIL))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("promptVerison");
    }

    @Test
    void read_letterNamesItemAnswerInBothOrders() {
        VerdictFile.Contents letters = read(lines(
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"A\",\"swapped\":false}",
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"A\",\"swapped\":true}"), VerdictScale.PAIRWISE);
        VerdictFile.Contents positions = read(lines(
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"1\",\"swapped\":false}",
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"2\",\"swapped\":true}"), VerdictScale.PAIRWISE);

        assertThat(letters.verdicts()).containsExactly(new Verdict("q", "j", RaterKind.JUDGE, 1, false),
                new Verdict("q", "j", RaterKind.JUDGE, 1, true));
        assertThat(letters.verdicts()).isEqualTo(positions.verdicts());
        assertThat(letters.verdicts().get(1).position()).isEqualTo(2);
    }

    @Test
    void read_errorAndTieAreCountedNotScored() {
        BadRows badRows = new BadRows(5);

        VerdictFile.Contents contents = VerdictFile.read(new StringReader(lines(
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"B\",\"swapped\":false,\"gold\":\"2\"}",
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"error\",\"swapped\":true,"
                        + "\"error\":\"judge model call failed\",\"promptVersion\":\"p\",\"modelId\":\"m\"}",
                "{\"itemId\":\"r\",\"judge\":\"j\",\"verdict\":\"tie\",\"swapped\":false}",
                "{\"itemId\":\"r\",\"judge\":\"j\",\"verdict\":\"tie\",\"swapped\":false}")), "verdicts.jsonl",
                VerdictScale.PAIRWISE, Map.of(), badRows);

        assertThat(contents.verdicts()).containsExactly(new Verdict("q", "j", RaterKind.JUDGE, 2, false));
        assertThat(contents.errorVerdicts()).isEqualTo(1);
        assertThat(contents.ties()).isEqualTo(1);
        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(4);
            assertThat(row.reason()).contains("duplicate verdict");
        });
        assertThat(contents.gold()).containsExactly(Map.entry("q", 2));
    }

    @Test
    void read_errorOnPassFailScaleIsCounted() {
        VerdictFile.Contents contents = read(lines(
                "{\"itemId\":\"q\",\"judge\":\"j\",\"verdict\":\"error\",\"threshold\":4.0,"
                        + "\"error\":\"invalid judge output after one repair attempt\",\"promptVersion\":\"p\","
                        + "\"modelId\":\"m\"}",
                "{\"itemId\":\"r\",\"judge\":\"j\",\"verdict\":\"pass\"}"), VerdictScale.PASS_FAIL);

        assertThat(contents.verdicts()).extracting(Verdict::itemId).containsExactly("r");
        assertThat(contents.errorVerdicts()).isEqualTo(1);
        assertThat(contents.ties()).isZero();
    }

    @Test
    void readGold_lettersNameItemAnswers() {
        Map<String, Integer> gold = VerdictFile.readGold(new StringReader(lines(
                "{\"itemId\":\"q\",\"gold\":\"A\"}",
                "{\"itemId\":\"r\",\"gold\":\"b\"}")), "gold.jsonl", VerdictScale.PAIRWISE, BadRows.strict());

        assertThat(gold).containsExactly(Map.entry("q", 1), Map.entry("r", 2));
    }
}
