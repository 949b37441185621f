package dev.tuneladder.core.judging.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Kappa values checked against hand computations. scikit-learn's cohen_kappa_score computes
 * κ = 1 − Σ w·C / Σ w·E with C the confusion matrix, E = outer(column sums, row sums) / n and w = 1 off the
 * diagonal, which is the same quantity as (p_o − p_e) / (1 − p_e) below.
 */
class AgreementTest {

    @Test
    void cohenKappa_twoByTwoTable() {
        // n = 50, agreements 20 + 15 = 35, p_o = 0.7.
        // Rows (rater A) 25, 25; columns (rater B) 30, 20; p_e = (25·30 + 25·20) / 50² = 1250 / 2500 = 0.5.
        // κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
        long[][] table = {{20, 5}, {10, 15}};

        assertThat(Agreement.cohenKappa(table)).isCloseTo(0.4, within(1e-15));
    }

    @Test
    void cohenKappa_threeByThreeTable() {
        // n = 50, agreements 10 + 12 + 13 = 35, p_o = 0.7.
        // Rows 15, 18, 17; columns 15, 17, 18; p_e = (15·15 + 18·17 + 17·18) / 2500 = 837 / 2500 = 0.3348.
        // κ = (0.7 − 0.3348) / (1 − 0.3348) = 0.3652 / 0.6652 = 913 / 1663 ≈ 0.5490078.
        long[][] table = {{10, 2, 3}, {4, 12, 2}, {1, 3, 13}};

        assertThat(Agreement.cohenKappa(table)).isCloseTo(913.0 / 1663.0, within(1e-15));
    }

    @Test
    void cohenKappa_perfectAndChanceAgreement() {
        assertThat(Agreement.cohenKappa(new long[][] {{7, 0}, {0, 3}})).isEqualTo(1.0);
        // Every cell 5: p_o = 0.5 = p_e, so κ = 0.
        assertThat(Agreement.cohenKappa(new long[][] {{5, 5}, {5, 5}})).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void cohenKappa_undefinedWhenOneCategoryOnly() {
        assertThat(Agreement.cohenKappa(new long[][] {{9}})).isNull();
        assertThat(Agreement.cohenKappa(new long[][] {{0, 0}, {0, 0}})).isNull();
    }

    @Test
    void cohenKappa_rejectsRaggedTable() {
        assertThatThrownBy(() -> Agreement.cohenKappa(new long[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 has 1 columns");
    }

    @Test
    void fleissKappa_threeRatersFourItems() {
        // Pass/fail counts per item: (3, 0), (2, 1), (1, 2), (0, 3).
        // P_i = (Σ n_ij² − 3) / 6: 1, 1/3, 1/3, 1, so P̄ = 2/3. p_pass = 6/12 = p_fail, P_e = 0.5.
        // κ = (2/3 − 1/2) / (1 − 1/2) = 1/3.
        long[][] counts = {{3, 0}, {2, 1}, {1, 2}, {0, 3}};

        assertThat(Agreement.fleissKappa(counts)).isCloseTo(1.0 / 3.0, within(1e-15));
    }

    @Test
    void fleissKappa_skipsItemsWithOneRater() {
        long[][] counts = {{3, 0}, {2, 1}, {1, 2}, {0, 3}, {1, 0}};

        assertThat(Agreement.fleissKappa(counts)).isCloseTo(1.0 / 3.0, within(1e-15));
    }

    @Test
    void fleissKappa_undefinedWithoutTwoRaters() {
        assertThat(Agreement.fleissKappa(new long[][] {{1, 0}, {0, 1}})).isNull();
        assertThat(Agreement.fleissKappa(new long[][] {{2, 0}, {3, 0}})).isNull();
    }
}
