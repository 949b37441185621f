package dev.tuneladder.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesBadInputTest {

    private static final String GOOD_1 = "{\"id\":\"a\",\"turns\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String GOOD_2 =
            "{\"id\":\"b\",\"turns\":[{\"role\":\"user\",\"content\":\"yo\"}],\"intent\":\"x\"}";

    private static List<Interaction> readInteractions(String text, BadRows badRows) {
        return JsonLines.readInteractions(new StringReader(text), "in.jsonl", badRows);
    }

    private static RejectedRow onlyRejected(String text) {
        BadRows badRows = new BadRows(5);
        List<Interaction> rows = readInteractions(text, badRows);
        assertThat(rows).extracting(Interaction::id).containsExactly("a");
        assertThat(badRows.rejected()).hasSize(1);
        return badRows.rejected().get(0);
    }

    @Test
    void malformedJsonLine_isRejectedWithLine() {
        RejectedRow row = onlyRejected(GOOD_1 + "\n{\"id\":\"b\",\n");

        assertThat(row.line()).isEqualTo(2);
        assertThat(row.reason()).startsWith("invalid JSON");
        assertThat(row.raw()).isEqualTo("{\"id\":\"b\",");
    }

    @Test
    void malformedLine_strictNamesFileAndLine() {
        assertThatThrownBy(() -> readInteractions(GOOD_1 + "\nnot json\n", BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.jsonl:2: invalid JSON")
                .hasMessageContaining("--max-bad-rows");
    }

    @Test
    void unknownField_isRejectedNamingField() {
        RejectedRow row = onlyRejected(GOOD_1 + "\n{\"id\":\"b\",\"turns\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"colour\":\"red\"}\n");

        assertThat(row.line()).isEqualTo(2);
        assertThat(row.reason()).contains("colour");
    }

    @Test
    void missingId_isRejectedAsMissingField() {
        RejectedRow row = onlyRejected(GOOD_1 + "\n{\"turns\":[{\"role\":\"user\",\"content\":\"x\"}]}\n");

        assertThat(row.line()).isEqualTo(2);
        assertThat(row.reason()).isEqualTo("missing required field id");
    }

    @Test
    void blankId_isRejected() {
        RejectedRow row =
                onlyRejected(GOOD_1 + "\n{\"id\":\"  \",\"turns\":[{\"role\":\"user\",\"content\":\"x\"}]}\n");

        assertThat(row.line()).isEqualTo(2);
        assertThat(row.reason()).isEqualTo("interaction id is blank");
    }

    @Test
    void missingNestedField_reasonNamesPath() {
        RejectedRow row = onlyRejected(GOOD_1 + "\n{\"id\":\"b\",\"turns\":[{\"content\":\"x\"}]}\n");

        assertThat(row.line()).isEqualTo(2);
        assertThat(row.reason()).contains("role").contains("turns[0]");
    }

    @Test
    void duplicateId_isRejectedNamingFirstLine() {
        BadRows badRows = new BadRows(5);

        List<Interaction> rows = readInteractions(GOOD_1 + "\n\n" + GOOD_2 + "\n" + GOOD_1 + "\n", badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("a", "b");
        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(4);
            assertThat(row.reason()).isEqualTo("duplicate id 'a', first used at line 1");
        });
    }

    @Test
    void jsonNullLine_isRejectedNotReturned() {
        BadRows badRows = new BadRows(5);

        List<Interaction> viaRead = JsonLines.read(new StringReader(GOOD_1 + "\nnull\n"), "in.jsonl",
                Interaction.class, badRows);

        assertThat(viaRead).doesNotContainNull().hasSize(1);
        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(2);
            assertThat(row.reason()).contains("null");
        });
    }

    @Test
    void nullLine_interactionReasonIsClear() {
        RejectedRow row = onlyRejected(GOOD_1 + "\nnull\n");

        assertThat(row.line()).isEqualTo(2);
        assertThat(row.reason()).isEqualTo("the line is JSON null; expected a JSON object");
    }

    @Test
    void emptyFile_failsWithNoRows() {
        assertThatThrownBy(() -> readInteractions("", new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("in.jsonl has no rows");
    }

    @Test
    void blankLinesOnly_failsWithNoRows() {
        assertThatThrownBy(() -> readInteractions("\n  \n\t\n", new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("in.jsonl has no rows");
    }

    @Test
    void byteOrderMarkOnFirstLine_isIgnored() {
        BadRows badRows = BadRows.strict();

        List<Interaction> rows = readInteractions("\uFEFF" + GOOD_1 + "\r\n" + GOOD_2 + "\r\n", badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("a", "b");
        assertThat(badRows.count()).isZero();
    }

    @Test
    void bomThenBlankLine_keepsLineNumbers() {
        BadRows badRows = new BadRows(5);

        readInteractions("\uFEFF\n" + GOOD_1 + "\n{}\n", badRows);

        assertThat(badRows.rejected()).singleElement().extracting(RejectedRow::line).isEqualTo(3L);
    }

    @Test
    void pastLimit_failsNamingLastRow() {
        String text = GOOD_1 + "\nx\ny\nz\n";

        assertThatThrownBy(() -> readInteractions(text, new BadRows(2)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("more than 2 bad rows")
                .hasMessageContaining("in.jsonl:4: invalid JSON");
    }

    @Test
    void trailingSecondObjectOnLine_isRejected() {
        RejectedRow row = onlyRejected(GOOD_1 + "\n" + GOOD_2 + " " + GOOD_2 + "\n");

        assertThat(row.line()).isEqualTo(2);
        assertThat(row.reason()).contains("invalid JSON");
    }

    @Test
    void readNumbered_passesLineNumbers() {
        BadRows badRows = new BadRows(5);

        List<String> rows = JsonLines.readNumbered(new StringReader("1\n\n2\n3\n"), "n.jsonl", (lineNumber, line) -> {
            if (line.equals("2")) {
                throw new IllegalArgumentException("two is not allowed");
            }
            return lineNumber + ":" + line;
        }, badRows);

        assertThat(rows).containsExactly("1:1", "4:3");
        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(3);
            assertThat(row.reason()).isEqualTo("two is not allowed");
            assertThat(row.raw()).isEqualTo("2");
        });
    }
}
