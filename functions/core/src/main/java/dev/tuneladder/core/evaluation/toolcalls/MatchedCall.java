package dev.tuneladder.core.evaluation.toolcalls;

import java.util.Objects;

/**
 * A produced call paired with a reference call by the one-to-one assignment of {@link ToolCallChecker#checkPlan}.
 *
 * @param producedIndex the index of the produced call in its list
 * @param referenceIndex the index of the reference call in its list
 * @param check the structured check of the pair
 */
public record MatchedCall(int producedIndex, int referenceIndex, CallCheck check) {

    public MatchedCall {
        if (producedIndex < 0 || referenceIndex < 0) {
            throw new IllegalArgumentException("call indexes must not be negative, got produced " + producedIndex
                    + " and reference " + referenceIndex);
        }
        Objects.requireNonNull(check, "check");
    }
}
