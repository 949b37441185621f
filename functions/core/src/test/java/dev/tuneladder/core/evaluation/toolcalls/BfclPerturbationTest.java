package dev.tuneladder.core.evaluation.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Applies one systematic change to the first-choice answer of every shipped single-turn leaderboard row (the data
 * quirk rows of {@link BfclFirstChoiceTest} left out) and checks that the row then fails with exactly the reason
 * the change represents. Each change touches the first call, and the first argument of it, where it applies.
 */
class BfclPerturbationTest {

    /** 400 simple + 200 multiple + 200 parallel + 200 parallel_multiple, less the 5 quirk rows. */
    private static final int CLEAN_ROWS = 995;

    private static List<Row> rows;

    record Row(Interaction interaction, List<AcceptedCall> reference, Map<String, FunctionDoc> offered,
               List<ToolCall> firstChoices) {
    }

    @BeforeAll
    static void readRows() {
        rows = new ArrayList<>();
        for (Interaction interaction : BfclRows.readSingleTurn()) {
            if (!BfclFirstChoiceTest.DATA_QUIRKS.containsKey(interaction.id())) {
                rows.add(new Row(interaction, BfclRows.reference(interaction),
                        FunctionDoc.byName(interaction.tools()), BfclRows.firstChoices(interaction)));
            }
        }
    }

    @Test
    void swappedFunction_failsWithWrongFunction() {
        Map<String, String> mismatches = new TreeMap<>();

        int applied = perturbAll(FailureReason.WRONG_FUNCTION, mismatches, row -> {
            ToolCall first = row.firstChoices().get(0);
            String other = row.offered().keySet().stream()
                    .filter(name -> !name.equals(first.name()))
                    .findFirst()
                    .orElse("zz_function_not_offered");
            return Optional.of(replaceFirst(row, new ToolCall(other, first.arguments())));
        });

        assertThat(mismatches).isEmpty();
        assertThat(applied).isEqualTo(CLEAN_ROWS);
    }

    @Test
    void droppedRequiredArgument_failsWithMissingRequired() {
        Map<String, String> mismatches = new TreeMap<>();

        int applied = perturbAll(FailureReason.MISSING_REQUIRED_ARGUMENT, mismatches, row -> {
            for (int i = 0; i < row.firstChoices().size(); i++) {
                ToolCall call = row.firstChoices().get(i);
                ObjectNode arguments = call.arguments();
                for (String required : row.offered().get(call.name()).required()) {
                    if (arguments.has(required)) {
                        arguments.remove(required);
                        return Optional.of(replace(row, i, new ToolCall(call.name(), arguments)));
                    }
                }
            }
            return Optional.empty();
        });

        assertThat(mismatches).isEmpty();
        assertThat(applied).isEqualTo(CLEAN_ROWS);
    }

    @Test
    void addedUnknownArgument_failsWithUnexpected() {
        Map<String, String> mismatches = new TreeMap<>();

        int applied = perturbAll(FailureReason.UNEXPECTED_ARGUMENT, mismatches, row -> {
            ToolCall first = row.firstChoices().get(0);
            ObjectNode arguments = first.arguments();
            arguments.put("zz_unknown_argument", "x");
            return Optional.of(replaceFirst(row, new ToolCall(first.name(), arguments)));
        });

        assertThat(mismatches).isEmpty();
        assertThat(applied).isEqualTo(CLEAN_ROWS);
    }

    @Test
    void changedType_failsWithWrongType() {
        Map<String, String> mismatches = new TreeMap<>();

        int applied = perturbAll(FailureReason.WRONG_TYPE, mismatches, row -> {
            for (int i = 0; i < row.firstChoices().size(); i++) {
                ToolCall call = row.firstChoices().get(i);
                ObjectNode arguments = call.arguments();
                FunctionDoc doc = row.offered().get(call.name());
                for (String argument : names(arguments)) {
                    JsonNode wrongType = valueOfOtherType(doc.parameters().get(argument).type());
                    if (wrongType != null) {
                        arguments.set(argument, wrongType);
                        return Optional.of(replace(row, i, new ToolCall(call.name(), arguments)));
                    }
                }
            }
            return Optional.empty();
        });

        assertThat(mismatches).isEmpty();
        assertThat(applied).isEqualTo(CLEAN_ROWS);
    }

