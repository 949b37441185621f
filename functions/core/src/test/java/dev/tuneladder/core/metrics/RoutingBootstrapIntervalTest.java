package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingBootstrapIntervalTest {

    /**
     * 600 rows over 12 labels; a row is routed correctly with probability 0.85, otherwise to a random other label.
     * The row contents come from a fixed java.util.Random so the example is the same on every run.
     */
    private static RoutingMetricsState realisticExample(int replicates, long seed) {
        RoutingMetricsState state = new RoutingMetricsState(replicates, seed);
        Random random = new Random(20240611L);
        for (int i = 0; i < 600; i++) {
            int gold = random.nextInt(12);
            int predicted = random.nextDouble() < 0.85 ? gold : (gold + 1 + random.nextInt(11)) % 12;
            state.add("row-" + i, "intent_" + gold, "intent_" + predicted);
        }
        return state;
    }

    @Test
    void ci95_sameSeed_identical() {
        RoutingMetrics first = realisticExample(1000, 42).result();
        RoutingMetrics second = realisticExample(1000, 42).result();

        assertThat(second.ci95()).isEqualTo(first.ci95());
    }

    @Test
    void ci95_otherSeed_differs() {
        RoutingMetrics first = realisticExample(1000, 42).result();
        RoutingMetrics second = realisticExample(1000, 43).result();

        assertThat(second.ci95().accuracy()).isNotEqualTo(first.ci95().accuracy());
        assertThat(second.ci95().macroF1()).isNotEqualTo(first.ci95().macroF1());
        assertThat(second.accuracy()).isEqualTo(first.accuracy());
    }

    @Test
    void ci95_realisticExample_containsPointEstimate() {
        RoutingMetrics metrics = realisticExample(1000, 42).result();

        assertThat(metrics.ci95().accuracy().contains(metrics.accuracy())).isTrue();
        assertThat(metrics.ci95().macroF1().contains(metrics.macro().f1())).isTrue();
    }

    /**
     * The bootstrap interval of accuracy should agree with the normal approximation acc ± 1.96 √(acc(1-acc)/n),
     * whose half-width here is about 0.029; the tolerance allows for the bootstrap's Monte Carlo error.
     */
    @Test
    void ci95_accuracy_matchesNormalApproximation() {
        RoutingMetrics metrics = realisticExample(1000, 42).result();
        double accuracy = metrics.accuracy();
        double halfWidth = 1.96 * Math.sqrt(accuracy * (1 - accuracy) / metrics.rows());

        assertThat(metrics.ci95().accuracy().low()).isCloseTo(accuracy - halfWidth, within(0.008));
        assertThat(metrics.ci95().accuracy().high()).isCloseTo(accuracy + halfWidth, within(0.008));
    }

    /** The scale of a BANKING77 test run: 3,080 rows, 77 labels, 1,000 replicates. Timing lives in BENCHMARKS.md. */
    @Test
    void result_banking77Scale_intervalsBracketEstimate() {
        RoutingMetricsState state = new RoutingMetricsState();
        Random random = new Random(3080L);
        for (int i = 0; i < 3080; i++) {
            int gold = i % 77;
            int predicted = random.nextDouble() < 0.9 ? gold : random.nextInt(77);
            state.add("banking77-test-" + i, "intent_" + gold, "intent_" + predicted);
        }

        RoutingMetrics metrics = state.result();

        assertThat(metrics.labels()).hasSize(77);
        assertThat(metrics.ci95().macroF1().low()).isLessThan(metrics.macro().f1());
        assertThat(metrics.ci95().macroF1().high()).isGreaterThan(metrics.macro().f1());
    }
}
