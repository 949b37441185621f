package dev.tuneladder.core.evaluation.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallCheckerTest {

    private static final List<JsonNode> TOOLS = List.of(
            json("{\"name\": \"get_weather\", \"parameters\": {\"type\": \"dict\", \"properties\": {"
                    + "\"city\": {\"type\": \"string\"}, \"days\": {\"type\": \"integer\"},"
                    + " \"unit\": {\"type\": \"string\"}, \"threshold\": {\"type\": \"float\"},"
                    + " \"alerts\": {\"type\": \"boolean\"}},"
                    + " \"required\": [\"city\"]}}"),
            json("{\"name\": \"search_homes\", \"parameters\": {\"type\": \"dict\", \"properties\": {"
                    + "\"budget\": {\"type\": \"dict\", \"properties\": {\"min\": {\"type\": \"float\"},"
                    + " \"max\": {\"type\": \"float\"}}},"
                    + " \"rooms\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}},"
                    + " \"required\": [\"budget\"]}}"),
            json("{\"type\": \"function\", \"function\": {\"name\": \"get_stock_price\", \"parameters\":"
                    + " {\"type\": \"object\", \"properties\": {\"symbol\": {\"type\": \"string\"}},"
                    + " \"required\": [\"symbol\"]}}}"));

    private static final Map<String, FunctionDoc> OFFERED = FunctionDoc.byName(TOOLS);

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ToolCall call(String name, String arguments) {
        return new ToolCall(name, (ObjectNode) json(arguments));
    }

    /** Builds an accepted call from {@code {"argument": [accepted values]}}. */
    private static AcceptedCall accepted(String name, String acceptedValues) {
        Map<String, List<JsonNode>> values = new LinkedHashMap<>();
        json(acceptedValues).properties().forEach(entry -> {
            List<JsonNode> list = new ArrayList<>();
            entry.getValue().forEach(list::add);
            values.put(entry.getKey(), list);
        });
        return new AcceptedCall(name, values);
    }

    private static final AcceptedCall WEATHER = accepted("get_weather",
            "{\"city\": [\"New York City\", \"NYC\"], \"days\": [3], \"unit\": [\"celsius\", \"\"],"
                    + " \"threshold\": [2.5, \"\"]}");

    private static CallCheck check(String arguments) {
        return ToolCallChecker.checkCall(call("get_weather", arguments), WEATHER, OFFERED);
    }

    @Test
    void checkCall_acceptsNormalizedStringsAndOmittedOptionals() {
        assertThat(check("{\"city\": \"new york city\", \"days\": 3}").isPassed()).isTrue();
        assertThat(check("{\"city\": \"  New-York_City. \", \"days\": 3}").isPassed()).isTrue();
        assertThat(check("{\"city\": \"N.Y.C.\", \"days\": 3, \"unit\": \"Celsius\"}").isPassed()).isTrue();
    }

    @Test
    void checkCall_acceptsIntegerWhereFloatDeclared() {
        AcceptedCall reference = accepted("get_weather", "{\"city\": [\"NYC\"], \"threshold\": [2.0]}");

        CallCheck check = ToolCallChecker.checkCall(call("get_weather", "{\"city\": \"NYC\", \"threshold\": 2}"),
                reference, OFFERED);

        assertThat(check.isPassed()).isTrue();
    }

    @Test
    void checkCall_rejectsFloatWhereIntegerDeclared() {
        CallCheck check = check("{\"city\": \"NYC\", \"days\": 3.0}");

        assertThat(check.reason()).isEqualTo(FailureReason.WRONG_TYPE);
        assertThat(check.detail()).isEqualTo("argument 'days' of 'get_weather' is number where the document"
                + " declares integer");
    }

    @Test
    void checkCall_numbersCompareByValue() {
        assertThat(check("{\"city\": \"NYC\", \"days\": 3, \"threshold\": 2.50}").isPassed()).isTrue();
        assertThat(check("{\"city\": \"NYC\", \"days\": 3, \"threshold\": 2.51}").reason())
                .isEqualTo(FailureReason.VALUE_NOT_ACCEPTED);
    }

    @Test
    void checkCall_reportsEachReason() {
        assertThat(ToolCallChecker.checkCall(call("get_stock_price", "{\"symbol\": \"NYC\"}"), WEATHER, OFFERED)
                .detail()).isEqualTo("called 'get_stock_price' where the reference calls 'get_weather'");
        assertThat(check("{\"days\": 3}").detail()).isEqualTo("'get_weather' misses required argument 'city'");
        assertThat(check("{\"city\": \"NYC\", \"days\": 3, \"country\": \"US\"}").detail())
                .isEqualTo("'get_weather' has no parameter 'country'");
        assertThat(check("{\"city\": \"NYC\", \"days\": 3, \"alerts\": true}").detail())
                .isEqualTo("argument 'alerts' of 'get_weather' is declared but the reference call does not accept"
                        + " it");
        assertThat(check("{\"city\": \"NYC\"}").detail())
                .isEqualTo("'get_weather' misses argument 'days', which the reference call does not let it omit");
        assertThat(check("{\"city\": \"Paris\", \"days\": 3}").detail())
                .isEqualTo("argument 'city' of 'get_weather' matches none of its 2 accepted values");
        assertThat(check("{\"city\": \"NYC\", \"days\": 3, \"unit\": \"kelvin\"}").detail())
                .isEqualTo("argument 'unit' of 'get_weather' does not match its accepted value");
    }

    @Test
    void checkCall_reasonsFollowCheckOrder() {
        // Missing 'city', an undeclared 'country' and a wrong type for 'days' at once: the required check is first.
        assertThat(check("{\"days\": \"three\", \"country\": \"US\"}").reason())
                .isEqualTo(FailureReason.MISSING_REQUIRED_ARGUMENT);
        assertThat(check("{\"city\": \"NYC\", \"days\": \"three\", \"country\": \"US\"}").reason())
                .isEqualTo(FailureReason.UNEXPECTED_ARGUMENT);
        assertThat(check("{\"city\": \"Paris\", \"days\": \"three\"}").reason())
                .isEqualTo(FailureReason.WRONG_TYPE);
    }

    @Test
    void checkCall_functionNotOffered_isWrongFunction() {
        AcceptedCall reference = accepted("send_crypto", "{\"wallet\": [\"w1\"]}");

        CallCheck check = ToolCallChecker.checkCall(call("send_crypto", "{\"wallet\": \"w1\"}"), reference, OFFERED);

        assertThat(check.reason()).isEqualTo(FailureReason.WRONG_FUNCTION);
        assertThat(check.detail()).isEqualTo("called 'send_crypto', which is not among the 3 offered functions");
    }

    @Test
    void checkCall_nestedDictAndArrayTypesAndValues() {
        AcceptedCall reference = accepted("search_homes",
                "{\"budget\": [{\"min\": [300000], \"max\": [400000, \"\"]}], \"rooms\": [[2, 3], \"\"]}");

        CallCheck exact = ToolCallChecker.checkCall(
                call("search_homes", "{\"budget\": {\"min\": 300000.0}, \"rooms\": [2, 3]}"), reference, OFFERED);
        CallCheck wrongItemType = ToolCallChecker.checkCall(
                call("search_homes", "{\"budget\": {\"min\": 300000}, \"rooms\": [2, \"3\"]}"), reference, OFFERED);
        CallCheck wrongPropertyType = ToolCallChecker.checkCall(
                call("search_homes", "{\"budget\": {\"min\": \"300000\"}}"), reference, OFFERED);
        CallCheck reordered = ToolCallChecker.checkCall(
                call("search_homes", "{\"budget\": {\"min\": 300000}, \"rooms\": [3, 2]}"), reference, OFFERED);
        CallCheck unknownKey = ToolCallChecker.checkCall(
                call("search_homes", "{\"budget\": {\"min\": 300000, \"currency\": \"USD\"}}"), reference, OFFERED);
        CallCheck missingKey = ToolCallChecker.checkCall(
                call("search_homes", "{\"budget\": {\"max\": 400000}}"), reference, OFFERED);

        assertThat(exact.isPassed()).isTrue();
        assertThat(wrongItemType.detail()).isEqualTo("argument 'rooms[1]' of 'search_homes' is string where the"
                + " document declares integer");
        assertThat(wrongPropertyType.reason()).isEqualTo(FailureReason.WRONG_TYPE);
        assertThat(reordered.reason()).isEqualTo(FailureReason.VALUE_NOT_ACCEPTED);
        assertThat(unknownKey.reason()).isEqualTo(FailureReason.VALUE_NOT_ACCEPTED);
        assertThat(missingKey.reason()).isEqualTo(FailureReason.VALUE_NOT_ACCEPTED);
    }

    @Test
    void checkCall_nullOnlyForOptionalParameters() {
        AcceptedCall reference = accepted("get_weather", "{\"city\": [\"NYC\"], \"threshold\": [\"\", null]}");

        CallCheck optionalNull = ToolCallChecker.checkCall(
                call("get_weather", "{\"city\": \"NYC\", \"threshold\": null}"), reference, OFFERED);
        CallCheck requiredNull = ToolCallChecker.checkCall(
                call("get_weather", "{\"city\": null}"), reference, OFFERED);

        assertThat(optionalNull.isPassed()).isTrue();
        assertThat(requiredNull.reason()).isEqualTo(FailureReason.WRONG_TYPE);
    }

    @Test
    void checkPlan_parallelCallsInAnyOrder() {
        List<AcceptedCall> reference = List.of(
                accepted("get_weather", "{\"city\": [\"Boston\"]}"),
                accepted("get_weather", "{\"city\": [\"Paris\"]}"),
                accepted("get_stock_price", "{\"symbol\": [\"AAPL\"]}"));
        List<ToolCall> produced = List.of(
                call("get_stock_price", "{\"symbol\": \"aapl\"}"),
                call("get_weather", "{\"city\": \"Paris\"}"),
                call("get_weather", "{\"city\": \"Boston\"}"));

        PlanCheck check = ToolCallChecker.checkPlan(produced, reference, TOOLS);

        assertThat(check.isExactMatch()).isTrue();
        assertThat(check.matches()).extracting(MatchedCall::referenceIndex, MatchedCall::producedIndex)
                .containsExactly(tuple(0, 2), tuple(1, 1),
                        tuple(2, 0));
    }

    /**
     * Pairing each reference call with the first produced call that passes would give reference 0 the produced
     * "Boston" and leave "Cambridge" for reference 1, which does not accept it. A one-to-one assignment finds the
     * pairing where both pass.
     */
    @Test
    void checkPlan_findsAssignmentGreedyPairingMisses() {
        List<AcceptedCall> reference = List.of(
                accepted("get_weather", "{\"city\": [\"Boston\", \"Cambridge\"]}"),
                accepted("get_weather", "{\"city\": [\"Boston\"]}"));
        List<ToolCall> produced = List.of(
                call("get_weather", "{\"city\": \"Boston\"}"),
                call("get_weather", "{\"city\": \"Cambridge\"}"));

        PlanCheck check = ToolCallChecker.checkPlan(produced, reference, TOOLS);

        assertThat(check.isExactMatch()).isTrue();
    }

    @Test
    void checkPlan_countMismatchFailsWithCallCount() {
        List<AcceptedCall> reference = List.of(
                accepted("get_weather", "{\"city\": [\"Boston\"]}"),
                accepted("get_weather", "{\"city\": [\"Paris\"]}"));

        PlanCheck fewer = ToolCallChecker.checkPlan(List.of(call("get_weather", "{\"city\": \"Paris\"}")),
                reference, TOOLS);
        PlanCheck none = ToolCallChecker.checkPlan(List.of(), reference, TOOLS);
        PlanCheck nothingExpected = ToolCallChecker.checkPlan(List.of(), List.of(), TOOLS);

        assertThat(fewer.reason()).isEqualTo(FailureReason.CALL_COUNT);
        assertThat(fewer.detail()).isEqualTo("produced 1 call where the reference has 2");
        assertThat(fewer.matches()).singleElement().satisfies(match -> {
            assertThat(match.referenceIndex()).isEqualTo(1);
            assertThat(match.check().isPassed()).isTrue();
        });
        assertThat(none.detail()).isEqualTo("produced 0 calls where the reference has 2");
        assertThat(nothingExpected.isExactMatch()).isTrue();
    }

    @Test
    void checkPlan_primaryReasonIsMostSevere() {
        List<AcceptedCall> reference = List.of(
                accepted("get_weather", "{\"city\": [\"Boston\"]}"),
                accepted("get_stock_price", "{\"symbol\": [\"AAPL\"]}"));
        List<ToolCall> produced = List.of(
                call("get_weather", "{\"city\": \"Bostonia\"}"),
                call("search_homes", "{\"budget\": {}}"));

        PlanCheck check = ToolCallChecker.checkPlan(produced, reference, TOOLS);

        assertThat(check.reason()).isEqualTo(FailureReason.WRONG_FUNCTION);
        assertThat(check.detail()).isEqualTo("reference call 2 of 2: called 'search_homes' where the reference"
                + " calls 'get_stock_price' (2 calls fail)");
    }

    @Test
    void normalize_stripsListedCharactersAndLowercases() {
        assertThat(AcceptedValues.normalize(" New York, NY ")).isEqualTo("newyorkny");
        assertThat(AcceptedValues.normalize("2021-01-28")).isEqualTo("20210128");
        assertThat(AcceptedValues.normalize("x^2 * 3_y/z.")).isEqualTo("x23yz");
        assertThat(AcceptedValues.normalize("it's")).isEqualTo("it\"s");
        assertThat(AcceptedValues.normalize("İSTANBUL")).isEqualTo("i̇stanbul");
        assertThat(AcceptedValues.normalize("a:b (c)")).isEqualTo("a:b(c)");
    }

    @Test
    void functionDoc_unknownTypeNamesParameter() {
        JsonNode doc = json("{\"name\": \"f\", \"parameters\": {\"properties\": {\"x\": {\"type\": \"str\"}}}}");

        assertThatThrownBy(() -> FunctionDoc.parse(doc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter f.x: unknown parameter type 'str'; use one of string, integer, float, number,"
                        + " boolean, array, tuple, dict, object, any");
    }

    @Test
    void functionDoc_requiredButUndeclaredIsRejected() {
        JsonNode doc = json("{\"name\": \"f\", \"parameters\": {\"properties\": {}, \"required\": [\"x\"]}}");

        assertThatThrownBy(() -> FunctionDoc.parse(doc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("function 'f' lists 'x' as required but does not declare it");
    }

    @Test
    void matches_acceptedObjectFieldMustBeList() {
        assertThatThrownBy(() -> AcceptedValues.matches(json("{\"min\": 1}"), json("{\"min\": 1}"), "f.budget"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("accepted value at f.budget.min must be an array of accepted values");
    }

    @Test
    void exactly_acceptsOnlyTheGivenValues() {
        ToolCall reference = call("search_homes", "{\"budget\": {\"min\": 1, \"max\": 2}, \"rooms\": [2]}");

        AcceptedCall accepted = AcceptedValues.exactly(reference);

        assertThat(ToolCallChecker.checkCall(reference, accepted, OFFERED).isPassed()).isTrue();
        assertThat(ToolCallChecker.checkCall(call("search_homes", "{\"budget\": {\"min\": 1}, \"rooms\": [2]}"),
                accepted, OFFERED).reason()).isEqualTo(FailureReason.VALUE_NOT_ACCEPTED);
        assertThat(AcceptedValues.firstChoiceCall(accepted)).isEqualTo(reference);
    }
}
