package dev.tuneladder.core.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.RejectedRow;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class Banking77ImporterTest {

    private static final Path DATA = Path.of("../../datasets/banking77");

    /** One bad record of each kind; the comments give line numbers, and records 2 and 7 span two lines. */
    private static final String MIXED = String.join("\n",
            "text,category",                       // 1
            "first good,card_arrival",             // 2  record 1
            "\"two lines,",                         // 3  record 2 starts (quoted comma and newline)
            "still record two\",card_linking",      // 4
            "too,many,fields",                      // 5  record 3: three fields
            ",card_arrival",                        // 6  record 4: empty text
            "\"no category\",",                     // 7  record 5: empty category
            "",                                     // 8  blank line, skipped
            "hello,not_an_intent",                  // 9  record 6: unknown category
            "\"quoted",                             // 10 record 7 starts: three fields over two lines
            "and more\",a,b",                       // 11
            "last good,card_linking",               // 12 record 8
            "");

    private static final Set<String> MIXED_CATEGORIES = Set.of("card_arrival", "card_linking");

    private static Set<String> realCategories() throws IOException {
        try (Reader reader = Files.newBufferedReader(DATA.resolve("categories.json"), StandardCharsets.UTF_8)) {
            return Banking77Importer.readCategories(reader, "categories.json");
        }
    }

    private static List<Interaction> readReal(String file, Set<String> categories, BadRows badRows)
            throws IOException {
        Reader reader = Files.newBufferedReader(DATA.resolve(file), StandardCharsets.UTF_8);
        return Banking77Importer.read(reader, file, ImportFormat.idPrefixOf(file), categories, badRows);
    }

    private static List<Interaction> read(String csv, Set<String> categories, BadRows badRows) {
        return Banking77Importer.read(new StringReader(csv), "in.csv", "in", categories, badRows);
    }

    @Test
    void realTrain_imports10003Rows() throws IOException {
        BadRows badRows = BadRows.strict();

        List<Interaction> rows = readReal("train.csv", realCategories(), badRows);

        assertThat(rows).hasSize(10_003);
        assertThat(rows.stream().map(Interaction::intent).distinct()).hasSize(77);
        assertThat(rows.get(0).id()).isEqualTo("train-00001");
        assertThat(rows.get(0).lastUserText()).isEqualTo("I am still waiting on my card?");
        assertThat(rows.get(0).intent()).isEqualTo("card_arrival");
        assertThat(rows.get(10_002).id()).isEqualTo("train-10003");
        assertThat(rows.stream().map(Interaction::id).distinct()).hasSize(10_003);
    }

    @Test
    void realTest_has40PerCategory() throws IOException {
        List<Interaction> rows = readReal("test.csv", realCategories(), BadRows.strict());

        Map<String, Long> perCategory = rows.stream()
                .collect(Collectors.groupingBy(Interaction::intent, Collectors.counting()));
        assertThat(rows).hasSize(3_080);
        assertThat(perCategory).hasSize(77);
        assertThat(new HashSet<>(perCategory.values())).containsExactly(40L);
    }

    @Test
    void realTrain_keepsQuotedCommasAndNewlines() throws IOException {
        Map<String, Interaction> byId = readReal("train.csv", null, BadRows.strict()).stream()
                .collect(Collectors.toMap(Interaction::id, Function.identity()));

        assertThat(byId.get("train-00005").lastUserText())
                .isEqualTo("How do I know if I will get my card, or if it is lost?");
        assertThat(byId.get("train-01291").lastUserText())
                .isEqualTo("\nI can't seem to be able to use my card\n\n\n");
        assertThat(byId.get("train-04477").lastUserText()).isEqualTo("There are a few transaction that I don't"
                + " recognize, I think someone managed to get my card details and use it.\n");
        assertThat(byId.get("train-04477").intent()).isEqualTo("compromised_card");
    }

    /**
     * Rejecting three real categories turns their records into bad rows, which carry the line where each record
     * starts. Records with quoted newlines earlier in the file shift those lines, so the numbers test the line
     * tracking on real data.
     */
    @Test
    void realTrain_badRowsHaveStartLines() throws IOException {
        Set<String> categories = new HashSet<>(realCategories());
        categories.removeAll(Set.of("card_arrival", "card_not_working", "pin_blocked"));
        BadRows badRows = new BadRows(1_000);

        List<Interaction> rows = readReal("train.csv", categories, badRows);

        Map<Long, RejectedRow> byLine = badRows.rejected().stream()
                .collect(Collectors.toMap(RejectedRow::line, Function.identity()));
        assertThat(rows.size() + badRows.count()).isEqualTo(10_003);
        assertThat(byLine).containsKeys(6L, 1292L, 1716L, 1729L);
        assertThat(byLine.get(6L).raw()).contains("How do I know if I will get my card, or if it is lost?");
        assertThat(byLine.get(1292L).raw()).isEqualTo("\"\nI can't seem to be able to use my card\n\n\n\","
                + "card_not_working");
        assertThat(byLine.get(1292L).reason()).contains("'card_not_working'");
        assertThat(byLine.get(1716L).raw()).contains("I put the wrong pin too many times");
        assertThat(byLine.get(1729L).raw()).contains("How do I unblock my PIN?");
    }

    @Test
    void mixedRows_strictFailsOnFirstBadRow() {
        assertThatThrownBy(() -> read(MIXED, MIXED_CATEGORIES, BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv:5: expected 2 fields (text,category) but found 3")
                .hasMessageContaining("--max-bad-rows");
    }

    @Test
    void mixedRows_collectedWithStartLines() {
        BadRows badRows = new BadRows(10);

        List<Interaction> rows = read(MIXED, MIXED_CATEGORIES, badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("in-00001", "in-00002", "in-00008");
        assertThat(rows.get(1).lastUserText()).isEqualTo("two lines,\nstill record two");
        assertThat(badRows.rejected()).extracting(RejectedRow::line).containsExactly(5L, 6L, 7L, 9L, 10L);
        List<String> reasons = badRows.rejected().stream().map(RejectedRow::reason).toList();
        assertThat(reasons.get(0)).startsWith("expected 2 fields (text,category) but found 3");
        assertThat(reasons.get(1)).startsWith("empty text");
        assertThat(reasons.get(2)).startsWith("empty category");
        assertThat(reasons.get(3)).startsWith("unknown category 'not_an_intent'").contains("categories file");
        assertThat(reasons.get(4)).startsWith("expected 2 fields (text,category) but found 3");
        assertThat(badRows.rejected().get(0).raw()).isEqualTo("too,many,fields");
        assertThat(badRows.rejected().get(0).source()).isEqualTo("in.csv");
    }

    @Test
    void mixedRows_pastLimitFailsNamingLimit() {
        assertThatThrownBy(() -> read(MIXED, MIXED_CATEGORIES, new BadRows(4)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("more than 4 bad rows")
                .hasMessageContaining("in.csv:10: expected 2 fields");
    }

    @Test
    void crlfQuotedNewline_startLineAndText() {
        String csv = "text,category\r\n\"a\r\nb\",card_arrival\r\n\"c\",bad_one\r\n";
        BadRows badRows = new BadRows(1);

        List<Interaction> rows = read(csv, MIXED_CATEGORIES, badRows);

        assertThat(rows).singleElement().extracting(Interaction::lastUserText).isEqualTo("a\r\nb");
        assertThat(badRows.rejected()).singleElement().extracting(RejectedRow::line).isEqualTo(4L);
    }

    @Test
    void noCategorySet_acceptsAnyCategory() {
        List<Interaction> rows = read("text,category\nhi,anything_goes\n", null, BadRows.strict());

        assertThat(rows).singleElement().extracting(Interaction::intent).isEqualTo("anything_goes");
    }

    @Test
    void byteOrderMark_beforeHeaderIsIgnored() {
        List<Interaction> rows = read("\uFEFFtext,category\nhi,card_arrival\n", MIXED_CATEGORIES, BadRows.strict());

        assertThat(rows).hasSize(1);
    }

    @Test
    void emptyFile_failsWithNoRows() {
        assertThatThrownBy(() -> read("", null, new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv has no rows");
    }

    @Test
    void headerOnly_failsWithNoRows() {
        for (String csv : List.of("text,category", "text,category\n", "text,category\r\n\r\n")) {
            assertThatThrownBy(() -> read(csv, null, new BadRows(5)))
                    .as("input %s", csv.replace("\n", "\\n").replace("\r", "\\r"))
                    .isInstanceOf(DatasetFormatException.class)
                    .hasMessageStartingWith("in.csv has no rows")
                    .hasMessageContaining("only the header");
        }
    }

    @Test
    void wrongHeader_failsNamingBothHeaders() {
        assertThatThrownBy(() -> read("utterance,label\nhi,card_arrival\n", null, new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv:1: the header is 'utterance,label'")
                .hasMessageContaining("'text,category'")
                .hasMessageContaining("--text-column");
    }

    @Test
    void unterminatedQuote_failsAtRecordStart() {
        String csv = "text,category\nok,card_arrival\n\"never closed,card_arrival\nmore,card_arrival\n";

        assertThatThrownBy(() -> read(csv, null, new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv:3: invalid CSV")
                .hasMessageContaining("close every quote");
    }

    @Test
    void textAfterClosingQuote_failsAtRecordStart() {
        String csv = "text,category\nok,card_arrival\n\"quoted\" then text,card_arrival\n";

        assertThatThrownBy(() -> read(csv, null, new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("in.csv:3: invalid CSV");
    }

    @Test
    void blankIdPrefix_isRejected() {
        assertThatThrownBy(() -> Banking77Importer.read(new StringReader("text,category\nhi,x\n"), "in.csv", " ",
                null, BadRows.strict()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id prefix is blank");
    }

    @Test
    void readCategories_realFileHas77() throws IOException {
        Set<String> categories = realCategories();

        assertThat(categories).hasSize(77).contains("card_arrival", "transfer_not_received_by_recipient");
    }

    @Test
    void readCategories_rejectsBadLists() {
        Map<String, String> cases = Map.of(
                "", "contains nothing",
                "{\"a\":1}", "contains a JSON object",
                "[]", "contains an empty array",
                "[\"a\", 3]", "element [1] must be a non-blank string",
                "[\"a\", \"a\"]", "element [1] repeats the category 'a'",
                "[\"a\"", "is not valid JSON");
        cases.forEach((json, expected) -> assertThatThrownBy(
                () -> Banking77Importer.readCategories(new StringReader(json), "categories.json"))
                .as("input %s", json)
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("categories.json")
                .hasMessageContaining(expected));
    }
}
