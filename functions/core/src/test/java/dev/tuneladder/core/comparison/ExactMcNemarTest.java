package dev.tuneladder.core.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExactMcNemarTest {

    /** b = 1, c = 9: P(X ≤ 1) = (1 + 10) / 2^10, doubled: 22 / 1024. */
    @Test
    void pValue_oneAgainstNine_matchesHandValue() {
        assertThat(ExactMcNemar.of(1, 9).pValue()).isCloseTo(0.021484375, within(1e-15));
        assertThat(ExactMcNemar.of(9, 1).pValue()).isCloseTo(0.021484375, within(1e-15));
    }

    /** b = 3, c = 15: P(X ≤ 3) = (1 + 18 + 153 + 816) / 2^18, doubled: 1976 / 262144. */
    @Test
    void pValue_threeAgainstFifteen_matchesHandValue() {
        assertThat(ExactMcNemar.of(3, 15).pValue()).isCloseTo(1976.0 / 262144, within(1e-15));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "10, 10", "250000, 250000"})
    void pValue_equalCounts_isOne(long b, long c) {
        assertThat(ExactMcNemar.of(b, c).pValue()).isEqualTo(1.0);
    }

    /** With b + c odd and |b - c| = 1, P(X ≤ min(b, c)) is exactly 1/2 by symmetry, so p = 1. */
    @ParameterizedTest
    @CsvSource({"7, 8", "500000, 500001"})
    void pValue_countsDifferByOne_isOne(long b, long c) {
        assertThat(ExactMcNemar.of(b, c).pValue()).isCloseTo(1.0, within(1e-12));
    }

    /** Reference values from scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue, SciPy 1.17.1. */
    @ParameterizedTest
    @CsvSource({
        "0, 5, 0.0625",
        "40, 60, 0.05688793364098089",
        "480, 540, 0.0646419763872945",
        "4000, 4200, 0.027972423571324654",
        "123456, 124321, 0.08261061670339657"
    })
    void pValue_matchesScipyBinomtest(long b, long c, double expected) {
        assertThat(ExactMcNemar.of(b, c).pValue()).isCloseTo(expected, within(expected * 1e-12));
    }

    @Test
    void pValue_moderateCounts_matchesExactRationalSum() {
        long b = 700;
        long c = 830;

        assertThat(ExactMcNemar.of(b, c).pValue()).isCloseTo(exactPValue(b, c), within(exactPValue(b, c) * 1e-12));
    }

    /** Far in the tail the value underflows no intermediate: 2 · 2^-2000 would be 0 if summed directly as doubles. */
    @Test
    void pValue_extremeImbalance_staysPositiveAndTiny() {
        double p = ExactMcNemar.of(0, 1000).pValue();

        assertThat(p).isGreaterThan(0.0).isCloseTo(2 * Math.pow(2, -1000), within(1e-310));
    }

    @Test
    void of_negativeCount_rejected() {
        assertThatThrownBy(() -> ExactMcNemar.of(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b=-1");
    }

    private static double exactPValue(long b, long c) {
        int n = (int) (b + c);
        int m = (int) Math.min(b, c);
        BigInteger tail = BigInteger.ZERO;
        BigInteger choose = BigInteger.ONE;
        for (int k = 0; k <= m; k++) {
            tail = tail.add(choose);
            choose = choose.multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
        }
        BigDecimal p = new BigDecimal(tail.shiftLeft(1)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)),
                MathContext.DECIMAL128);
        return Math.min(1.0, p.doubleValue());
    }
}
