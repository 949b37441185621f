package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Everything a calibration computes, ready to write as calibration.json.
 *
 * @param scale the verdict scale, as {@link VerdictScale#spec()} writes it
 * @param items the number of distinct items with any verdict or gold label
 * @param itemsWithGold those with a gold label
 * @param judges one entry per automatic judge, sorted by id
 * @param reviewers one entry per human reviewer, sorted by id
 * @param reviewerAgreement pairwise agreement of every two reviewers who share an item, sorted by id
 * @param fleissKappa Fleiss' kappa over the items with two or more reviewer verdicts, or null when undefined
 * @param fleissItems the number of those items
 * @param bootstrapReplicates the Poisson bootstrap replicates behind the intervals
 * @param seed the seed of the bootstrap weights
 */
@JsonPropertyOrder({"scale", "items", "itemsWithGold", "judges", "reviewers", "reviewerAgreement", "fleissKappa",
    "fleissItems", "bootstrapReplicates", "seed"})
public record CalibrationResult(String scale, long items, long itemsWithGold, List<JudgeCalibration> judges,
        List<ReviewerCalibration> reviewers, List<RaterAgreement> reviewerAgreement, Double fleissKappa,
        long fleissItems, int bootstrapReplicates, long seed) {

    public CalibrationResult {
        Checks.requireName("scale", scale);
        Checks.requireCount("items", items);
        Checks.requireCount("itemsWithGold", itemsWithGold);
        Checks.requireKappaOrNull("fleissKappa", fleissKappa);
        Checks.requireCount("fleissItems", fleissItems);
        judges = judges == null ? List.of() : List.copyOf(judges);
        reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
        reviewerAgreement = reviewerAgreement == null ? List.of() : List.copyOf(reviewerAgreement);
    }

    /**
     * Returns the calibration of {@code judge}.
     *
     * @throws IllegalArgumentException when there is none; the message lists the judges
     */
    public JudgeCalibration judge(String judge) {
        for (JudgeCalibration calibration : judges) {
            if (calibration.judge().equals(judge)) {
                return calibration;
            }
        }
        throw new IllegalArgumentException("no judge named '" + judge + "'; the judges are "
                + judges.stream().map(JudgeCalibration::judge).toList());
    }

    /**
     * Returns the calibration of {@code reviewer}.
     *
     * @throws IllegalArgumentException when there is none; the message lists the reviewers
     */
    public ReviewerCalibration reviewer(String reviewer) {
        for (ReviewerCalibration calibration : reviewers) {
            if (calibration.reviewer().equals(reviewer)) {
                return calibration;
            }
        }
        throw new IllegalArgumentException("no reviewer named '" + reviewer + "'; the reviewers are "
                + reviewers.stream().map(ReviewerCalibration::reviewer).toList());
    }
}
