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
                "{\"itemId\":\"r\",\"judge\":\"j\",\"verdict\":\"tie\"}"), VerdictScale.PAIRWISE))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("verdicts.jsonl:2: unknown verdict value \"tie\" for the pairwise scale;"
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
}
