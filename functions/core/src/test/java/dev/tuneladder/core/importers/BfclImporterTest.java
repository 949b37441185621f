package dev.tuneladder.core.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.RejectedRow;
import dev.tuneladder.core.data.Turn;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BfclImporterTest {

    private static final Path DATA = Path.of("../../datasets/bfcl/v3_core");

    private static List<Interaction> readReal(BfclCategory category, BadRows badRows) throws IOException {
        Path questions = DATA.resolve(category.fileName());
        Path answers = DATA.resolve("possible_answer").resolve(category.fileName());
        return BfclImporter.read(
                Files.newBufferedReader(questions, StandardCharsets.UTF_8), questions.toString(),
                Files.newBufferedReader(answers, StandardCharsets.UTF_8), answers.toString(),
                category, badRows);
    }

    private static Map<String, Interaction> byId(List<Interaction> interactions) {
        return interactions.stream().collect(Collectors.toMap(Interaction::id, Function.identity()));
    }

    /** Reads the answer file with plain Jackson, independently of the importer, keyed by id. */
    private static Map<String, JsonNode> rawAnswers(BfclCategory category) throws IOException {
        Map<String, JsonNode> answers = new HashMap<>();
        for (String line : Files.readAllLines(DATA.resolve("possible_answer").resolve(category.fileName()))) {
            if (!line.isBlank()) {
                JsonNode row = Json.mapper().readTree(line);
                answers.put(row.get("id").asText(), row.get("ground_truth"));
            }
        }
        return answers;
    }

    private static Reader resource(String name) {
        return new InputStreamReader(Objects.requireNonNull(
                BfclImporterTest.class.getResourceAsStream("/importers/bfcl/" + name), name),
                StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({"SIMPLE, 400", "MULTIPLE, 200", "PARALLEL, 200", "PARALLEL_MULTIPLE, 200", "MULTI_TURN_BASE, 200"})
    void realFile_importsEveryRow(BfclCategory category, int expectedRows) throws IOException {
        BadRows badRows = BadRows.strict();

        List<Interaction> rows = readReal(category, badRows);

        assertThat(rows).hasSize(expectedRows);
        assertThat(rows.stream().map(Interaction::id).distinct()).hasSize(expectedRows);
        assertThat(rows).allSatisfy(row -> assertThat(row.metadata().get(BfclImporter.CATEGORY).asText())
                .isEqualTo(category.label()));
        assertThat(rows.get(0).id()).isEqualTo(category.label() + "_0");
    }

    @ParameterizedTest
    @CsvSource({"SIMPLE", "MULTIPLE", "PARALLEL", "PARALLEL_MULTIPLE"})
    void realSingleTurn_acceptedCallsMatchGroundTruth(BfclCategory category) throws IOException {
        Map<String, JsonNode> groundTruth = rawAnswers(category);

        List<Interaction> rows = readReal(category, BadRows.strict());

        for (Interaction row : rows) {
            JsonNode expected = groundTruth.get(row.id());
            List<AcceptedCall> calls = row.expected().acceptedCalls();
            assertThat(calls).as(row.id()).hasSize(expected.size());
            for (int i = 0; i < calls.size(); i++) {
                String name = expected.get(i).fieldNames().next();
                JsonNode arguments = expected.get(i).get(name);
                List<String> argumentNames = new ArrayList<>();
                arguments.fieldNames().forEachRemaining(argumentNames::add);
                AcceptedCall call = calls.get(i);

                assertThat(call.name()).as(row.id() + " call " + i).isEqualTo(name);
                assertThat(call.acceptedValues().keySet()).as(row.id() + " call " + i)
                        .containsExactlyElementsOf(argumentNames);
                for (String argument : argumentNames) {
                    assertThat(call.acceptedValues().get(argument)).as(row.id() + " " + argument)
                            .hasSize(arguments.get(argument).size());
                }
            }
            assertThat(row.tools()).as(row.id()).isNotEmpty();
            assertThat(row.metadata().get(BfclImporter.USER_TURNS).asInt()).as(row.id()).isEqualTo(1);
        }
    }

    @Test
    void realParallel_keepsEveryCallInOrder() throws IOException {
        Interaction row = byId(readReal(BfclCategory.PARALLEL, BadRows.strict())).get("parallel_137");

        List<AcceptedCall> calls = row.expected().acceptedCalls();
        assertThat(calls).hasSize(8);
        assertThat(calls).extracting(AcceptedCall::name).containsOnly("array_sort");
        assertThat(calls.get(0).acceptedValues().get("list").get(0).toString()).isEqualTo("[45,12,67,21,89]");
        assertThat(calls.get(0).acceptedValues().get("order").get(0).asText()).isEqualTo("ascending");
        assertThat(calls.get(1).acceptedValues().get("order").get(0).asText()).isEqualTo("descending");
    }

    @Test
    void realSimple_mapsTurnsToolsAndOptionalArguments() throws IOException {
        Interaction row = byId(readReal(BfclCategory.SIMPLE, BadRows.strict())).get("simple_0");

        assertThat(row.turns()).containsExactly(Turn.user(
                "Find the area of a triangle with a base of 10 units and height of 5 units."));
        assertThat(row.tools()).singleElement()
                .satisfies(tool -> assertThat(tool.get("name").asText()).isEqualTo("calculate_triangle_area"));
        AcceptedCall call = row.expected().acceptedCalls().get(0);
        assertThat(call.name()).isEqualTo("calculate_triangle_area");
        assertThat(call.acceptedValues().get("base")).extracting(JsonNode::asInt).containsExactly(10);
        assertThat(call.acceptedValues().get("unit")).extracting(JsonNode::asText).containsExactly("units", "");
        assertThat(row.intent()).isNull();
    }

    @Test
    void realMultiTurn_keepsTurnsAndCallStrings() throws IOException {
        Map<String, Interaction> rows = byId(readReal(BfclCategory.MULTI_TURN_BASE, BadRows.strict()));
        Interaction first = rows.get("multi_turn_base_0");

        assertThat(first.turns()).hasSize(4).allSatisfy(turn -> assertThat(turn.role()).isEqualTo("user"));
        assertThat(first.turns().get(0).content()).startsWith("Move 'final_report.pdf' within document directory");
        assertThat(first.metadata().get(BfclImporter.USER_TURNS).asInt()).isEqualTo(4);
        JsonNode calls = first.metadata().get(BfclImporter.GROUND_TRUTH_CALLS);
        assertThat(calls.size()).isEqualTo(4);
        assertThat(calls.get(0).get(0).asText()).isEqualTo("cd(folder='document')");
        assertThat(calls.get(3).size()).isEqualTo(4);
        assertThat(first.metadata().get("involved_classes").toString())
                .isEqualTo("[\"TwitterAPI\",\"GorillaFileSystem\"]");
        assertThat(first.metadata()).containsKeys("initial_config", "path");
        assertThat(first.expected()).isNull();
        assertThat(first.tools()).isEmpty();
        int messages = rows.values().stream().mapToInt(row -> row.turns().size()).sum();
        assertThat(messages).isEqualTo(745);
    }

    /** Upstream's multi_turn_base_154 has 5 user turns but 6 ground-truth turns; the importer keeps both as is. */
    @Test
    void realMultiTurn_keepsUnevenGroundTruth() throws IOException {
        Interaction row = byId(readReal(BfclCategory.MULTI_TURN_BASE, BadRows.strict())).get("multi_turn_base_154");

        assertThat(row.turns()).hasSize(5);
        assertThat(row.metadata().get(BfclImporter.GROUND_TRUTH_CALLS).size()).isEqualTo(6);
    }

    @Test
    void mismatchedFiles_rejectDuplicatesAndOrphans() {
        BadRows badRows = new BadRows(10);

        List<Interaction> rows = BfclImporter.read(resource("questions-mismatch.jsonl"), "questions.json",
                resource("answers-mismatch.jsonl"), "answers.json", BfclCategory.SIMPLE, badRows);

        assertThat(rows).extracting(Interaction::id).containsExactly("simple_0", "simple_1");
        assertThat(rows.get(1).expected().acceptedCalls().get(0).acceptedValues().get("number").get(0).asInt())
                .isEqualTo(5);
        assertThat(badRows.rejected()).extracting(RejectedRow::location).containsExactly(
                "questions.json:5: duplicate id 'simple_0', first used at line 1",
                "answers.json:4: duplicate id 'simple_1', first used at line 3",
                "questions.json:4: no answer row for id 'simple_2' in answers.json; add the answer there or remove"
                        + " this question",
                "answers.json:2: no question row for id 'simple_9' in questions.json; add the question there or"
                        + " remove this answer");
        assertThat(badRows.rejected().get(3).raw()).startsWith("{\"id\": \"simple_9\"");
    }

    @Test
    void mismatchedFiles_strictFailsOnFirst() {
        assertThatThrownBy(() -> BfclImporter.read(resource("questions-mismatch.jsonl"), "questions.json",
                resource("answers-mismatch.jsonl"), "answers.json", BfclCategory.SIMPLE, BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("questions.json:5: duplicate id 'simple_0'");
    }

    @Test
    void questionWithoutAnswer_strictFails() {
        String question = "{\"id\": \"q1\", \"question\": [[{\"role\": \"user\", \"content\": \"hi\"}]],"
                + " \"function\": []}\n";
        String answer = "{\"id\": \"other\", \"ground_truth\": []}\n";

        assertThatThrownBy(() -> BfclImporter.read(new StringReader(question), "q.json", new StringReader(answer),
                "a.json", BfclCategory.SIMPLE, BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("q.json:1: no answer row for id 'q1' in a.json");
    }

    @Test
    void multiTurnShape_isRejectedWithHint() {
        BadRows badRows = new BadRows(5);

        BfclImporter.read(resource("questions-mismatch.jsonl"), "questions.json",
                resource("answers-multi-turn-shape.jsonl"), "answers.json", BfclCategory.SIMPLE, badRows);

        assertThat(badRows.rejected().get(1).location()).startsWith("answers.json:1: ground_truth[0] of 'simple_0'")
                .contains("multi-turn answer shape");
    }

    @Test
    void malformedRows_areRejectedWithReason() {
        String questions = String.join("\n",
                "{\"id\": \"a\", \"question\": [[{\"role\": \"user\", \"content\": \"hi\"}]], \"function\": []}",
                "[1, 2]",
                "{\"question\": [], \"function\": []}",
                "{\"id\": \"c\", \"question\": [[{\"role\": \"user\"}]], \"function\": []}",
                "{\"id\": \"d\", \"question\": [[{\"role\": \"user\", \"content\": \"x\"}]]}",
                "{\"id\": \"e\", \"question\": [[]], \"function\": []}",
                "{\"id\": \"f\", \"question\": [[{\"role\": \"user\", \"content\": \"x\"}]], \"function\": [],"
                        + " \"category\": \"clash\"}",
                "{\"id\": \"g\", \"question\": [[{\"role\": \"user\", \"content\": \"x\"}]], \"function\": [],"
                        + " \"source\": \"kept\"}",
                "not json");
        String answers = String.join("\n",
                "{\"id\": \"a\", \"ground_truth\": [{\"f\": {\"x\": 1}}]}",
                "{\"id\": \"g\", \"ground_truth\": [{\"f\": {\"x\": [1, \"\"]}}], \"source\": \"clash\"}",
                "{\"id\": \"c\", \"ground_truth\": []}");
        BadRows badRows = new BadRows(20);

        List<Interaction> rows = BfclImporter.read(new StringReader(questions), "q.json",
                new StringReader(answers), "a.json", BfclCategory.SIMPLE, badRows);

        List<String> locations = badRows.rejected().stream()
                .map(RejectedRow::location)
                .map(location -> location.startsWith("q.json:9: invalid JSON: ") ? "q.json:9: invalid JSON" : location)
                .toList();
        assertThat(rows).isEmpty();
        assertThat(locations).containsExactly(
                "q.json:2: expected a JSON object with an 'id' field, found array",
                "q.json:3: missing or blank 'id'; every row needs a string id such as \"simple_0\"",
                "q.json:4: question[0][0].content of 'c' is missing or not a string",
                "q.json:5: 'function' of 'd' is missing; expected a JSON array",
                "q.json:6: question 'e' has no messages in 'question'",
                "q.json:7: field 'category' of 'f' clashes with the metadata key the importer sets; rename the field",
                "q.json:9: invalid JSON",
                "a.json:1: ground_truth[0].f.x of 'a' must be an array of accepted values",
                "q.json:1: the answer row for id 'a' in a.json (line 1) is invalid, so this question cannot be"
                        + " joined; fix that row",
                "a.json:2: field 'source' of 'g' appears in both the question and the answer row; remove one of"
                        + " them",
                "a.json:3: the question row for id 'c' in q.json (line 4) is invalid, so this answer cannot be"
                        + " joined; fix that row");
    }

    @Test
    void emptyAnswerFile_failsWithNoRows() {
        String question = "{\"id\": \"q1\", \"question\": [[{\"role\": \"user\", \"content\": \"hi\"}]],"
                + " \"function\": []}\n";

        assertThatThrownBy(() -> BfclImporter.read(new StringReader(question), "q.json", new StringReader(""),
                "a.json", BfclCategory.SIMPLE, new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("a.json has no rows");
    }

    @Test
    void emptyQuestionFile_stillClosesAnswers() {
        StringReader answers = new StringReader("{\"id\": \"q1\", \"ground_truth\": []}\n");

        assertThatThrownBy(() -> BfclImporter.read(new StringReader(""), "q.json", answers, "a.json",
                BfclCategory.SIMPLE, new BadRows(5)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("q.json has no rows");
        assertThatThrownBy(answers::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void categoryOfFileName_readsUpstreamNames() {
        assertThat(BfclCategory.ofFileName("datasets/bfcl/v3_core/BFCL_v3_parallel_multiple.json"))
                .isEqualTo(BfclCategory.PARALLEL_MULTIPLE);
        assertThat(BfclCategory.ofFileName("possible_answer\\BFCL_v3_simple.json")).isEqualTo(BfclCategory.SIMPLE);
        assertThat(BfclCategory.MULTI_TURN_BASE.fileName()).isEqualTo("BFCL_v3_multi_turn_base.json");
    }

    @Test
    void categoryOfFileName_rejectsOthers() {
        for (String name : List.of("BFCL_v3_live_simple.json", "BFCL_v4_simple_python.json", "simple.json")) {
            assertThatThrownBy(() -> BfclCategory.ofFileName(name))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + name + "'")
                    .hasMessageContaining("simple, multiple, parallel, parallel_multiple, multi_turn_base");
        }
    }
}
