package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyStateTest {

    /** Values 1 .. 100 ms: the nearest-rank p-th percentile is the ⌈p⌉-th value, which is p itself. */
    @Test
    void result_oneToHundred_nearestRankPercentiles() {
        LatencyState state = new LatencyState();
        for (long millis = 100; millis >= 1; millis--) {
            state.addEndToEnd(millis);
        }

        LatencySummary summary = state.result().get(LatencyState.END_TO_END);

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50Millis()).isEqualTo(50);
        assertThat(summary.p90Millis()).isEqualTo(90);
        assertThat(summary.p95Millis()).isEqualTo(95);
        assertThat(summary.p99Millis()).isEqualTo(99);
        assertThat(summary.minMillis()).isEqualTo(1);
        assertThat(summary.maxMillis()).isEqualTo(100);
        assertThat(summary.meanMillis()).isCloseTo(50.5, within(1e-9));
    }

    /** Four values: ranks ⌈0.5·4⌉ = 2, ⌈0.9·4⌉ = ⌈0.95·4⌉ = ⌈0.99·4⌉ = 4. */
    @Test
    void result_fourValues_ranksRoundUp() {
        LatencyState state = new LatencyState();
        for (long millis : new long[] {40, 10, 30, 20}) {
            state.add("planner", millis);
        }

        LatencySummary summary = state.result().get("planner");

        assertThat(summary.p50Millis()).isEqualTo(20);
        assertThat(summary.p90Millis()).isEqualTo(40);
        assertThat(summary.p99Millis()).isEqualTo(40);
    }

    /**
     * Above 2,047 ms a value shares a bucket of width at most value/1024 and reads as the bucket's upper end:
     * 10,001 lies in [10,000, 10,007], so it reads 10,007, 0.06% high.
     */
    @Test
    void result_largeValue_roundsUpSlightly() {
        LatencyState state = new LatencyState();
        state.add("answer", 10_001);
        state.add("answer", 2_047);

        LatencySummary summary = state.result().get("answer");

        assertThat(summary.maxMillis()).isEqualTo(10_007);
        assertThat(summary.p99Millis()).isEqualTo(10_007).isLessThanOrEqualTo((long) (10_001 * 1.001));
        assertThat(summary.p50Millis()).isEqualTo(2_047);
    }

    @Test
    void merge_partitions_equalSinglePass() {
        LatencyState single = new LatencyState();
        LatencyState first = new LatencyState();
        LatencyState second = new LatencyState();
        for (int i = 0; i < 5000; i++) {
            long millis = (i * 7919L) % 30_000;
            String stage = i % 3 == 0 ? "retrieval" : "planner";
            single.add(stage, millis);
            (i % 2 == 0 ? first : second).add(stage, millis);
        }

        Map<String, LatencySummary> merged = second.merge(first).result();

        assertThat(merged).isEqualTo(single.result());
        assertThat(merged).containsOnlyKeys("planner", "retrieval");
    }

    @Test
    void add_negativeLatency_rejected() {
        assertThatThrownBy(() -> new LatencyState().add("planner", -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'planner'").hasMessageContaining("-3");
    }

    /** Values 0, 1, 2, 3, 7, 120: bins [0], (0, 1], (1, 2], (2, 5], (5, 10], then empty ones up to (100, 200]. */
    @Test
    void histogram_smallValues_oneTwoFiveBins() {
        LatencyState state = new LatencyState();
        for (long millis : new long[] {0, 1, 2, 3, 7, 120}) {
            state.addEndToEnd(millis);
        }

        List<LatencyBin> bins = state.histogram(LatencyState.END_TO_END);

        assertThat(bins).containsExactly(
                new LatencyBin(-1, 0, 1), new LatencyBin(0, 1, 1), new LatencyBin(1, 2, 1), new LatencyBin(2, 5, 1),
                new LatencyBin(5, 10, 1), new LatencyBin(10, 20, 0), new LatencyBin(20, 50, 0),
                new LatencyBin(50, 100, 0), new LatencyBin(100, 200, 1));
    }

    @Test
    void histogram_startsAtFirstFilledBin() {
        LatencyState state = new LatencyState();
        state.addEndToEnd(300);
        state.addEndToEnd(450);

        assertThat(state.histogram(LatencyState.END_TO_END)).containsExactly(new LatencyBin(200, 500, 2));
    }

    /** Above 2,047 ms buckets are wider than 1 ms, so the counts must still add up to every recorded value. */
    @Test
    void histogram_largeValues_countsAddUp() {
        LatencyState first = new LatencyState();
        LatencyState second = new LatencyState();
        for (long millis = 1; millis <= 60_000; millis += 7) {
            (millis % 2 == 0 ? first : second).addEndToEnd(millis);
        }

        List<LatencyBin> bins = first.merge(second).histogram(LatencyState.END_TO_END);

        assertThat(bins.stream().mapToLong(LatencyBin::count).sum())
                .isEqualTo(first.result().get(LatencyState.END_TO_END).count());
        assertThat(bins.get(bins.size() - 1)).extracting(LatencyBin::upToMillis).isEqualTo(100_000L);
        for (int i = 1; i < bins.size(); i++) {
            assertThat(bins.get(i).aboveMillis()).isEqualTo(bins.get(i - 1).upToMillis());
        }
    }

    @Test
    void histogram_unknownStage_empty() {
        assertThat(new LatencyState().histogram("planner")).isEmpty();
    }

    @Test
    void edgeAtOrAbove_followsOneTwoFiveSeries() {
        assertThat(LatencyState.edgeAtOrAbove(0)).isZero();
        assertThat(LatencyState.edgeAtOrAbove(3)).isEqualTo(5);
        assertThat(LatencyState.edgeAtOrAbove(10)).isEqualTo(10);
        assertThat(LatencyState.edgeAtOrAbove(11)).isEqualTo(20);
        assertThat(LatencyState.edgeAtOrAbove(2_001)).isEqualTo(5_000);
    }
}
