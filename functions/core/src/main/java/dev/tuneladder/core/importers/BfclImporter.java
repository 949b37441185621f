package dev.tuneladder.core.importers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Expected;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.data.Turn;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Imports Berkeley Function Calling Leaderboard (BFCL) v3 test files: a question file and its possible-answer
 * file, both JSON Lines despite the {@code .json} suffix, joined by {@code id}.
 *
 * <p>Mapping of a question row {@code {id, question, function, ...}} and its answer row {@code {id, ground_truth}}:
 * <ul>
 *   <li>{@code id} becomes the interaction id.
 *   <li>{@code question}, a list of turns that are each a list of {@code {role, content}} messages, becomes the
 *       turns, flattened in order. Metadata {@code userTurns} counts the messages whose role is {@code user}.
 *   <li>{@code function}, the function documents offered, becomes {@code tools}, each element as is.
 *   <li>{@code ground_truth} of single-turn categories, a list of {@code {function: {argument: [accepted
 *       values]}}}, becomes {@link Expected#acceptedCalls()} in order. An empty string among the accepted values
 *       means the argument may be omitted and is kept.
 *   <li>Metadata {@code category} is the category label ({@code parallel_multiple}). Any other field of either
 *       row is copied into metadata under its own name; for {@code multi_turn_base} these are
 *       {@code involved_classes}, {@code initial_config} and {@code path}.
 * </ul>
 *
 * <p>Multi-turn answers are one list of Python call strings per user turn ({@code "cd(folder='temp')"}), and the
 * functions are not in the question file but named by {@code involved_classes}. Those strings are kept unparsed as
 * metadata {@code groundTruthCalls}, the interaction has no {@link Expected}, and {@code tools} is empty.
 *
 * <p>Bad rows: a line that is not a JSON object of the shape above, a duplicate id in either file, a question
 * without an answer row and an answer without a question row. Each is reported in the file and at the line
 * where the row is.
 */
public final class BfclImporter {

    /** Metadata key of the category label. */
    public static final String CATEGORY = "category";
    /** Metadata key of the number of user messages. */
    public static final String USER_TURNS = "userTurns";
    /** Metadata key of the multi-turn ground truth: an array per turn of Python call strings. */
    public static final String GROUND_TRUTH_CALLS = "groundTruthCalls";

    private static final Set<String> QUESTION_FIELDS = Set.of("id", "question", "function");
    private static final Set<String> ANSWER_FIELDS = Set.of("id", "ground_truth");
    private static final Set<String> RESERVED_METADATA = Set.of(CATEGORY, USER_TURNS, GROUND_TRUTH_CALLS);

    private BfclImporter() {
    }

    /**
     * Reads a question file and its answer file to the end, closes both and joins them by id. The result keeps
     * the order of the question file.
     *
     * @param questionSource the question file name used in messages
     * @param answerSource the answer file name used in messages
     * @param category the category of both files, see {@link BfclCategory#ofFileName}
     * @throws DatasetFormatException when either file has no rows, or there are more bad rows than
     *     {@code badRows} allows
     */
    public static List<Interaction> read(
            Reader questions,
            String questionSource,
            Reader answers,
            String answerSource,
            BfclCategory category,
            BadRows badRows) {
        // Closes both readers even when the first file fails; a second close of a reader has no effect.
        try (Reader questionReader = questions; Reader answerReader = answers) {
            return readAndJoin(questionReader, questionSource, answerReader, answerSource, category, badRows);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to close " + questionSource + " or " + answerSource, e);
        }
    }

    private static List<Interaction> readAndJoin(
            Reader questions,
            String questionSource,
            Reader answers,
            String answerSource,
            BfclCategory category,
            BadRows badRows) {
        Map<String, Long> invalidQuestionLines = new HashMap<>();
        Map<String, Long> invalidAnswerLines = new HashMap<>();
        List<Question> questionRows =
                readQuestions(questions, questionSource, category, invalidQuestionLines, badRows);
        Map<String, Answer> answersById = readAnswers(answers, answerSource, category, invalidAnswerLines, badRows);

        List<Interaction> interactions = new ArrayList<>();
        for (Question question : questionRows) {
            Answer answer = answersById.remove(question.id());
            if (answer == null) {
                badRows.reject(questionSource, question.line(), missingPartner(question.id(), "answer", answerSource,
                        invalidAnswerLines, "question"), question.raw());
                continue;
            }
            try {
                interactions.add(toInteraction(question, answer, category));
            } catch (IllegalArgumentException e) {
                badRows.reject(answerSource, answer.line(), e.getMessage(), answer.raw());
            }
        }
        for (Answer orphan : answersById.values()) {
            badRows.reject(answerSource, orphan.line(), missingPartner(orphan.id(), "question", questionSource,
                    invalidQuestionLines, "answer"), orphan.raw());
        }
        return interactions;
    }

    /**
     * Returns the reason a row has no partner in the other file, telling apart a partner that is absent from one
     * that was rejected as invalid.
     */
    private static String missingPartner(
            String id, String partner, String partnerSource, Map<String, Long> invalidPartnerLines, String self) {
        Long invalidLine = invalidPartnerLines.get(id);
        if (invalidLine != null) {
            return "the " + partner + " row for id '" + id + "' in " + partnerSource + " (line " + invalidLine
                    + ") is invalid, so this " + self + " cannot be joined; fix that row";
        }
        return "no " + partner + " row for id '" + id + "' in " + partnerSource + "; add the " + partner
                + " there or remove this " + self;
    }

    /**
     * Reads the question rows. A row that has an id but is otherwise invalid is also recorded in
     * {@code invalidLines}, so that the join can report why its answer has no partner.
     */
    private static List<Question> readQuestions(
            Reader input, String source, BfclCategory category, Map<String, Long> invalidLines, BadRows badRows) {
        Map<String, Long> firstLineById = new HashMap<>();
        return JsonLines.readNumbered(input, source, (lineNumber, line) -> {
            JsonNode row = Json.mapper().readTree(line);
            String id = requireId(row);
            requireFirstUse(firstLineById, id, lineNumber);
            try {
                return parseQuestion(row, id, lineNumber, line, category);
            } catch (IllegalArgumentException e) {
                invalidLines.put(id, lineNumber);
                throw e;
            }
        }, badRows);
    }

    /** Reads the answer rows by id; {@code invalidLines} as for {@link #readQuestions}. */
    private static Map<String, Answer> readAnswers(
            Reader input, String source, BfclCategory category, Map<String, Long> invalidLines, BadRows badRows) {
        Map<String, Long> firstLineById = new HashMap<>();
        List<Answer> answers = JsonLines.readNumbered(input, source, (lineNumber, line) -> {
            JsonNode row = Json.mapper().readTree(line);
            String id = requireId(row);
            requireFirstUse(firstLineById, id, lineNumber);
            try {
                return parseAnswer(row, id, lineNumber, line, category);
            } catch (IllegalArgumentException e) {
                invalidLines.put(id, lineNumber);
                throw e;
            }
        }, badRows);

        Map<String, Answer> byId = new LinkedHashMap<>();
        answers.forEach(answer -> byId.put(answer.id(), answer));
        return byId;
    }

    private static void requireFirstUse(Map<String, Long> firstLineById, String id, long lineNumber) {
        Long firstLine = firstLineById.putIfAbsent(id, lineNumber);
        if (firstLine != null) {
            throw new IllegalArgumentException("duplicate id '" + id + "', first used at line " + firstLine);
        }
    }

    private static Question parseQuestion(
            JsonNode row, String id, long lineNumber, String raw, BfclCategory category) {

        List<Turn> turns = new ArrayList<>();
        JsonNode question = requireArray(row.get("question"), "question", id);
        for (int t = 0; t < question.size(); t++) {
            String turnPath = "question[" + t + "]";
            JsonNode turn = requireArray(question.get(t), turnPath, id);
            for (int m = 0; m < turn.size(); m++) {
                turns.add(parseMessage(turn.get(m), turnPath + "[" + m + "]", id));
            }
        }
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("question '" + id + "' has no messages in 'question'");
        }

        List<JsonNode> tools = new ArrayList<>();
        JsonNode function = row.get("function");
        if (function != null || !category.isMultiTurn()) {
            requireArray(function, "function", id).forEach(tools::add);
        }

        Map<String, JsonNode> extras = extraFields(row, QUESTION_FIELDS, id);
        return new Question(id, lineNumber, raw, turns, tools, extras);
    }

    private static Turn parseMessage(JsonNode message, String path, String id) {
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException(path + " of '" + id + "' must be a {role, content} object");
        }
        JsonNode role = message.get("role");
        JsonNode content = message.get("content");
        if (role == null || !role.isTextual() || role.asText().isBlank()) {
            throw new IllegalArgumentException(path + ".role of '" + id + "' is missing or not a non-blank string");
        }
        if (content == null || !content.isTextual()) {
            throw new IllegalArgumentException(path + ".content of '" + id + "' is missing or not a string");
        }
        return new Turn(role.asText(), content.asText());
    }

    private static Answer parseAnswer(JsonNode row, String id, long lineNumber, String raw, BfclCategory category) {
        JsonNode groundTruth = requireArray(row.get("ground_truth"), "ground_truth", id);

        List<AcceptedCall> calls = new ArrayList<>();
        if (category.isMultiTurn()) {
            checkCallStrings(groundTruth, id);
        } else {
            for (int i = 0; i < groundTruth.size(); i++) {
                calls.add(parseAcceptedCall(groundTruth.get(i), "ground_truth[" + i + "]", id));
            }
        }

        Map<String, JsonNode> extras = extraFields(row, ANSWER_FIELDS, id);
        return new Answer(id, lineNumber, raw, groundTruth, calls, extras);
    }

    /** Checks the multi-turn shape, one array of Python call strings per turn, which is kept unparsed. */
    private static void checkCallStrings(JsonNode groundTruth, String id) {
        for (int t = 0; t < groundTruth.size(); t++) {
            JsonNode turn = requireArray(groundTruth.get(t), "ground_truth[" + t + "]", id);
            for (int c = 0; c < turn.size(); c++) {
                if (!turn.get(c).isTextual()) {
                    throw new IllegalArgumentException("ground_truth[" + t + "][" + c + "] of '" + id
                            + "' must be a Python call string such as \"cd(folder='temp')\"");
                }
            }
        }
    }

    private static AcceptedCall parseAcceptedCall(JsonNode call, String path, String id) {
        if (call == null || !call.isObject() || call.size() != 1) {
            String hint = call != null && call.isArray()
                    ? " (an array here is the multi-turn answer shape: check that the file matches its category)"
                    : "";
            throw new IllegalArgumentException(path + " of '" + id + "' must be an object with exactly one field,"
                    + " {function: {argument: [accepted values]}}" + hint);
        }
        Map.Entry<String, JsonNode> function = call.properties().iterator().next();
        JsonNode arguments = function.getValue();
        if (!arguments.isObject()) {
            throw new IllegalArgumentException(path + "." + function.getKey() + " of '" + id
                    + "' must be an object of argument name to accepted values");
        }

        Map<String, List<JsonNode>> acceptedValues = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
            JsonNode values = argument.getValue();
            if (!values.isArray()) {
                throw new IllegalArgumentException(path + "." + function.getKey() + "." + argument.getKey() + " of '"
                        + id + "' must be an array of accepted values");
            }
            List<JsonNode> list = new ArrayList<>();
            values.forEach(list::add);
            acceptedValues.put(argument.getKey(), list);
        }
        return new AcceptedCall(function.getKey(), acceptedValues);
    }

    private static Interaction toInteraction(Question question, Answer answer, BfclCategory category) {
        Map<String, JsonNode> metadata = new LinkedHashMap<>();
        metadata.put(CATEGORY, TextNode.valueOf(category.label()));
        long userTurns = question.turns().stream().filter(turn -> "user".equals(turn.role())).count();
        metadata.put(USER_TURNS, IntNode.valueOf((int) userTurns));
        metadata.putAll(question.extras());
        for (Map.Entry<String, JsonNode> extra : answer.extras().entrySet()) {
            if (metadata.putIfAbsent(extra.getKey(), extra.getValue()) != null) {
                throw new IllegalArgumentException("field '" + extra.getKey() + "' of '" + answer.id()
                        + "' appears in both the question and the answer row; remove one of them");
            }
        }

        Expected expected = null;
        if (category.isMultiTurn()) {
            // NOTE: multi-turn answers stay unparsed call strings, so argument-level checks need a parser for
            // Python call syntax; routing and argument metrics see no expected calls for these rows.
            metadata.put(GROUND_TRUTH_CALLS, answer.groundTruth());
        } else {
            expected = new Expected(null, answer.calls(), null);
        }
        return new Interaction(question.id(), question.turns(), null, expected, question.tools(), metadata);
    }

    private static String requireId(JsonNode row) {
        if (row == null || !row.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with an 'id' field, found "
                    + (row == null ? "nothing" : row.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        JsonNode id = row.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new IllegalArgumentException("missing or blank 'id'; every row needs a string id such as"
                    + " \"simple_0\"");
        }
        return id.asText();
    }

    private static JsonNode requireArray(JsonNode node, String path, String id) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("'" + path + "' of '" + id + "' is "
                    + (node == null ? "missing" : "not an array") + "; expected a JSON array");
        }
        return node;
    }

    private static Map<String, JsonNode> extraFields(JsonNode row, Set<String> known, String id) {
        Map<String, JsonNode> extras = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : row.properties()) {
            if (known.contains(field.getKey())) {
                continue;
            }
            if (RESERVED_METADATA.contains(field.getKey())) {
                throw new IllegalArgumentException("field '" + field.getKey() + "' of '" + id + "' clashes with the"
                        + " metadata key the importer sets; rename the field");
            }
            extras.put(field.getKey(), field.getValue());
        }
        return extras;
    }

    private record Question(
            String id, long line, String raw, List<Turn> turns, List<JsonNode> tools, Map<String, JsonNode> extras) {
    }

    private record Answer(
            String id,
            long line,
            String raw,
            JsonNode groundTruth,
            List<AcceptedCall> calls,
            Map<String, JsonNode> extras) {
    }
}