    @Test
    void changedValue_failsWithValueNotAccepted() {
        Map<String, String> mismatches = new TreeMap<>();

        int applied = perturbAll(FailureReason.VALUE_NOT_ACCEPTED, mismatches, row -> {
            for (int i = 0; i < row.firstChoices().size(); i++) {
                ToolCall call = row.firstChoices().get(i);
                ObjectNode arguments = call.arguments();
                for (String argument : names(arguments)) {
                    List<JsonNode> accepted = row.reference().get(i).acceptedValues().get(argument);
                    JsonNode outside = valueOutside(arguments.get(argument), accepted);
                    if (outside != null) {
                        arguments.set(argument, outside);
                        return Optional.of(replace(row, i, new ToolCall(call.name(), arguments)));
                    }
                }
            }
            return Optional.empty();
        });

        assertThat(mismatches).isEmpty();
        assertThat(applied).isEqualTo(CLEAN_ROWS);
    }

    @Test
    void droppedCall_failsWithCallCount() {
        Map<String, String> mismatches = new TreeMap<>();

        int applied = perturbAll(FailureReason.CALL_COUNT, mismatches, row -> {
            if (row.firstChoices().size() < 2) {
                return Optional.empty();
            }
            return Optional.of(row.firstChoices().subList(0, row.firstChoices().size() - 1));
        });

        assertThat(mismatches).isEmpty();
        // Every parallel and parallel_multiple row has at least two calls; three parallel_multiple rows are quirks.
        assertThat(applied).isEqualTo(200 + 197);
    }

    private interface Perturbation {
        Optional<List<ToolCall>> apply(Row row);
    }

    /**
     * Applies the perturbation to every row, records each row whose outcome is not {@code expected}, and returns
     * the number of rows where it applied.
     */
    private static int perturbAll(FailureReason expected, Map<String, String> mismatches, Perturbation perturbation) {
        int applied = 0;
        for (Row row : rows) {
            Optional<List<ToolCall>> produced = perturbation.apply(row);
            if (produced.isEmpty()) {
                continue;
            }
            applied++;
            PlanCheck check = ToolCallChecker.checkPlan(produced.get(), row.reference(), row.offered());
            if (check.reason() != expected) {
                mismatches.put(row.interaction().id(), check.reason() + ": " + check.detail());
            }
        }
        return applied;
    }

    private static List<ToolCall> replaceFirst(Row row, ToolCall call) {
        return replace(row, 0, call);
    }

    private static List<ToolCall> replace(Row row, int index, ToolCall call) {
        List<ToolCall> calls = new ArrayList<>(row.firstChoices());
        calls.set(index, call);
        return calls;
    }

    private static List<String> names(ObjectNode arguments) {
        List<String> names = new ArrayList<>();
        arguments.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Returns a value the type does not admit, or null for {@link ParameterType#ANY}. */
    private static JsonNode valueOfOtherType(ParameterType type) {
        return switch (type) {
            case STRING -> IntNode.valueOf(7);
            case INTEGER, FLOAT, BOOLEAN, ARRAY, TUPLE, DICT -> TextNode.valueOf("seven");
            case ANY -> null;
        };
    }

    /**
     * Returns a value of the same JSON type as {@code value}, with the same types nested inside, that matches none
     * of {@code accepted}; null when there is none to build.
     */
    private static JsonNode valueOutside(JsonNode value, List<JsonNode> accepted) {
        JsonNode candidate = changed(value);
        if (candidate == null || AcceptedValues.matchesAny(candidate, accepted, "candidate")) {
            return null;
        }
        return candidate;
    }

    /**
     * Changes a scalar to a value no reference accepts, or the first element of an array or first field of an
     * object the same way; returns null for an empty array or object and for a boolean (whose only other value may
     * well be accepted, which {@link #valueOutside} then detects).
     */
    private static JsonNode changed(JsonNode value) {
        if (value.isTextual()) {
            return TextNode.valueOf("zz value outside the accepted list");
        }
        if (value.isIntegralNumber()) {
            return IntNode.valueOf(987_654_321);
        }
        if (value.isNumber()) {
            return DoubleNode.valueOf(98_765.4321);
        }
        if (value.isBoolean()) {
            return BooleanNode.valueOf(!value.booleanValue());
        }
        if (value.isArray() && !value.isEmpty()) {
            JsonNode first = changed(value.get(0));
            if (first == null) {
                return null;
            }
            ArrayNode copy = value.deepCopy();
            copy.set(0, first);
            return copy;
        }
        if (value.isObject() && !value.isEmpty()) {
            String key = value.fieldNames().next();
            JsonNode first = changed(value.get(key));
            if (first == null) {
                return null;
            }
            ObjectNode copy = value.deepCopy();
            copy.set(key, first);
            return copy;
        }
        return null;
    }
}
