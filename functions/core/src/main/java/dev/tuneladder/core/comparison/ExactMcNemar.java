package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The exact McNemar test of two classifiers scored on the same rows.
 *
 * <p>Only the discordant rows carry information: b rows that the baseline got right and the candidate got wrong,
 * and c rows the other way round. Under the null hypothesis that both have the same accuracy, each discordant row
 * falls on either side with probability 1/2, so b ~ Binomial(b + c, 1/2). The two-sided p-value is
 * min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2), the same value as
 * {@code scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue}, because the distribution is symmetric.
 *
 * @param baselineOnlyCorrect b: rows correct in the baseline and wrong in the candidate
 * @param candidateOnlyCorrect c: rows wrong in the baseline and correct in the candidate
 * @param pValue the exact two-sided p-value; 1 when b = c
 */
@JsonPropertyOrder({"baselineOnlyCorrect", "candidateOnlyCorrect", "pValue"})
public record ExactMcNemar(long baselineOnlyCorrect, long candidateOnlyCorrect, double pValue) {

    private static final double LOG_2 = Math.log(2);
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    public ExactMcNemar {
        if (baselineOnlyCorrect < 0 || candidateOnlyCorrect < 0) {
            throw new IllegalArgumentException("discordant counts must be 0 or more, got b=" + baselineOnlyCorrect
                    + " and c=" + candidateOnlyCorrect);
        }
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException("McNemar p-value must be in [0, 1], got " + pValue);
        }
    }

    /** Runs the exact test on the discordant counts b and c. */
    public static ExactMcNemar of(long b, long c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant counts must be 0 or more, got b=" + b + " and c=" + c);
        }
        return new ExactMcNemar(b, c, twoSidedPValue(b, c));
    }

    /**
     * Computes min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2).
     *
     * <p>Direct sums of C(n, k) / 2^n overflow or underflow for n beyond about 1,000, and a log C(n, m) built from
     * log-gamma values loses about 9 digits to cancellation at n = 10^6. So the largest tail term P(X = m) comes
     * from Loader's saddle-point form, which has no such cancellation: C. Loader, "Fast and Accurate Computation
     * of Binomial Probabilities" (2000), the method behind R's dbinom. With m ≤ n / 2 the terms grow with k, and
     * the tail is P(X = m) · (1 + r_m + r_m r_(m-1) + ...), where r_k = P(X = k-1) / P(X = k) = k / (n - k + 1).
     * The series stops once a term no longer changes the sum in double precision.
     */
    static double twoSidedPValue(long b, long c) {
        long n = b + c;
        long m = Math.min(b, c);
        if (2 * m >= n) {
            return 1.0;
        }

        double sum = 1;
        double term = 1;
        for (long k = m; k >= 1; k--) {
            term *= (double) k / (n - k + 1);
            double before = sum;
            sum += term;
            if (sum == before) {
                break;
            }
        }

        double logTail = logHalfBinomialPmf(n, m) + Math.log(sum);
        return Math.min(1.0, 2 * Math.exp(logTail));
    }

    /** Returns log P(X = k) for X ~ Binomial(n, 1/2) and 0 ≤ k &lt; n. */
    static double logHalfBinomialPmf(long n, long k) {
        if (k == 0) {
            return -n * LOG_2;
        }
        double mean = n / 2.0;
        double logCorrection = stirlingError(n) - stirlingError(k) - stirlingError(n - k)
                - deviance(k, mean) - deviance(n - k, mean);
        double logScale = LOG_2PI + Math.log(k) + Math.log1p(-(double) k / n);
        return logCorrection - 0.5 * logScale;
    }

    /**
     * Returns log(k!) - [(k + 1/2) log k - k + log √(2π)], the error of Stirling's formula, for k ≥ 1. Below 16 it
     * is computed from k! itself, which a double represents exactly there. From 16 on it is the asymptotic series
     * 1/(12k) - 1/(360k^3) + 1/(1260k^5) - 1/(1680k^7) + 1/(1188k^9), cut where the next term is below 1e-17.
     */
    static double stirlingError(long k) {
        if (k < 16) {
            double factorial = 1;
            for (int i = 2; i <= k; i++) {
                factorial *= i;
            }
            return Math.log(factorial) - ((k + 0.5) * Math.log(k) - k + 0.5 * LOG_2PI);
        }
        double x = k;
        double inverseSquare = 1 / (x * x);
        if (k > 500) {
            return (1.0 / 12 - inverseSquare / 360) / x;
        }
        if (k > 80) {
            return (1.0 / 12 - (1.0 / 360 - inverseSquare / 1260) * inverseSquare) / x;
        }
        if (k > 35) {
            return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - inverseSquare / 1680) * inverseSquare) * inverseSquare)
                    / x;
        }
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - inverseSquare / 1188) * inverseSquare)
                * inverseSquare) * inverseSquare) / x;
    }

    /**
     * Returns x log(x / mean) + mean - x, the deviance term of Loader's form, for x ≥ 1. Near the mean the direct
     * formula cancels, so there it sums the series 2x Σ_(j≥1) v^(2j+1) / (2j + 1) + (x - mean) v with
     * v = (x - mean) / (x + mean).
     */
    static double deviance(long x, double mean) {
        double difference = x - mean;
        if (Math.abs(difference) < 0.1 * (x + mean)) {
            double v = difference / (x + mean);
            double sum = difference * v;
            double power = 2 * x * v;
            double vSquared = v * v;
            for (int j = 1; j < 1000; j++) {
                power *= vSquared;
                double next = sum + power / (2 * j + 1);
                if (next == sum) {
                    return sum;
                }
                sum = next;
            }
            return sum;
        }
        return x * Math.log(x / mean) + mean - x;
    }
}
