package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoissonBootstrapTest {

    private static final int ROWS = 2000;
    private static final int REPLICATES = 100;
    private static final int[] PINNED_WEIGHTS = {2, 2, 1, 0, 1, 1, 0, 2, 1, 0, 2, 1};

    /**
     * For 200,000 weights of Poisson(1), one standard error is 0.0022 for the sample mean and 0.0039 for the
     * sample variance, because Var(s²) ≈ (μ4 - σ⁴)/n and μ4 = 4 for Poisson(1). The tolerances are about 7
     * standard errors. The weights are deterministic, so the test cannot be flaky, only wrong.
     */
    @Test
    void weights_manyRows_meanAndVarianceNearOne() {
        int[][] weights = weights(42);
        double sum = 0;
        double sumOfSquares = 0;
        for (int[] row : weights) {
            for (int w : row) {
                sum += w;
                sumOfSquares += (double) w * w;
            }
        }
        double n = (double) ROWS * REPLICATES;
        double mean = sum / n;
        double variance = (sumOfSquares - n * mean * mean) / (n - 1);

        assertThat(mean).isCloseTo(1.0, within(0.015));
        assertThat(variance).isCloseTo(1.0, within(0.03));
    }

    /** P(X = k) = e^-1 / k! for k = 0..3; one standard error of each frequency is at most 0.0011. */
    @Test
    void weights_manyRows_frequenciesMatchPoissonOne() {
        int[] counts = new int[32];
        for (int[] row : weights(42)) {
            for (int w : row) {
                counts[w]++;
            }
        }
        double n = (double) ROWS * REPLICATES;
        double e = Math.exp(-1);

        assertThat(counts[0] / n).isCloseTo(e, within(0.008));
        assertThat(counts[1] / n).isCloseTo(e, within(0.008));
        assertThat(counts[2] / n).isCloseTo(e / 2, within(0.008));
        assertThat(counts[3] / n).isCloseTo(e / 6, within(0.008));
    }

    /** Weights of neighbouring replicates must look independent; the correlation's standard error is 0.0023. */
    @Test
    void weights_adjacentReplicates_uncorrelated() {
        int[][] weights = weights(42);
        double sumXy = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXx = 0;
        double sumYy = 0;
        int pairs = 0;
        for (int[] row : weights) {
            for (int b = 0; b + 1 < REPLICATES; b++) {
                double x = row[b];
                double y = row[b + 1];
                sumXy += x * y;
                sumX += x;
                sumY += y;
                sumXx += x * x;
                sumYy += y * y;
                pairs++;
            }
        }
        double covariance = sumXy / pairs - (sumX / pairs) * (sumY / pairs);
        double correlation = covariance / Math.sqrt((sumXx / pairs - Math.pow(sumX / pairs, 2))
                * (sumYy / pairs - Math.pow(sumY / pairs, 2)));

        assertThat(correlation).isCloseTo(0.0, within(0.015));
    }

    @Test
    void fillWeights_sameInputs_identical() {
        int[] first = new int[REPLICATES];
        int[] second = new int[REPLICATES];

        PoissonBootstrap.fillWeights(42, "row-7", first);
        PoissonBootstrap.fillWeights(42, "row-7", second);

        assertThat(first).isEqualTo(second);
    }

    @Test
    void fillWeights_otherSeedOrRow_differs() {
        int[] base = new int[REPLICATES];
        int[] otherSeed = new int[REPLICATES];
        int[] otherRow = new int[REPLICATES];

        PoissonBootstrap.fillWeights(42, "row-7", base);
        PoissonBootstrap.fillWeights(43, "row-7", otherSeed);
        PoissonBootstrap.fillWeights(42, "row-8", otherRow);

        assertThat(otherSeed).isNotEqualTo(base);
        assertThat(otherRow).isNotEqualTo(base);
    }

    /**
     * Pins the derivation: a change to the hash, the mix or the Poisson table would change every interval ever
     * reported, so it must be deliberate. A separate Python implementation of the derivation described in
     * {@link PoissonBootstrap}'s class comment gives the same twelve weights.
     */
    @Test
    void fillWeights_pinnedValues_unchanged() {
        int[] weights = new int[12];

        PoissonBootstrap.fillWeights(42, "banking77-test-0001", weights);

        assertThat(weights).containsExactly(PINNED_WEIGHTS);
    }

    @Test
    void poissonOneQuantile_boundaries() {
        double e = Math.exp(-1);

        assertThat(PoissonBootstrap.poissonOneQuantile(0.0)).isZero();
        assertThat(PoissonBootstrap.poissonOneQuantile(Math.nextDown(e))).isZero();
        assertThat(PoissonBootstrap.poissonOneQuantile(e)).isEqualTo(1);
        assertThat(PoissonBootstrap.poissonOneQuantile(0.9)).isEqualTo(2);
        assertThat(PoissonBootstrap.poissonOneQuantile(Math.nextDown(1.0))).isBetween(17, 18);
    }

    /** For 1..5 and p = 0.025, h = 4 × 0.025 = 0.1, so the result is 1 + 0.1 × (2 - 1) = 1.1; p = 0.975 gives 4.9. */
    @Test
    void percentile_linearInterpolation() {
        assertThat(PoissonBootstrap.percentile(new double[] {5, 4, 3, 2, 1}, 0.025)).isCloseTo(1.1, within(1e-12));
        assertThat(PoissonBootstrap.percentile(new double[] {5, 4, 3, 2, 1}, 0.5)).isEqualTo(3.0);
        assertThat(PoissonBootstrap.percentile(new double[] {5, 4, 3, 2, 1}, 0.975)).isCloseTo(4.9, within(1e-12));
        assertThat(PoissonBootstrap.percentile(new double[] {0.7}, 0.975)).isEqualTo(0.7);
        assertThat(PoissonBootstrap.percentile(new double[] {1, 2}, 1.0)).isEqualTo(2.0);
    }

    @Test
    void percentile_invalidInput_rejected() {
        assertThatThrownBy(() -> PoissonBootstrap.percentile(new double[0], 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoissonBootstrap.percentile(new double[] {1}, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }

    private static int[][] weights(long seed) {
        int[][] weights = new int[ROWS][REPLICATES];
        for (int i = 0; i < ROWS; i++) {
            PoissonBootstrap.fillWeights(seed, "row-" + i, weights[i]);
        }
        return weights;
    }
}
