package dev.tuneladder.core.evaluation.toolcalls;

/**
 * The outcome of checking one produced call against one reference call.
 *
 * @param reason why the call fails, or null when it passes
 * @param detail a sentence naming the function and argument at fault, without argument values; empty when the
 *     call passes
 */
public record CallCheck(FailureReason reason, String detail) {

    private static final CallCheck PASSED = new CallCheck(null, "");

    public CallCheck {
        if (reason == FailureReason.CALL_COUNT) {
            throw new IllegalArgumentException("CALL_COUNT is a reason for a whole row, not for one call");
        }
        if (reason != null && (detail == null || detail.isBlank())) {
            throw new IllegalArgumentException("a failed call check needs a detail that names the function and"
                    + " argument at fault");
        }
        if (reason == null) {
            detail = "";
        }
    }

    public static CallCheck passed() {
        return PASSED;
    }

    public static CallCheck failed(FailureReason reason, String detail) {
        return new CallCheck(reason, detail);
    }

    public boolean isPassed() {
        return reason == null;
    }
}
