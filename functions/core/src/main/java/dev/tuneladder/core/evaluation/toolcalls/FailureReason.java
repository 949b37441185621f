package dev.tuneladder.core.evaluation.toolcalls;

/**
 * Why a planner's tool calls for one row fail the structured check. A failed row records one primary reason; see
 * {@link ToolCallChecker} for the order in which a call is checked.
 */
public enum FailureReason {

    /** The produced and reference call counts differ. Checked for the row before any single call. */
    CALL_COUNT(5),
    /** A call names another function than its reference call, or a function that was not offered. */
    WRONG_FUNCTION(4),
    /**
     * A call omits an argument that the function document lists as required, or one whose accepted values do not
     * include the empty string that marks an argument as optional.
     */
    MISSING_REQUIRED_ARGUMENT(3),
    /** A call passes an argument that the function document does not declare or the reference does not accept. */
    UNEXPECTED_ARGUMENT(2),
    /** An argument's JSON type does not match the type that the function document declares. */
    WRONG_TYPE(1),
    /** An argument's value matches none of the reference's accepted values. */
    VALUE_NOT_ACCEPTED(0);

    private final int severity;

    FailureReason(int severity) {
        this.severity = severity;
    }

    /**
     * Returns the rank used to pick the primary reason among several failed calls (the highest wins) and to pair
     * produced with reference calls (a lower rank means a nearer miss).
     */
    int severity() {
        return severity;
    }
}
