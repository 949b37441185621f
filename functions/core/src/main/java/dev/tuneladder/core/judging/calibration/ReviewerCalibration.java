package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How one human reviewer agrees with gold and with the other reviewers, and how lenient the reviewer is.
 *
 * <p>The majority of an item is the most frequent verdict of the <em>other</em> reviewers on it, so a reviewer
 * is never compared with a majority that includes the reviewer's own vote. Items where the others tie for the
 * most frequent verdict have no majority and are left out.
 *
 * <p>Leniency is the mean, over the items that at least one other reviewer also labelled, of this reviewer's
 * positive value minus the mean positive value of the others on that item (see {@link VerdictScale}): a pass
 * rate difference for pass/fail, a score difference in scale points for scores, and for pairwise the difference
 * in the rate of preferring the second answer. Positive means more lenient than the others.
 *
 * @param reviewer the reviewer id
 * @param verdicts the reviewer's verdicts
 * @param withGold those on items with a gold label
 * @param correct those equal to the gold label
 * @param accuracy correct / withGold, or null without gold
 * @param kappa Cohen's kappa against gold, or null when undefined
 * @param majorityItems items where the other reviewers have a majority
 * @param agreesWithMajority those where this reviewer gave the majority verdict
 * @param majorityAgreement agreesWithMajority / majorityItems, or null
 * @param sharedItems items that at least one other reviewer also labelled
 * @param meanPositiveValue this reviewer's mean positive value on the shared items (the pass rate, mean score
 *     or rate of preferring the second answer), or null without shared items
 * @param othersMeanPositiveValue the mean over the shared items of the other reviewers' mean positive value, or
 *     null
 * @param leniency meanPositiveValue − othersMeanPositiveValue, or null
 */
@JsonPropertyOrder({"reviewer", "verdicts", "withGold", "correct", "accuracy", "kappa", "majorityItems",
    "agreesWithMajority", "majorityAgreement", "sharedItems", "meanPositiveValue", "othersMeanPositiveValue", "leniency"})
public record ReviewerCalibration(String reviewer, long verdicts, long withGold, long correct, Double accuracy,
        Double kappa, long majorityItems, long agreesWithMajority, Double majorityAgreement, long sharedItems,
        Double meanPositiveValue, Double othersMeanPositiveValue, Double leniency) {

    public ReviewerCalibration {
        Checks.requireName("reviewer", reviewer);
        Checks.requireCount("verdicts", verdicts);
        Checks.requireCount("withGold", withGold);
        Checks.requireCount("correct", correct);
        Checks.requireCount("majorityItems", majorityItems);
        Checks.requireCount("agreesWithMajority", agreesWithMajority);
        Checks.requireCount("sharedItems", sharedItems);
        Checks.requireRateOrNull("accuracy", accuracy);
        Checks.requireKappaOrNull("kappa", kappa);
        Checks.requireRateOrNull("majorityAgreement", majorityAgreement);
    }
}
