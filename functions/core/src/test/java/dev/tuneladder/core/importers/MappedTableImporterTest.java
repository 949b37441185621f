package dev.tuneladder.core.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.RejectedRow;
import dev.tuneladder.core.data.Turn;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappedTableImporterTest {

    private static final ColumnMapping FULL = new ColumnMapping("utterance", "intent", "ticket");

    private static List<Interaction> csv(String text, ColumnMapping mapping, BadRows badRows) {
        return MappedTableImporter.readCsv(new StringReader(text), "in.csv", mapping, "in", badRows);
    }

    private static List<Interaction> jsonl(String text, ColumnMapping mapping, BadRows badRows) {
        return MappedTableImporter.readJsonLines(new StringReader(text), "in.jsonl", mapping, "in", badRows);
    }

    @Test
    void csv_mapsColumnsAndKeepsOthersAsMetadata() {
        String text = "ticket,channel,utterance,intent\n"
                + "T-1,chat,\"Where is my card, please?\",card_arrival\n"
                + "T-2,,\"two\nlines\",\n";

        List<Interaction> rows = csv(text, FULL, BadRows.strict());

        assertThat(rows).hasSize(2);
        Interaction first = rows.get(0);
        assertThat(first.id()).isEqualTo("T-1");
        assertThat(first.turns()).containsExactly(Turn.user("Where is my card, please?"));
        assertThat(first.intent()).isEqualTo("card_arrival");
        assertThat(first.metadata()).containsOnlyKeys("channel");
        assertThat(first.metadata().get("channel").isTextual()).isTrue();
        assertThat(first.metadata().get("channel").asText()).isEqualTo("chat");
        Interaction second = rows.get(1);
        assertThat(second.lastUserText()).isEqualTo("two\nlines");
        assertThat(second.intent()).isNull();
        assertThat(second.metadata().get("channel").asText()).isEmpty();
    }

    @Test
    void csv_numbersRowsWithoutIdColumn() {
        String text = "text,extra\na,1\n\nb,2\n,3\nc,4\n";
        BadRows badRows = new BadRows(5);

        List<Interaction> rows = csv(text, ColumnMapping.ofText("text"), badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("in-00001", "in-00002", "in-00004");
        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(5);
            assertThat(row.reason()).isEqualTo("empty text in column 'text'");
        });
    }

    @Test
    void csv_missingColumnsListHeaderAndOption() {
        String text = "ticket,utterance,intent\nT-1,hi,x\n";
        List<ColumnMapping> mappings = List.of(
                new ColumnMapping("text", "intent", "ticket"),
                new ColumnMapping("utterance", "label", "ticket"),
                new ColumnMapping("utterance", "intent", "id"));
        List<String> expected = List.of(
                "in.csv:1: no column 'text' for --text-column; the header has the columns [ticket, utterance, intent]."
                        + " Set --text-column to one of them.",
                "in.csv:1: no column 'label' for --label-column; the header has the columns [ticket, utterance,"
                        + " intent]. Set --label-column to one of them.",
                "in.csv:1: no column 'id' for --id-column; the header has the columns [ticket, utterance, intent]."
                        + " Set --id-column to one of them.");

        for (int i = 0; i < mappings.size(); i++) {
            ColumnMapping mapping = mappings.get(i);
            assertThatThrownBy(() -> csv(text, mapping, new BadRows(5)))
                    .as(mapping.toString())
                    .isInstanceOf(DatasetFormatException.class)
                    .hasMessage(expected.get(i));
        }
    }

    @Test
    void csv_duplicateIdNamesFirstLine() {
        String text = "ticket,utterance,intent\nT-1,\"multi\nline\",a\nT-2,b,b\nT-1,again,c\n";
        BadRows badRows = new BadRows(5);

        List<Interaction> rows = csv(text, FULL, badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("T-1", "T-2");
        assertThat(badRows.rejected()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(5);
            assertThat(row.reason()).isEqualTo("duplicate id 'T-1', first used at line 2");
        });
    }

    @Test
    void csv_duplicateIdStrictFails() {
        String text = "ticket,utterance,intent\nT-1,a,a\nT-1,b,b\n";

        assertThatThrownBy(() -> csv(text, FULL, BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv:3: duplicate id 'T-1', first used at line 2");
    }

    @Test
    void csv_badRowsCollectedThenLimit() {
        String text = "ticket,utterance,intent\nT-1,a,a\nT-2,b\n,c,c\nT-4,d,d,extra\nT-5,e,e\n";
        BadRows badRows = new BadRows(3);

        List<Interaction> rows = csv(text, FULL, badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("T-1", "T-5");
        assertThat(badRows.rejected()).extracting(RejectedRow::location).containsExactly(
                "in.csv:3: expected 3 fields as in the header but found 2; enclose a field that contains a comma in"
                        + " double quotes",
                "in.csv:4: empty id in column 'ticket'",
                "in.csv:5: expected 3 fields as in the header but found 4; enclose a field that contains a comma in"
                        + " double quotes");
        assertThatThrownBy(() -> csv(text, FULL, new BadRows(2)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("more than 2 bad rows")
                .hasMessageContaining("in.csv:5:");
    }

    @Test
    void csv_duplicateHeaderNameFails() {
        assertThatThrownBy(() -> csv("text,a,a\nx,1,2\n", ColumnMapping.ofText("text"), new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("in.csv:1: the header names column 'a' twice (columns 2 and 3). Rename one of them.");
    }

    @Test
    void csv_emptyAndHeaderOnlyFail() {
        assertThatThrownBy(() -> csv("", ColumnMapping.ofText("text"), new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv has no rows: the file is empty");
        assertThatThrownBy(() -> csv("text\n\n", ColumnMapping.ofText("text"), new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv has no rows: it contains only the header");
    }

    @Test
    void csv_unterminatedQuoteFailsAtRecordStart() {
        String text = "text,label\na,b\n\n\"open,b\nc,d\n";

        assertThatThrownBy(() -> csv(text, new ColumnMapping("text", "label", null), new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv:4: invalid CSV")
                .hasMessageContaining("close every quote");
    }

    @Test
    void jsonl_mapsFieldsAndKeepsOthersAsIs() {
        String text = "{\"ticket\": 17, \"utterance\": \"hi\", \"intent\": \"greet\", \"tags\": [\"a\"],"
                + " \"score\": 0.5}\n"
                + "{\"ticket\": \"T-2\", \"utterance\": \"bye\", \"intent\": null}\n";

        List<Interaction> rows = jsonl(text, FULL, BadRows.strict());

        assertThat(rows).extracting(Interaction::id).containsExactly("17", "T-2");
        assertThat(rows.get(0).intent()).isEqualTo("greet");
        assertThat(rows.get(0).metadata()).containsOnlyKeys("tags", "score");
        assertThat(rows.get(0).metadata().get("tags").isArray()).isTrue();
        assertThat(rows.get(0).metadata().get("score").asDouble()).isEqualTo(0.5);
        assertThat(rows.get(1).intent()).isNull();
    }

    @Test
    void jsonl_numbersRowsWithoutIdColumn() {
        String text = "{\"t\": \"a\"}\n\n{\"t\": \"\"}\n{\"t\": \"c\"}\n";
        BadRows badRows = new BadRows(5);

        List<Interaction> rows = jsonl(text, ColumnMapping.ofText("t"), badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("in-00001", "in-00003");
        assertThat(badRows.rejected()).singleElement().extracting(RejectedRow::location)
                .isEqualTo("in.jsonl:3: empty text in field 't'");
    }

    @Test
    void jsonl_missingFieldStrictListsFieldsAndOption() {
        String text = "{\"utterance\": \"hi\", \"intent\": \"x\", \"ticket\": \"T-1\"}\n"
                + "{\"text\": \"hi\", \"intent\": \"x\", \"ticket\": \"T-2\"}\n";

        assertThatThrownBy(() -> jsonl(text, FULL, BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.jsonl:2: missing field 'utterance' for --text-column; this row has the"
                        + " fields [text, intent, ticket]. Set --text-column to the field that contains the text");
    }

    @Test
    void jsonl_badRowsNameFieldAndOption() {
        String text = String.join("\n",
                "{\"utterance\": \"ok\", \"intent\": \"x\", \"ticket\": \"T-1\"}",
                "{\"utterance\": \"hi\", \"ticket\": \"T-2\"}",
                "{\"utterance\": \"hi\", \"intent\": \"x\"}",
                "{\"utterance\": 5, \"intent\": \"x\", \"ticket\": \"T-4\"}",
                "{\"utterance\": \"hi\", \"intent\": {\"a\": 1}, \"ticket\": \"T-5\"}",
                "{\"utterance\": \"hi\", \"intent\": \"x\", \"ticket\": null}",
                "[\"not\", \"an\", \"object\"]",
                "{\"utterance\": \"again\", \"intent\": \"x\", \"ticket\": \"T-1\"}",
                "");
        BadRows badRows = new BadRows(10);

        List<Interaction> rows = jsonl(text, FULL, badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("T-1");
        assertThat(badRows.rejected()).extracting(RejectedRow::location).containsExactly(
                "in.jsonl:2: missing field 'intent' for --label-column; this row has the fields [utterance, ticket]."
                        + " Set --label-column to the field that contains the label",
                "in.jsonl:3: missing field 'ticket' for --id-column; this row has the fields [utterance, intent]."
                        + " Set --id-column to the field that contains the row id",
                "in.jsonl:4: field 'utterance' (--text-column) must be a string, found number",
                "in.jsonl:5: field 'intent' (--label-column) must be a string or a number, found object",
                "in.jsonl:6: field 'ticket' (--id-column) must be a string or a number, found null",
                "in.jsonl:7: expected a JSON object, found array",
                "in.jsonl:8: duplicate id 'T-1', first used at line 1");
    }

    @Test
    void jsonl_emptyFileFails() {
        assertThatThrownBy(() -> jsonl("\n", ColumnMapping.ofText("t"), new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("in.jsonl has no rows");
    }

    @Test
    void columnMapping_rejectsBlankAndRepeatedColumns() {
        assertThatThrownBy(() -> ColumnMapping.ofText(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--text-column is blank");
        assertThatThrownBy(() -> new ColumnMapping("text", "", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--label-column is blank");
        assertThatThrownBy(() -> new ColumnMapping("text", "label", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must name different columns");
    }

    @Test
    void missingPrefixWithoutIdColumn_isRejected() {
        assertThatThrownBy(() -> MappedTableImporter.readCsv(new StringReader("t\na\n"), "in.csv",
                ColumnMapping.ofText("t"), null, BadRows.strict()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("idPrefix");
    }
}
