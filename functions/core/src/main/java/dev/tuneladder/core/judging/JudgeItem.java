package dev.tuneladder.core.judging;

import java.util.Objects;

/**
 * One answer to judge.
 *
 * @param itemId the id the verdict is filed under, usually the interaction id
 * @param question the customer's question
 * @param answer the answer under judgment: the agent's text, or its tool calls written as JSON
 * @param reference the gold answer, or null when there is none
 * @param context what the agent could see (tool results, account records, policies), or null; the two-tier judge
 *     reads it only in its signal-collection step
 */
public record JudgeItem(String itemId, String question, String answer, String reference, String context) {

    public JudgeItem {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        if (itemId.isBlank()) {
            throw new IllegalArgumentException("judge item id is blank");
        }
    }
}
