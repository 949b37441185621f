package dev.tuneladder.core.judging.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class CalibrationMergePropertyTest {

    private static final int REPLICATES = 32;
    private static final long SEED = 99L;
    private static final String[] RATERS = {"judge-a", "judge-b", "ann", "ben", "cy"};

    /** A candidate row: a verdict (or a gold label when rater is -1) and the partition it goes to. */
    record Row(int item, int rater, int value, boolean swapped, int partition) {
    }

    /**
     * Splitting verdicts and gold labels into partitions, filling one state per partition and merging them in a
     * shuffled order gives a result equal, bit for bit, to one state that saw every row.
     */
    @Property(tries = 150)
    void merge_anyPartition_equalsSinglePass(
            @ForAll("rows") List<Row> candidates,
            @ForAll @IntRange(min = 1, max = 5) int partitionCount,
            @ForAll long shuffleSeed) {
        List<Row> rows = withoutConflicts(candidates);

        CalibrationState single = new CalibrationState(VerdictScale.PAIRWISE, REPLICATES, SEED);
        rows.forEach(row -> addTo(single, row));

        List<CalibrationState> partials = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            partials.add(new CalibrationState(VerdictScale.PAIRWISE, REPLICATES, SEED));
        }
        for (int i = rows.size() - 1; i >= 0; i--) {
            addTo(partials.get(rows.get(i).partition() % partitionCount), rows.get(i));
        }
        Collections.shuffle(partials, new Random(shuffleSeed));
        CalibrationState merged = new CalibrationState(VerdictScale.PAIRWISE, REPLICATES, SEED);
        partials.forEach(merged::merge);

        CalibrationResult expected = single.result();
        CalibrationResult actual = merged.result();
        assertThat(actual.judges()).isEqualTo(expected.judges());
        assertThat(actual.reviewers()).isEqualTo(expected.reviewers());
        assertThat(actual).isEqualTo(expected);
    }

    private static void addTo(CalibrationState state, Row row) {
        String itemId = "item-" + row.item();
        if (row.rater() < 0) {
            state.addGold(itemId, row.value());
            return;
        }
        RaterKind kind = row.rater() < 2 ? RaterKind.JUDGE : RaterKind.REVIEWER;
        boolean swapped = kind == RaterKind.JUDGE && row.swapped();
        state.add(new Verdict(itemId, RATERS[row.rater()], kind, row.value(), swapped));
    }

    /** Keeps the first gold per item and the first verdict per (item, rater, order), as a valid file would. */
    private static List<Row> withoutConflicts(List<Row> candidates) {
        Set<String> seen = new HashSet<>();
        List<Row> rows = new ArrayList<>();
        for (Row row : candidates) {
            boolean judge = row.rater() >= 0 && row.rater() < 2;
            String key = row.item() + "/" + row.rater() + "/" + (judge && row.swapped());
            if (seen.add(key)) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            rows.add(new Row(0, 0, 1, false, 0));
        }
        return rows;
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<Integer> item = Arbitraries.integers().between(0, 12);
        Arbitrary<Integer> rater = Arbitraries.integers().between(-1, RATERS.length - 1);
        Arbitrary<Integer> value = Arbitraries.integers().between(1, 2);
        Arbitrary<Boolean> swapped = Arbitraries.of(true, false);
        Arbitrary<Integer> partition = Arbitraries.integers().between(0, 4);
        return Combinators.combine(item, rater, value, swapped, partition).as(Row::new).list().ofMaxSize(80);
    }
}
