package dev.tuneladder.core.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedComparisonStateTest {

    /**
     * Ten rows over labels a, b, c. The baseline gets rows 1-6 right; the candidate gets rows 1-4 and 7-10 right.
     * So b = 2 (rows 5, 6 broken), c = 4 (rows 7-10 fixed).
     */
    private static PairedComparisonState handExample() {
        PairedComparisonState state = new PairedComparisonState(200, 7L, List.of(), 100);
        String[] gold = {"a", "a", "b", "b", "c", "c", "a", "b", "c", "c"};
        for (int i = 0; i < gold.length; i++) {
            int row = i + 1;
            String baseline = row <= 6 ? gold[i] : wrongLabel(gold[i]);
            String candidate = row <= 4 || row >= 7 ? gold[i] : wrongLabel(gold[i]);
            state.add("row-" + (row < 10 ? "0" : "") + row, gold[i], gold[i], baseline, candidate);
        }
        return state;
    }

    private static String wrongLabel(String gold) {
        return gold.equals("a") ? "b" : "a";
    }

    @Test
    void result_handExample_accuracyDifference() {
        MetricDifference accuracy = handExample().result().metric("accuracy");

        assertThat(accuracy.baseline()).isEqualTo(0.6);
        assertThat(accuracy.candidate()).isEqualTo(0.8);
        assertThat(accuracy.difference()).isCloseTo(0.2, within(1e-15));
        assertThat(accuracy.ci95().low()).isLessThanOrEqualTo(accuracy.difference());
        assertThat(accuracy.ci95().high()).isGreaterThanOrEqualTo(accuracy.difference());
    }

    @Test
    void result_handExample_macroF1MatchesHandCount() {
        // Baseline predictions: a a b b c c b a a a (rows 7-10 wrong: gold a b c c).
        // a: TP 2, FP 3 (rows 8, 9, 10), FN 1 (row 7) -> F1 = 4 / (4 + 3 + 1) = 0.5
        // b: TP 2, FP 1 (row 7), FN 1 (row 8)        -> F1 = 4 / 6
        // c: TP 2, FP 0, FN 2 (rows 9, 10)           -> F1 = 4 / 6
        double baselineMacroF1 = (0.5 + 4.0 / 6 + 4.0 / 6) / 3;
        // Candidate predictions: a a b b a a a b c c (rows 5, 6 wrong: gold c c).
        // a: TP 3, FP 2, FN 0 -> 6 / 8;  b: TP 3, FP 0, FN 0 -> 1;  c: TP 2, FP 0, FN 2 -> 4 / 6
        double candidateMacroF1 = (6.0 / 8 + 1 + 4.0 / 6) / 3;

        MetricDifference macroF1 = handExample().result().metric("macroF1");

        assertThat(macroF1.baseline()).isCloseTo(baselineMacroF1, within(1e-12));
        assertThat(macroF1.candidate()).isCloseTo(candidateMacroF1, within(1e-12));
        assertThat(macroF1.difference()).isCloseTo(candidateMacroF1 - baselineMacroF1, within(1e-12));
    }

    @Test
    void result_handExample_flipsAndMcNemar() {
        PairedComparison comparison = handExample().result();

        assertThat(comparison.fixed().ids()).containsExactly("row-07", "row-08", "row-09", "row-10");
        assertThat(comparison.broken().ids()).containsExactly("row-05", "row-06");
        assertThat(comparison.mcNemar().baselineOnlyCorrect()).isEqualTo(2);
        assertThat(comparison.mcNemar().candidateOnlyCorrect()).isEqualTo(4);
        // 2 · P(X ≤ 2), X ~ Bin(6, 1/2) = 2 · (1 + 6 + 15) / 64
        assertThat(comparison.mcNemar().pValue()).isCloseTo(44.0 / 64, within(1e-15));
    }

    @Test
    void result_handExample_perStratumTable() {
        List<StratumComparison> strata = handExample().result().strata();

        assertThat(strata).extracting(StratumComparison::stratum).containsExactly("a", "b", "c");
        StratumComparison c = strata.get(2);
        assertThat(c.rows()).isEqualTo(4);
        assertThat(c.baselineAccuracy()).isEqualTo(0.5);
        assertThat(c.candidateAccuracy()).isEqualTo(0.5);
        assertThat(c.difference()).isEqualTo(0.0);
        assertThat(c.fixed()).isEqualTo(2);
        assertThat(c.broken()).isEqualTo(2);
        StratumComparison a = strata.get(0);
        assertThat(a.rows()).isEqualTo(3);
        assertThat(a.fixed()).isEqualTo(1);
        assertThat(a.broken()).isZero();
    }

    @Test
    void result_identicalRuns_zeroDifferenceAndPValueOne() {
        PairedComparisonState state = new PairedComparisonState(300, 1L, List.of(), 10);
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            String gold = "l" + random.nextInt(5);
            String predicted = random.nextDouble() < 0.7 ? gold : "l" + random.nextInt(5);
            state.add("r" + i, gold, gold, predicted, predicted);
        }

        PairedComparison comparison = state.result();

        for (MetricDifference difference : comparison.metrics().values()) {
            assertThat(difference.difference()).as(difference.metric()).isZero();
            assertThat(difference.ci95()).as(difference.metric()).isEqualTo(new DifferenceInterval(0, 0));
        }
        assertThat(comparison.mcNemar().pValue()).isEqualTo(1.0);
        assertThat(comparison.fixed().count()).isZero();
    }

    /**
     * With a baseline that predicts nothing, every replicate's difference equals the candidate's own replicate
     * value, so the paired interval must be exactly the interval RoutingMetricsState computes for the candidate
     * alone. That holds only if both draw the same Poisson weights per (seed, row id).
     */
    @Test
    void result_baselineAllWrong_matchesRoutingInterval() {
        PairedComparisonState paired = new PairedComparisonState(500, 99L, List.of(), 10);
        RoutingMetricsState candidateOnly = new RoutingMetricsState(500, 99L);
        Random random = new Random(11);
        for (int i = 0; i < 400; i++) {
            String gold = "intent_" + random.nextInt(8);
            String predicted = random.nextDouble() < 0.8 ? gold : "intent_" + random.nextInt(8);
            paired.add("row-" + i, gold, gold, null, predicted);
            candidateOnly.add("row-" + i, gold, predicted);
        }

        PairedComparison comparison = paired.result();
        RoutingMetrics candidate = candidateOnly.result();

        assertThat(comparison.metric("accuracy").ci95().low()).isEqualTo(candidate.ci95().accuracy().low());
        assertThat(comparison.metric("accuracy").ci95().high()).isEqualTo(candidate.ci95().accuracy().high());
        assertThat(comparison.metric("macroF1").ci95().low()).isEqualTo(candidate.ci95().macroF1().low());
        assertThat(comparison.metric("macroF1").ci95().high()).isEqualTo(candidate.ci95().macroF1().high());
        assertThat(comparison.metric("macroF1").candidate()).isEqualTo(candidate.macro().f1());
    }

    @Test
    void merge_anyPartition_equalsSinglePass() {
        List<String[]> rows = randomRows(new Random(3), 300);
        PairedComparisonState single = new PairedComparisonState(100, 5L, List.of(), 7);
        rows.forEach(row -> single.add(row[0], row[1], row[1], row[2], row[3]));

        Random split = new Random(17);
        List<PairedComparisonState> parts = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            parts.add(new PairedComparisonState(100, 5L, List.of(), 7));
        }
        for (String[] row : rows) {
            parts.get(split.nextInt(4)).add(row[0], row[1], row[1], row[2], row[3]);
        }
        PairedComparisonState merged = parts.get(3).merge(parts.get(1)).merge(parts.get(0).merge(parts.get(2)));

        assertThat(merged.result()).isEqualTo(single.result());
    }

    @Test
    void result_flipCap_keepsSmallestIds() {
        PairedComparisonState first = new PairedComparisonState(10, 1L, List.of(), 3);
        PairedComparisonState second = new PairedComparisonState(10, 1L, List.of(), 3);
        for (String id : List.of("f", "b", "h", "d")) {
            first.add(id, "s", false, true);
        }
        for (String id : List.of("a", "g", "c")) {
            second.add(id, "s", false, true);
        }

        FlippedRows fixed = first.merge(second).result().fixed();

        assertThat(fixed.count()).isEqualTo(7);
        assertThat(fixed.ids()).containsExactly("a", "b", "c");
        assertThat(fixed.truncated()).isTrue();
    }

    @Test
    void result_correctnessOnly_accuracyOnly() {
        PairedComparisonState state = new PairedComparisonState(50, 1L, List.of(), 10);
        state.add("x", "s", true, false);
        state.add("y", "s", true, true);

        PairedComparison comparison = state.result();

        assertThat(comparison.metrics()).containsOnlyKeys("accuracy");
        assertThat(comparison.metric("accuracy").difference()).isEqualTo(-0.5);
        assertThatThrownBy(() -> state.result(List.of(CountMetric.MACRO_F1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs labels");
    }

    @Test
    void add_mixedKinds_rejected() {
        PairedComparisonState state = new PairedComparisonState();
        state.add("x", "s", "a", "a", "b");

        assertThatThrownBy(() -> state.add("y", "s", true, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 'y'").hasMessageContaining("the same way");
    }

    @Test
    void result_customMetric_usesReplicateCounts() {
        CountMetric errorRate = new CountMetric() {
            @Override
            public String name() {
                return "errorRate";
            }

            @Override
            public boolean needsLabels() {
                return false;
            }

            @Override
            public double value(RunCounts counts) {
                return 1 - (double) counts.correct() / counts.rows();
            }
        };

        PairedComparison comparison = handExample().result(List.of(CountMetric.ACCURACY, errorRate));

        MetricDifference accuracy = comparison.metric("accuracy");
        MetricDifference error = comparison.metric("errorRate");
        assertThat(error.difference()).isCloseTo(-accuracy.difference(), within(1e-12));
        assertThat(error.ci95().low()).isCloseTo(-accuracy.ci95().high(), within(1e-12));
        assertThat(error.ci95().high()).isCloseTo(-accuracy.ci95().low(), within(1e-12));
    }

    @Test
    void merge_differentSeeds_rejected() {
        PairedComparisonState first = new PairedComparisonState(10, 1L, List.of(), 3);
        PairedComparisonState second = new PairedComparisonState(10, 2L, List.of(), 3);

        assertThatThrownBy(() -> first.merge(second)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 1").hasMessageContaining("seed 2");
    }

    @Test
    void result_noRows_rejected() {
        assertThatThrownBy(() -> new PairedComparisonState().result()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no rows");
    }

    private static List<String[]> randomRows(Random random, int count) {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String gold = "g" + random.nextInt(6);
            String baseline = random.nextDouble() < 0.7 ? gold : (random.nextBoolean() ? null : "g" + random.nextInt(7));
            String candidate = random.nextDouble() < 0.75 ? gold : "g" + random.nextInt(7);
            rows.add(new String[] {"id-" + i, gold, baseline, candidate});
        }
        return rows;
    }
}
