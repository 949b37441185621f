package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
}
