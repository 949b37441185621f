package dev.tuneladder.core.comparison;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks by simulation that A/A comparisons, two runs drawn from the same distribution, are called significant
 * at most about 5% of the time: by the paired bootstrap interval excluding 0, and by McNemar's p &lt; 0.05.
 *
 * <p>Each pair of runs scores the same 300 rows over 5 labels. A row has a hidden difficulty: it is routed
 * correctly with probability 0.95 (60% of rows), 0.7 (25%) or 0.3 (15%), otherwise to another label uniformly.
 * Both runs draw independently given that difficulty, so they are correlated, as two configurations of one
 * agent are, and the paired analysis matters. Rows come from one fixed-seed generator and each pair uses its own
 * bootstrap seed, so the run is deterministic.
 *
 * <p>Tolerance: with 1,000 pairs an observed rate has a standard error of √(0.05 · 0.95 / 1000) ≈ 0.0069, and a
 * percentile bootstrap interval from 300 rows is known to be slightly too narrow (its error shrinks as 1/n), so
 * the bound is 0.065, about 2.2 standard errors above the nominal 5%. The exact McNemar test is conservative
 * (its discrete p-values reach 0.05 less often than 5% of the time), so it gets the same bound.
 */
class AaComparisonSimulationTest {

    private static final int PAIRS = 1000;
    private static final int ROWS = 300;
    private static final int REPLICATES = 400;
    private static final int LABELS = 5;
    private static final double MAX_FALSE_POSITIVE_RATE = 0.065;

    private static int accuracyExcludesZero;
    private static int macroF1ExcludesZero;
    private static int mcNemarSignificant;

    @BeforeAll
    static void simulate() {
        SplittableRandom random = new SplittableRandom(20240723L);
        for (int pair = 0; pair < PAIRS; pair++) {
            PairedComparisonState state = new PairedComparisonState(REPLICATES, pair, List.of(), 0);
            for (int row = 0; row < ROWS; row++) {
                int gold = random.nextInt(LABELS);
                double difficulty = random.nextDouble();
                double pCorrect = 0.30;
                if (difficulty < 0.60) {
                    pCorrect = 0.95;
                } else if (difficulty < 0.85) {
                    pCorrect = 0.70;
                }
                String label = "label-" + gold;
                state.add("row-" + row, label, label, predict(random, gold, pCorrect),
                        predict(random, gold, pCorrect));
            }
            PairedComparison comparison = state.result();
            accuracyExcludesZero += comparison.metric("accuracy").ci95().excludesZero() ? 1 : 0;
            macroF1ExcludesZero += comparison.metric("macroF1").ci95().excludesZero() ? 1 : 0;
            mcNemarSignificant += comparison.mcNemar().pValue() < 0.05 ? 1 : 0;
        }
    }

    private static String predict(SplittableRandom random, int gold, double pCorrect) {
        int predicted = random.nextDouble() < pCorrect ? gold : (gold + 1 + random.nextInt(LABELS - 1)) % LABELS;
        return "label-" + predicted;
    }

    @Test
    void accuracyInterval_falsePositiveRate() {
        assertThat(accuracyExcludesZero / (double) PAIRS).isLessThanOrEqualTo(MAX_FALSE_POSITIVE_RATE);
    }

    @Test
    void macroF1Interval_falsePositiveRate() {
        assertThat(macroF1ExcludesZero / (double) PAIRS).isLessThanOrEqualTo(MAX_FALSE_POSITIVE_RATE);
    }

    @Test
    void mcNemar_falsePositiveRate() {
        assertThat(mcNemarSignificant / (double) PAIRS).isLessThanOrEqualTo(MAX_FALSE_POSITIVE_RATE);
    }

    /** Guards against a test that passes by never detecting anything: a real test rejects some A/A pairs. */
    @Test
    void tests_rejectSomePairs() {
        assertThat(accuracyExcludesZero).isPositive();
        assertThat(mcNemarSignificant).isPositive();
    }
}
