package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks by simulation that the 95% Poisson-bootstrap intervals of {@link RoutingMetricsState} cover the true
 * accuracy and macro-F1 of the population in about 95% of datasets drawn from it.
 *
 * <p>Population: 5 equally frequent labels; a row of label k is routed correctly with probability RECALL[k],
 * otherwise to one of the other 4 labels uniformly. So the true accuracy is the mean recall, and label k's true
 * precision is (RECALL[k] / 5) / (RECALL[k] / 5 + Σ_(j≠k) (1 - RECALL[j]) / 20). Every dataset draws its rows
 * from one fixed-seed generator and uses its own bootstrap seed, so the run is deterministic and the datasets'
 * intervals are independent.
 *
 * <p>Band: with 1,000 datasets the observed coverage has a standard error of √(0.95 · 0.05 / 1000) ≈ 0.0069, so
 * [0.935, 0.965] is the nominal 95% ± about 2.2 standard errors. A percentile interval from 400 replicates also
 * has its own Monte Carlo error in each bound, which the band absorbs.
 */
class BootstrapCoverageSimulationTest {

    private static final int DATASETS = 1000;
    private static final int ROWS = 400;
    private static final int REPLICATES = 400;
    private static final double[] RECALL = {0.95, 0.90, 0.85, 0.75, 0.60};

    private static int accuracyCovered;
    private static int macroF1Covered;

    @BeforeAll
    static void simulate() {
        double trueAccuracy = trueAccuracy();
        double trueMacroF1 = trueMacroF1();
        SplittableRandom random = new SplittableRandom(20240611L);
        int labels = RECALL.length;
        for (int dataset = 0; dataset < DATASETS; dataset++) {
            RoutingMetricsState state = new RoutingMetricsState(REPLICATES, dataset);
            for (int row = 0; row < ROWS; row++) {
                int gold = random.nextInt(labels);
                int predicted = random.nextDouble() < RECALL[gold] ? gold : (gold + 1 + random.nextInt(labels - 1))
                        % labels;
                state.add("row-" + row, "label-" + gold, "label-" + predicted);
            }
            RoutingCi95 ci95 = state.result().ci95();
            accuracyCovered += ci95.accuracy().contains(trueAccuracy) ? 1 : 0;
            macroF1Covered += ci95.macroF1().contains(trueMacroF1) ? 1 : 0;
        }
    }

    @Test
    void accuracyInterval_coversTrueValue() {
        assertThat(accuracyCovered / (double) DATASETS).isBetween(0.935, 0.965);
    }

    @Test
    void macroF1Interval_coversTrueValue() {
        assertThat(macroF1Covered / (double) DATASETS).isBetween(0.935, 0.965);
    }

    private static double trueAccuracy() {
        double sum = 0;
        for (double recall : RECALL) {
            sum += recall;
        }
        return sum / RECALL.length;
    }

    private static double trueMacroF1() {
        int labels = RECALL.length;
        double sum = 0;
        for (int k = 0; k < labels; k++) {
            double truePositive = RECALL[k] / labels;
            double falsePositive = 0;
            for (int j = 0; j < labels; j++) {
                if (j != k) {
                    falsePositive += (1 - RECALL[j]) / labels / (labels - 1);
                }
            }
            double precision = truePositive / (truePositive + falsePositive);
            sum += 2 * precision * RECALL[k] / (precision + RECALL[k]);
        }
        return sum / labels;
    }
}
