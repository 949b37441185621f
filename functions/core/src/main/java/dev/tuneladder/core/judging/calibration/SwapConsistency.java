package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How a pairwise judge behaves when the two answers change places, over the items it judged in both orders.
 *
 * <p>A pair is consistent when the judge prefers the same answer in both orders. An inconsistent pair picked
 * the same position twice, so it is either "first position both times" or "second position both times".
 *
 * @param pairs items judged in both orders
 * @param consistent pairs with the same answer preferred in both orders
 * @param consistencyRate consistent / pairs, or null when there are no pairs
 * @param firstPositionBoth inconsistent pairs where the answer shown first won both times
 * @param secondPositionBoth inconsistent pairs where the answer shown second won both times
 * @param firstPositionRate firstPositionBoth / inconsistent pairs, or null when every pair is consistent
 * @param secondPositionRate secondPositionBoth / inconsistent pairs, or null when every pair is consistent
 * @param kappaBetweenOrders Cohen's kappa between the answers preferred in the original and in the swapped order
 */
@JsonPropertyOrder({"pairs", "consistent", "consistencyRate", "firstPositionBoth", "secondPositionBoth",
    "firstPositionRate", "secondPositionRate", "kappaBetweenOrders"})
public record SwapConsistency(long pairs, long consistent, Double consistencyRate, long firstPositionBoth,
        long secondPositionBoth, Double firstPositionRate, Double secondPositionRate, Double kappaBetweenOrders) {

    public SwapConsistency {
        Checks.requireCount("pairs", pairs);
        Checks.requireCount("consistent", consistent);
        Checks.requireCount("firstPositionBoth", firstPositionBoth);
        Checks.requireCount("secondPositionBoth", secondPositionBoth);
        if (consistent + firstPositionBoth + secondPositionBoth != pairs) {
            throw new IllegalArgumentException("consistent (" + consistent + ") + firstPositionBoth ("
                    + firstPositionBoth + ") + secondPositionBoth (" + secondPositionBoth + ") must equal pairs ("
                    + pairs + ")");
        }
        Checks.requireRateOrNull("consistencyRate", consistencyRate);
        Checks.requireRateOrNull("firstPositionRate", firstPositionRate);
        Checks.requireRateOrNull("secondPositionRate", secondPositionRate);
        Checks.requireKappaOrNull("kappaBetweenOrders", kappaBetweenOrders);
    }

    /** Returns the inconsistent pairs: pairs − consistent. */
    public long inconsistent() {
        return pairs - consistent;
    }
}
