package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The calibration of one automatic judge.
 *
 * @param judge the judge id
 * @param original scores of the verdicts given in the original order (every verdict on a non-pairwise scale)
 * @param swapped scores of the verdicts given with the two answers swapped
 * @param all scores of every verdict, both orders pooled; an item judged twice counts twice
 * @param swapConsistency behaviour under swapping, or null when no item was judged in both orders
 * @param reviewers agreement with each human reviewer: every verdict of the judge (both orders) against the
 *     reviewer's verdict on the same item
 */
@JsonPropertyOrder({"judge", "original", "swapped", "all", "swapConsistency", "reviewers"})
public record JudgeCalibration(String judge, OrderScores original, OrderScores swapped, OrderScores all,
        SwapConsistency swapConsistency, List<RaterAgreement> reviewers) {

    public JudgeCalibration {
        Checks.requireName("judge", judge);
        if (original == null || swapped == null || all == null) {
            throw new IllegalArgumentException("judge '" + judge + "' needs scores for original, swapped and all");
        }
        reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
    }
}
