package dev.tuneladder.core.judging.calibration;

/**
 * Chance-corrected agreement statistics on count tables. Both return null where the statistic is undefined
 * (chance agreement of 1, or no data), where scikit-learn would return NaN.
 */
public final class Agreement {

    private Agreement() {
    }

    /**
     * Computes Cohen's kappa of a square contingency table: {@code table[i][j]} counts the items that rater A put
     * in category i and rater B in category j.
     *
     * <p>With n items, trace t (agreements) and marginals r_i (rows) and c_i (columns), p_o = t/n and
     * p_e = Σ r_i c_i / n², so κ = (p_o − p_e) / (1 − p_e) = 1 − n(n − t) / (n² − Σ r_i c_i). The second form is
     * the one scikit-learn's {@code cohen_kappa_score} evaluates (one minus the ratio of weighted observed to
     * weighted expected disagreement, with weight 1 off the diagonal). Here it is evaluated in exact integer
     * arithmetic up to one final division.
     *
     * @return κ, or null when there are no items or the expected disagreement is 0 (both raters always chose
     *     the same single category)
     * @throws IllegalArgumentException when the table is not square or contains a negative count
     */
    public static Double cohenKappa(long[][] table) {
        int k = table.length;

        long[] rows = new long[k];
        long[] columns = new long[k];
        long n = 0;
        long trace = 0;
        for (int i = 0; i < k; i++) {
            if (table[i].length != k) {
                throw new IllegalArgumentException("contingency table row " + i + " has " + table[i].length
                        + " columns; a table of " + k + " categories must be " + k + " by " + k);
            }
            for (int j = 0; j < k; j++) {
                long count = table[i][j];
                if (count < 0) {
                    throw new IllegalArgumentException("contingency table cell [" + i + "][" + j
                            + "] is negative: " + count);
                }
                rows[i] += count;
                columns[j] += count;
                n += count;
                if (i == j) {
                    trace += count;
                }
            }
        }

        long marginProducts = 0;
        for (int i = 0; i < k; i++) {
            marginProducts = Math.addExact(marginProducts, Math.multiplyExact(rows[i], columns[i]));
        }
        long expectedDisagreement = Math.subtractExact(Math.multiplyExact(n, n), marginProducts);

        if (n == 0 || expectedDisagreement == 0) {
            return null;
        }
        long observedDisagreement = Math.multiplyExact(n, n - trace);
        return 1.0 - (double) observedDisagreement / expectedDisagreement;
    }

    /**
     * Computes Fleiss' kappa: {@code counts[i][j]} is the number of raters who put item i in category j.
     *
     * <p>Definition: P_i = (Σ_j n_ij² − n_i) / (n_i (n_i − 1)) is the agreement on item i with n_i raters,
     * P̄ the mean of P_i, p_j = Σ_i n_ij / Σ_i n_i the share of category j, P_e = Σ_j p_j², and
     * κ = (P̄ − P_e) / (1 − P_e). Fleiss defined it for the same number of raters on every item. Items here may
     * have different numbers of raters, so each P_i uses its own n_i and p_j pools all ratings. Items with fewer
     * than two raters carry no agreement and are skipped.
     *
     * @return κ, or null when no item has two raters or P_e is 1 (every rating in one category)
     */
    public static Double fleissKappa(long[][] counts) {
        int categories = counts.length == 0 ? 0 : counts[0].length;
        double agreementSum = 0;
        int items = 0;
        long[] categoryTotals = new long[categories];
        long ratings = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != categories) {
                throw new IllegalArgumentException("rating count row " + i + " has " + counts[i].length
                        + " categories; every row needs " + categories);
            }
            long raters = 0;
            long squares = 0;
            for (int j = 0; j < categories; j++) {
                long count = counts[i][j];
                if (count < 0) {
                    throw new IllegalArgumentException("rating count [" + i + "][" + j + "] is negative: " + count);
                }
                raters += count;
                squares += count * count;
            }
            if (raters < 2) {
                continue;
            }
            agreementSum += (double) (squares - raters) / (raters * (raters - 1));
            items++;
            ratings += raters;
            for (int j = 0; j < categories; j++) {
                categoryTotals[j] += counts[i][j];
            }
        }
        if (items == 0) {
            return null;
        }
        double chance = 0;
        for (long total : categoryTotals) {
            double share = (double) total / ratings;
            chance += share * share;
        }
        if (chance >= 1.0) {
            return null;
        }
        return (agreementSum / items - chance) / (1 - chance);
    }
}
