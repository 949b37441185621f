package dev.tuneladder.core.evaluation.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.importers.BfclCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Feeds the preferred reference answer of every shipped single-turn leaderboard row back as the prediction: one
 * call per reference call, each argument at its first accepted value, arguments whose first value is the omission
 * marker left out.
 */
class BfclFirstChoiceTest {

    /**
     * Rows whose first-choice answer contradicts their own function document, with the reason the check reports.
     * Each is a fault of the shipped data, not of the check.
     */
    static final Map<String, String> DATA_QUIRKS = Map.of(
            // The first accepted value of 'fuel_efficiency' is the omission marker, but the document requires it.
            "simple_200", "MISSING_REQUIRED_ARGUMENT",
            // The reference calls 'find_closest'; the only offered function is 'restaurant_search.find_closest'.
            "simple_363", "WRONG_FUNCTION",
            // 'x' is declared as an array; its only accepted value is the string "data['sales']".
            "parallel_multiple_21", "WRONG_TYPE",
            // The reference accepts 'type' = "credit", which 'bank.calculate_balance' does not declare.
            "parallel_multiple_26", "UNEXPECTED_ARGUMENT",
            // 'sort_list.elements' is declared as an array of integers; the first call sorts fruit names.
            "parallel_multiple_94", "WRONG_TYPE");

    @ParameterizedTest
    @CsvSource({"SIMPLE, 400, 398", "MULTIPLE, 200, 200", "PARALLEL, 200, 200", "PARALLEL_MULTIPLE, 200, 197"})
    void firstChoices_matchExceptDataQuirks(BfclCategory category, int rows, int exactMatches) {
        List<Interaction> interactions = BfclRows.read(category);

        int matched = 0;
        for (Interaction row : interactions) {
            PlanCheck check = ToolCallChecker.checkPlan(BfclRows.firstChoices(row), BfclRows.reference(row),
                    row.tools());
            if (check.isExactMatch()) {
                matched++;
            }
            assertThat(check.isExactMatch()).as(row.id() + ": " + check.detail())
                    .isEqualTo(!DATA_QUIRKS.containsKey(row.id()));
        }

        assertThat(interactions).hasSize(rows);
        assertThat(matched).isEqualTo(exactMatches);
    }

    @Test
    void firstChoices_quirkRowsFailWithKnownReason() {
        Map<String, String> failures = new TreeMap<>();
        for (Interaction row : BfclRows.readSingleTurn()) {
            PlanCheck check = ToolCallChecker.checkPlan(BfclRows.firstChoices(row), BfclRows.reference(row),
                    row.tools());
            if (!check.isExactMatch()) {
                failures.put(row.id(), check.reason().name());
            }
        }

        assertThat(failures).isEqualTo(new TreeMap<>(DATA_QUIRKS));
    }

    /** Two quirk rows offer a second accepted choice that is consistent with the document; it passes. */
    @Test
    void quirkRows_otherAcceptedChoicePasses() {
        Map<String, Interaction> rows = new TreeMap<>();
        BfclRows.readSingleTurn().forEach(row -> rows.put(row.id(), row));

        Interaction emissions = rows.get("simple_200");
        ObjectNode arguments = BfclRows.firstChoices(emissions).get(0).arguments();
        arguments.set("fuel_efficiency", DoubleNode.valueOf(25.0));
        PlanCheck withEfficiency = ToolCallChecker.checkPlan(List.of(new ToolCall("calculate_emissions", arguments)),
                BfclRows.reference(emissions), emissions.tools());

        Interaction balance = rows.get("parallel_multiple_26");
        List<ToolCall> calls = new ArrayList<>(BfclRows.firstChoices(balance));
        ObjectNode balanceArguments = calls.get(1).arguments();
        balanceArguments.remove("type");
        calls.set(1, new ToolCall(calls.get(1).name(), balanceArguments));
        PlanCheck withoutType = ToolCallChecker.checkPlan(calls, BfclRows.reference(balance), balance.tools());

        assertThat(withEfficiency.isExactMatch()).as(withEfficiency.detail()).isTrue();
        assertThat(withoutType.isExactMatch()).as(withoutType.detail()).isTrue();
    }
}
