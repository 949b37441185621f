package dev.tuneladder.core.judging;

import java.util.Objects;

/**
 * Two answers to the same question, to compare.
 *
 * @param itemId the id the verdicts are filed under
 * @param question the customer's question
 * @param answerA the first answer, usually the baseline's
 * @param answerB the second answer, usually the candidate's
 */
public record PairItem(String itemId, String question, String answerA, String answerB) {

    public PairItem {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answerA, "answerA");
        Objects.requireNonNull(answerB, "answerB");
        if (itemId.isBlank()) {
            throw new IllegalArgumentException("pair item id is blank");
        }
    }
}
