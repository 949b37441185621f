package dev.tuneladder.core.judging.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmBarFilesTest {

    private static String element(String label, String originalWinner, String swappedCompletion,
            String swappedWinner) {
        return "{\"input\": \"say hi\", \"output_1\": \"hi\", \"output_2\": \"bye\", \"label\": " + label + ",\n"
                + " \"results\": [{\"swap = False\": {\"completion\": [\"Output (a)\", \"stop\"], \"winner\": "
                + originalWinner + "},\n"
                + "  \"swap = True\": {\"completion\": [\"" + swappedCompletion + "\", \"stop\"], \"winner\": "
                + swappedWinner + "}}]}";
    }

    private static String array(String... elements) {
        return "[\n" + String.join(",\n", elements) + "\n]";
    }

    @Test
    void readResults_swappedWinnerIsInItemNumbering() {
        String file = array(element("1", "\"1\"", "Output (b)", "\"1\""));

        List<LlmBarFiles.Judgement> judgements = LlmBarFiles.readResults(new StringReader(file), "result.json",
                BadRows.strict());
        List<Verdict> verdicts = LlmBarFiles.verdicts("gpt", judgements);

        assertThat(judgements).singleElement().satisfies(judgement -> {
            assertThat(judgement.originalWinner()).isEqualTo(1);
            assertThat(judgement.swappedWinner()).isEqualTo(1);
            assertThat(judgement.item().itemId()).isEqualTo("0");
        });
        assertThat(verdicts).containsExactly(new Verdict("0", "gpt", RaterKind.JUDGE, 1, false),
                new Verdict("0", "gpt", RaterKind.JUDGE, 1, true));
        assertThat(verdicts.get(1).position()).isEqualTo(2);
    }

    @Test
    void readResults_unknownWinnerNamesLineAndValue() {
        String file = array(element("1", "\"1\"", "Output (b)", "\"1\""), element("2", "\"tie\"", "Output (a)",
                "\"2\""));

        assertThatThrownBy(() -> LlmBarFiles.readResults(new StringReader(file), "result.json", BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("result.json:5: element [1]: unknown results[0][\"swap = False\"].winner"
                        + " value \"tie\"")
                .hasMessageContaining("expected \"1\" or \"2\"");
    }

    @Test
    void readResults_completionContradictingWinnerIsRejected() {
        // Under "swap = True", "Output (a)" shows output_2, so the winner must be "2".
        String file = array(element("2", "\"1\"", "Output (a)", "\"1\""));
        BadRows badRows = new BadRows(1);

        List<LlmBarFiles.Judgement> judgements = LlmBarFiles.readResults(new StringReader(file), "result.json",
                badRows);

        assertThat(judgements).isEmpty();
        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(2);
            assertThat(row.reason()).contains("completion \"Output (a)\" (position 1) but winner \"1\"");
        });
    }

    @Test
    void readDataset_stringLabelIsRejected() {
        String file = array("{\"input\": \"a\", \"output_1\": \"b\", \"output_2\": \"c\", \"label\": \"1\"}");

        assertThatThrownBy(() -> LlmBarFiles.readDataset(new StringReader(file), "dataset.json", BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("dataset.json:2: element [0]: invalid gold 'label' \"1\"; expected the"
                        + " integer 1 or 2");
    }

    @Test
    void readDataset_missingOutputIsRejected() {
        String file = array("{\"input\": \"a\", \"output_1\": \"b\", \"label\": 1}");

        assertThatThrownBy(() -> LlmBarFiles.readDataset(new StringReader(file), "dataset.json", BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("missing required field 'output_2'");
    }

    @Test
    void readDataset_syntaxErrorNamesLineAndColumn() {
        String file = "[\n{\"input\": \"a\", \"output_1\": \"b\", \"output_2\": \"c\", \"label\": 1},\n{\"input\" \"x\"}\n]";

        assertThatThrownBy(() -> LlmBarFiles.readDataset(new StringReader(file), "dataset.json", BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("dataset.json:3:")
                .hasMessageContaining("invalid JSON in element [1]");
    }

    @Test
    void readDataset_objectInsteadOfArrayFails() {
        assertThatThrownBy(() -> LlmBarFiles.readDataset(new StringReader("{\"input\": \"a\"}"), "dataset.json",
                BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("must contain one JSON array");
    }

    @Test
    void matchItems_differentTextIsRejected() {
        List<LlmBarFiles.Judgement> judgements = LlmBarFiles.readResults(new StringReader(array(
                element("1", "\"1\"", "Output (b)", "\"1\""))), "result.json", BadRows.strict());
        List<LlmBarFiles.Item> dataset = LlmBarFiles.readDataset(new StringReader(array(
                "{\"input\": \"say hello\", \"output_1\": \"hi\", \"output_2\": \"bye\", \"label\": 1}")),
                "dataset.json", BadRows.strict());
        BadRows badRows = new BadRows(5);

        List<LlmBarFiles.Judgement> kept = LlmBarFiles.matchItems(judgements, "result.json", dataset,
                "dataset.json", badRows);

        assertThat(kept).isEmpty();
        assertThat(badRows.rejected()).singleElement().satisfies(row ->
                assertThat(row.reason()).contains("field 'input' differs"));
    }
}
