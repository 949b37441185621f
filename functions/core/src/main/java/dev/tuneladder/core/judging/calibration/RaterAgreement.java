package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Agreement between two raters on the verdicts they both gave.
 *
 * @param raterA the first rater
 * @param raterB the second rater
 * @param pairs the number of compared verdict pairs
 * @param agreements pairs with the same verdict
 * @param agreementRate agreements / pairs, or null when there are no pairs
 * @param kappa Cohen's kappa over the pairs, or null when undefined
 */
@JsonPropertyOrder({"raterA", "raterB", "pairs", "agreements", "agreementRate", "kappa"})
public record RaterAgreement(String raterA, String raterB, long pairs, long agreements, Double agreementRate,
        Double kappa) {

    public RaterAgreement {
        Checks.requireName("raterA", raterA);
        Checks.requireName("raterB", raterB);
        Checks.requireCount("pairs", pairs);
        Checks.requireCount("agreements", agreements);
        Checks.requireRateOrNull("agreementRate", agreementRate);
        Checks.requireKappaOrNull("kappa", kappa);
    }
}
