package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RoutingMetricsStateTest {

    private static final Offset<Double> EXACT = within(1e-12);

    /**
     * Gold → predicted: a→a, a→a, a→b, b→b, b→d, c→a, c→b, b→b. Label c is never predicted and d never occurs
     * in gold.
     *
     * <pre>
     * label  tp fp fn support  precision      recall         F1 = 2tp/(2tp+fp+fn)
     * a       2  1  1    3     2/3            2/3            4/6 = 2/3
     * b       2  2  1    3     2/4 = 1/2      2/3            4/7
     * c       0  0  2    2     0 (no preds)   0/2 = 0        0
     * d       0  1  0    0     0/1 = 0        0 (no gold)    0
     *
     * accuracy  = 4 correct / 8 = 1/2
     * micro     tp=4 fp=4 fn=4: P = 4/8, R = 4/8, F1 = 8/16, all 1/2 (= accuracy, no null predictions)
     * macro     P = (2/3 + 1/2 + 0 + 0)/4 = 7/24      R = (2/3 + 2/3)/4 = 1/3     F1 = (2/3 + 4/7)/4 = 13/42
     * weighted  support 3, 3, 2, 0 (sum 8):
     *           P = (3·2/3 + 3·1/2)/8 = 7/16    R = (3·2/3 + 3·2/3)/8 = 1/2    F1 = (3·2/3 + 3·4/7)/8 = 13/28
     * </pre>
     *
     * scikit-learn is not installed on the build machine, so these fractions were checked with an independent
     * Python script of scikit-learn's zero_division=0 formulas, using exact fractions.
     */
    private static RoutingMetricsState handExample(RoutingMetricsState state) {
        state.add("r1", "a", "a");
        state.add("r2", "a", "a");
        state.add("r3", "a", "b");
        state.add("r4", "b", "b");
        state.add("r5", "b", "d");
        state.add("r6", "c", "a");
        state.add("r7", "c", "b");
        state.add("r8", "b", "b");
        return state;
    }

    @Test
    void result_handExample_perLabelScores() {
        RoutingMetrics metrics = handExample(new RoutingMetricsState(50, 7)).result();

        assertThat(metrics.labels()).containsExactly("a", "b", "c", "d");
        assertScores(metrics.label("a"), 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
        assertScores(metrics.label("b"), 0.5, 2.0 / 3, 4.0 / 7, 3);
        assertScores(metrics.label("c"), 0.0, 0.0, 0.0, 2);
        assertScores(metrics.label("d"), 0.0, 0.0, 0.0, 0);
    }

    @Test
    void result_handExample_averagesAndAccuracy() {
        RoutingMetrics metrics = handExample(new RoutingMetricsState(50, 7)).result();

        assertThat(metrics.rows()).isEqualTo(8);
        assertThat(metrics.predictedRows()).isEqualTo(8);
        assertThat(metrics.accuracy()).isCloseTo(0.5, EXACT);
        assertAveraged(metrics.micro(), 0.5, 0.5, 0.5);
        assertAveraged(metrics.macro(), 0.2916666666666667, 0.3333333333333333, 0.30952380952380953);
        assertAveraged(metrics.weighted(), 0.4375, 0.5, 0.4642857142857143);
        assertThat(metrics.micro().f1()).isEqualTo(metrics.accuracy());
    }

    @Test
    void result_handExample_confusions() {
        RoutingMetrics metrics = handExample(new RoutingMetricsState(50, 7)).result();

        assertThat(metrics.confusions()).containsExactly(
                new Confusion("a", "b", 1),
                new Confusion("b", "d", 1),
                new Confusion("c", "a", 1),
                new Confusion("c", "b", 1));
    }

    /**
     * The hand example with fixed labels a..e, where e occurs in neither gold nor predictions. Per-label scores,
     * micro, weighted and accuracy are unchanged; macro divides by 5: P = (7/6)/5 = 7/30, R = (4/3)/5 = 4/15,
     * F1 = (26/21)/5 = 26/105.
     */
    @Test
    void result_fixedLabelList_includesAbsentLabel() {
        RoutingMetricsState state = new RoutingMetricsState(50, 7, List.of("e", "d", "c", "b", "a"));
        RoutingMetrics metrics = handExample(state).result();

        assertThat(metrics.labels()).containsExactly("a", "b", "c", "d", "e");
        assertScores(metrics.label("e"), 0.0, 0.0, 0.0, 0);
        assertScores(metrics.label("b"), 0.5, 2.0 / 3, 4.0 / 7, 3);
        assertThat(metrics.accuracy()).isCloseTo(0.5, EXACT);
        assertAveraged(metrics.micro(), 0.5, 0.5, 0.5);
        assertAveraged(metrics.macro(), 0.23333333333333334, 0.26666666666666666, 0.24761904761904763);
        assertAveraged(metrics.weighted(), 0.4375, 0.5, 0.4642857142857143);
    }

    @Test
    void result_fixedLabelList_keepsLabelsOutsideIt() {
        RoutingMetricsState state = new RoutingMetricsState(50, 7, List.of("a"));
        state.add("r1", "a", "a");
        state.add("r2", "a", "z");

        RoutingMetrics metrics = state.result();

        assertThat(metrics.labels()).containsExactly("a", "z");
        assertScores(metrics.label("z"), 0.0, 0.0, 0.0, 0);
    }

    /**
     * Gold → predicted: a→a, a→none, b→b, b→a, b→none.
     *
     * <pre>
     * label  tp fp fn support  precision  recall  F1
     * a       1  1  1    2     1/2        1/2     2/4 = 1/2
     * b       1  0  2    3     1/1        1/3     2/4 = 1/2
     *
     * accuracy = 2/5; micro tp=2 fp=1 fn=3: P = 2/3, R = 2/5, F1 = 4/8 = 1/2 (differs from accuracy)
     * macro P = 3/4, R = 5/12, F1 = 1/2; weighted P = (2·1/2 + 3·1)/5 = 4/5, R = (1 + 1)/5 = 2/5, F1 = 1/2
     * </pre>
     */
    @Test
    void result_nullPredictions_countAsFalseNegativesOnly() {
        RoutingMetricsState state = new RoutingMetricsState(50, 7);
        state.add("r1", "a", "a");
        state.add("r2", "a", null);
        state.add("r3", "b", "b");
        state.add("r4", "b", "a");
        state.add("r5", "b", null);

        RoutingMetrics metrics = state.result();

        assertThat(metrics.rows()).isEqualTo(5);
        assertThat(metrics.predictedRows()).isEqualTo(3);
        assertThat(metrics.labels()).containsExactly("a", "b");
        assertScores(metrics.label("a"), 0.5, 0.5, 0.5, 2);
        assertScores(metrics.label("b"), 1.0, 1.0 / 3, 0.5, 3);
        assertThat(metrics.accuracy()).isCloseTo(0.4, EXACT);
        assertAveraged(metrics.micro(), 2.0 / 3, 0.4, 0.5);
        assertAveraged(metrics.macro(), 0.75, 5.0 / 12, 0.5);
        assertAveraged(metrics.weighted(), 0.8, 0.4, 0.5);
        assertThat(metrics.confusions()).containsExactly(new Confusion("b", "a", 1));
    }

    @Test
    void topConfusions_mostFrequentFirstThenByLabel() {
        RoutingMetricsState state = new RoutingMetricsState(20, 1);
        state.add("r1", "b", "a");
        state.add("r2", "c", "a");
        state.add("r3", "c", "a");
        state.add("r4", "a", "c");
        state.add("r5", "a", "b");

        RoutingMetrics metrics = state.result();

        assertThat(metrics.topConfusions(2)).containsExactly(
                new Confusion("c", "a", 2),
                new Confusion("a", "b", 1));
        assertThat(metrics.topConfusions(10)).hasSize(4);
        assertThat(metrics.topConfusions(0)).isEmpty();
    }

    @Test
    void merge_differentSeed_rejectedNamingBoth() {
        RoutingMetricsState first = new RoutingMetricsState(100, 42);
        RoutingMetricsState second = new RoutingMetricsState(100, 43);

        assertThatThrownBy(() -> first.merge(second))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 42")
                .hasMessageContaining("seed 43");
    }

    @Test
    void merge_differentReplicates_rejectedNamingBoth() {
        RoutingMetricsState first = new RoutingMetricsState(100, 42);
        RoutingMetricsState second = new RoutingMetricsState(200, 42);

        assertThatThrownBy(() -> first.merge(second))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 replicates")
                .hasMessageContaining("200 replicates");
    }

    @Test
    void merge_itself_rejected() {
        RoutingMetricsState state = handExample(new RoutingMetricsState(10, 1));

        assertThatThrownBy(() -> state.merge(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("itself");
    }

    @Test
    void merge_leavesOtherUnchanged() {
        RoutingMetricsState other = handExample(new RoutingMetricsState(30, 5));
        RoutingMetrics before = other.result();
        RoutingMetricsState target = new RoutingMetricsState(30, 5);
        target.add("x1", "q", "a");

        target.merge(other);

        assertThat(other.result()).isEqualTo(before);
        assertThat(target.rows()).isEqualTo(9);
    }

    @Test
    void result_emptyState_rejected() {
        assertThatThrownBy(() -> new RoutingMetricsState().result())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no rows");
    }

    @Test
    void add_blankInputs_rejectedNamingRow() {
        RoutingMetricsState state = new RoutingMetricsState(10, 1);

        assertThatThrownBy(() -> state.add(" ", "a", "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row id");
        assertThatThrownBy(() -> state.add("r9", null, "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("r9")
                .hasMessageContaining("gold label is missing");
        assertThatThrownBy(() -> state.add("r9", "a", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("r9")
                .hasMessageContaining("predicted label is blank");
        assertThat(state.rows()).isZero();
    }

    @Test
    void constructor_zeroReplicates_rejected() {
        assertThatThrownBy(() -> new RoutingMetricsState(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void defaults_thousandReplicatesSeed42() {
        RoutingMetrics metrics = handExample(new RoutingMetricsState()).result();

        assertThat(metrics.bootstrapReplicates()).isEqualTo(1000);
        assertThat(metrics.bootstrapSeed()).isEqualTo(42L);
    }

    private static void assertScores(LabelScores scores, double precision, double recall, double f1, long support) {
        assertThat(scores.precision()).as("precision").isCloseTo(precision, EXACT);
        assertThat(scores.recall()).as("recall").isCloseTo(recall, EXACT);
        assertThat(scores.f1()).as("f1").isCloseTo(f1, EXACT);
        assertThat(scores.support()).as("support").isEqualTo(support);
    }

    private static void assertAveraged(AveragedScores scores, double precision, double recall, double f1) {
        assertThat(scores.precision()).as("precision").isCloseTo(precision, EXACT);
        assertThat(scores.recall()).as("recall").isCloseTo(recall, EXACT);
        assertThat(scores.f1()).as("f1").isCloseTo(f1, EXACT);
    }
}
