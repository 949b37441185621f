package dev.tuneladder.core.evaluation.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Structured check of produced tool calls against reference calls with accepted-value lists, in the manner of the
 * Berkeley Function Calling Leaderboard AST checker.
 *
 * <p>One call is checked in this order, and the first failure is its reason:
 * <ol>
 *   <li>{@link FailureReason#WRONG_FUNCTION}: the name differs from the reference call's, or no offered function
 *       document has that name.
 *   <li>{@link FailureReason#MISSING_REQUIRED_ARGUMENT}: an argument the document lists as required is absent.
 *   <li>{@link FailureReason#UNEXPECTED_ARGUMENT}: an argument the document does not declare is present.
 *   <li>{@link FailureReason#WRONG_TYPE}: an argument's JSON type, or the type of an array item or object property
 *       inside it, differs from the declared one (see {@link ParameterType}). A JSON null passes the type check of
 *       a parameter that is not required, and is then compared by value like any other.
 *   <li>{@link FailureReason#UNEXPECTED_ARGUMENT}: a declared argument is present that the reference call does not
 *       list, so no value of it is accepted.
 *   <li>{@link FailureReason#MISSING_REQUIRED_ARGUMENT}: an argument the reference lists is absent and its
 *       accepted values do not include the empty string.
 *   <li>{@link FailureReason#VALUE_NOT_ACCEPTED}: a value matches none of its accepted values
 *       (see {@link AcceptedValues}).
 * </ol>
 *
 * <p>A row of several calls passes when the counts are equal and there is a one-to-one pairing of produced with
 * reference calls in which every pair passes, so the order of the calls does not matter. The pairing is a
 * minimum-cost assignment that first maximizes the passing pairs and then prefers near misses: a value not
 * accepted over a wrong type, over an unexpected argument, over a missing argument, over a wrong function. So the
 * failed pairs it reports are the ones a reader would pair by eye. A row whose counts differ fails with
 * {@link FailureReason#CALL_COUNT}. Otherwise a failed row's reason is the most severe reason among its failed
 * pairs, in the reverse of that order, and the first in reference order on a tie.
 *
 * <p>Stateless and thread-safe.
 */
public final class ToolCallChecker {

    private ToolCallChecker() {
    }

    /**
     * Checks one row with the offered function documents in their JSON form.
     *
     * @throws IllegalArgumentException when a function document is invalid (see {@link FunctionDoc#parse})
     */
    public static PlanCheck checkPlan(List<ToolCall> produced, List<AcceptedCall> reference, List<JsonNode> tools) {
        return checkPlan(produced, reference, FunctionDoc.byName(tools));
    }

    /** Checks one row's produced calls against its reference calls; see the class documentation. */
    public static PlanCheck checkPlan(
            List<ToolCall> produced, List<AcceptedCall> reference, Map<String, FunctionDoc> offered) {
        Objects.requireNonNull(produced, "produced");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(offered, "offered");

        int size = Math.max(produced.size(), reference.size());
        CallCheck[][] checks = new CallCheck[reference.size()][produced.size()];
        long[][] cost = new long[size][size];
        // Any failure costs more than all severities of a row together, so fewer failures always win.
        long failureCost = 5L * size + 1;
        for (int r = 0; r < reference.size(); r++) {
            for (int p = 0; p < produced.size(); p++) {
                CallCheck check = checkCall(produced.get(p), reference.get(r), offered);
                checks[r][p] = check;
                cost[r][p] = check.isPassed() ? 0 : failureCost + check.reason().severity();
            }
        }
        int[] producedOfReference = Assignment.minimumCost(cost);

        List<MatchedCall> matches = new ArrayList<>();
        MatchedCall worst = null;
        int failedCalls = 0;
        for (int r = 0; r < reference.size(); r++) {
            int p = producedOfReference[r];
            if (p >= produced.size()) {
                continue;
            }
            MatchedCall match = new MatchedCall(p, r, checks[r][p]);
            matches.add(match);
            if (!match.check().isPassed()) {
                failedCalls++;
                if (worst == null || match.check().reason().severity() > worst.check().reason().severity()) {
                    worst = match;
                }
            }
        }

        if (produced.size() != reference.size()) {
            return new PlanCheck(FailureReason.CALL_COUNT, "produced " + calls(produced.size())
                    + " where the reference has " + reference.size(), matches);
        }
        if (worst == null) {
            return new PlanCheck(null, "", matches);
        }
        String detail = "reference call " + (worst.referenceIndex() + 1) + " of " + reference.size() + ": "
                + worst.check().detail();
        if (failedCalls > 1) {
            detail += " (" + failedCalls + " calls fail)";
        }
        return new PlanCheck(worst.check().reason(), detail, matches);
    }

    /** Checks one produced call against one reference call; see the class documentation for the order. */
    public static CallCheck checkCall(ToolCall produced, AcceptedCall reference, Map<String, FunctionDoc> offered) {
        String name = produced.name();
        if (!name.equals(reference.name())) {
            return CallCheck.failed(FailureReason.WRONG_FUNCTION, "called '" + name + "' where the reference calls '"
                    + reference.name() + "'");
        }
        FunctionDoc doc = offered.get(name);
        if (doc == null) {
            return CallCheck.failed(FailureReason.WRONG_FUNCTION, "called '" + name + "', which is not among the "
                    + offered.size() + " offered functions");
        }

        ObjectNode arguments = produced.arguments();
        CallCheck againstDoc = checkAgainstDoc(arguments, doc);
        if (!againstDoc.isPassed()) {
            return againstDoc;
        }
        return checkAgainstReference(arguments, reference, name);
    }

    private static CallCheck checkAgainstDoc(ObjectNode arguments, FunctionDoc doc) {
        String name = doc.name();
        for (String required : doc.required()) {
            if (!arguments.has(required)) {
                return CallCheck.failed(FailureReason.MISSING_REQUIRED_ARGUMENT, "'" + name + "' misses required"
                        + " argument '" + required + "'");
            }
        }
        for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
            if (!doc.parameters().containsKey(argument.getKey())) {
                return CallCheck.failed(FailureReason.UNEXPECTED_ARGUMENT, "'" + name + "' has no parameter '"
                        + argument.getKey() + "'");
            }
        }
        for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
            String parameter = argument.getKey();
            JsonNode value = argument.getValue();
            if (value.isNull() && !doc.required().contains(parameter)) {
                continue;
            }
            ParameterSpec.TypeMismatch mismatch =
                    doc.parameters().get(parameter).firstTypeMismatch(value, parameter);
            if (mismatch != null) {
                return CallCheck.failed(FailureReason.WRONG_TYPE, "argument '" + mismatch.path() + "' of '" + name
                        + "' is " + mismatch.actual() + " where the document declares " + mismatch.expected().docName());
            }
        }
        return CallCheck.passed();
    }

    private static CallCheck checkAgainstReference(ObjectNode arguments, AcceptedCall reference, String name) {
        Map<String, List<JsonNode>> accepted = reference.acceptedValues();
        for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
            if (!accepted.containsKey(argument.getKey())) {
                return CallCheck.failed(FailureReason.UNEXPECTED_ARGUMENT, "argument '" + argument.getKey() + "' of '"
                        + name + "' is declared but the reference call does not accept it");
            }
        }
        for (Map.Entry<String, List<JsonNode>> argument : accepted.entrySet()) {
            if (!arguments.has(argument.getKey()) && !AcceptedValues.mayBeOmitted(argument.getValue())) {
                return CallCheck.failed(FailureReason.MISSING_REQUIRED_ARGUMENT, "'" + name + "' misses argument '"
                        + argument.getKey() + "', which the reference call does not let it omit");
            }
        }
        for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
            String path = name + "." + argument.getKey();
            List<JsonNode> values = accepted.get(argument.getKey());
            if (!AcceptedValues.matchesAny(argument.getValue(), values, path)) {
                long choices = values.stream().filter(value -> !AcceptedValues.isOmissionMarker(value)).count();
                String outcome = choices == 1 ? "does not match its accepted value"
                        : "matches none of its " + choices + " accepted values";
                return CallCheck.failed(FailureReason.VALUE_NOT_ACCEPTED, "argument '" + argument.getKey() + "' of '"
                        + name + "' " + outcome);
            }
        }
        return CallCheck.passed();
    }

    private static String calls(int count) {
        return count == 1 ? "1 call" : count + " calls";
    }
}
