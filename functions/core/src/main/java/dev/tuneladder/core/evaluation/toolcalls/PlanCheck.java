package dev.tuneladder.core.evaluation.toolcalls;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of the structured check of one row's produced calls against its reference calls.
 *
 * @param reason the primary reason the row fails, or null when every call passes and the counts agree
 * @param detail a sentence naming the call, function and argument at fault, without argument values; empty when
 *     the row passes
 * @param matches the produced calls paired one to one with reference calls, in reference order; when the counts
 *     differ, the calls of the longer list that have no partner are left out
 */
public record PlanCheck(FailureReason reason, String detail, List<MatchedCall> matches) {

    public PlanCheck {
        Objects.requireNonNull(matches, "matches");
        matches = List.copyOf(matches);
        if (reason == null) {
            detail = "";
        } else if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("a failed plan check needs a detail that names the call at fault");
        }
    }

    /** Returns whether the plan matches the reference exactly: same call count and every call passes. */
    public boolean isExactMatch() {
        return reason == null;
    }
}
