package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RoutingMetricsMergePropertyTest {

    private static final int REPLICATES = 64;
    private static final long SEED = 1234L;

    /** A row and the partition it goes to. */
    record Row(String gold, String predicted, int partition) {
    }

    /**
     * Splitting the rows into partitions, filling one state per partition, and merging them in a shuffled order
     * gives a result equal, field by field and bit for bit, to one state that saw every row.
     */
    @Property(tries = 150)
    void merge_anyPartition_equalsSinglePass(
            @ForAll("rows") List<Row> rows,
            @ForAll @IntRange(min = 1, max = 6) int partitionCount,
            @ForAll boolean fixedLabels,
            @ForAll long shuffleSeed) {
        List<String> labels = fixedLabels ? List.of("alpha", "beta", "omega") : List.of();

        RoutingMetricsState single = new RoutingMetricsState(REPLICATES, SEED, labels);
        for (int i = 0; i < rows.size(); i++) {
            single.add("row-" + i, rows.get(i).gold(), rows.get(i).predicted());
        }

        List<RoutingMetricsState> partials = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            partials.add(new RoutingMetricsState(REPLICATES, SEED, labels));
        }
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row row = rows.get(i);
            partials.get(row.partition() % partitionCount).add("row-" + i, row.gold(), row.predicted());
        }
        Collections.shuffle(partials, new Random(shuffleSeed));
        RoutingMetricsState merged = new RoutingMetricsState(REPLICATES, SEED, List.of());
        for (RoutingMetricsState partial : partials) {
            merged.merge(partial);
        }

        RoutingMetrics expected = single.result();
        RoutingMetrics actual = merged.result();
        assertThat(actual.ci95()).isEqualTo(expected.ci95());
        assertThat(actual.perLabel()).isEqualTo(expected.perLabel());
        assertThat(actual.confusions()).isEqualTo(expected.confusions());
        assertThat(actual).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<String> gold = Arbitraries.of("alpha", "beta", "gamma", "delta", "epsilon");
        Arbitrary<String> predicted = Arbitraries.of("alpha", "beta", "gamma", "delta", "zeta").injectNull(0.1);
        Arbitrary<Integer> partition = Arbitraries.integers().between(0, 5);
        return Combinators.combine(gold, predicted, partition).as(Row::new).list().ofMinSize(1).ofMaxSize(60);
    }
}
