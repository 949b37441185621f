package dev.tuneladder.core.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.TokenUsage;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowOutcomesTest {

    @Test
    void of_missingAndFailedPredictions_countAsWrong() {
        List<Interaction> dataset = List.of(Interaction.ofUtterance("1", "hi", "greet"),
                Interaction.ofUtterance("2", "bye", "leave"), Interaction.ofUtterance("3", "help", "support"));
        List<Prediction> predictions = List.of(Prediction.ofLabel("1", "greet", 0.9, 12, "router"),
                new Prediction("3", "support", null, null, null, 5L, null, "router", null, "timed out"));

        List<RowOutcome> outcomes = RowOutcomes.of(dataset, predictions, row -> null);

        assertThat(outcomes).extracting(RowOutcome::correct).containsExactly(true, false, false);
        assertThat(outcomes).extracting(RowOutcome::predicted).containsExactly("greet", null, null);
        assertThat(outcomes).extracting(RowOutcome::stratum).containsExactly("greet", "leave", "support");
        assertThat(outcomes.get(0).latencyMillis()).isEqualTo(12L);
        assertThat(outcomes.get(1).latencyMillis()).isNull();
    }

    @Test
    void writeThenRead_roundTrips() {
        List<RowOutcome> outcomes = List.of(RowOutcome.of("a", "x", "x", 3L),
                new RowOutcome("b", "y", null, false, "channel-web", null, new TokenUsage(10, 2, 0, 0), "m1"));
        StringWriter out = new StringWriter();

        RowOutcomes.write(out, outcomes);
        List<RowOutcome> read = RowOutcomes.read(new StringReader(out.toString()), "outcomes.jsonl",
                BadRows.strict());

        assertThat(read).isEqualTo(outcomes);
        assertThat(out.toString()).startsWith("{\"id\":\"a\",\"gold\":\"x\",\"predicted\":\"x\",\"correct\":true");
    }

    @Test
    void constructor_correctDisagreesWithLabels_rejected() {
        assertThatThrownBy(() -> new RowOutcome("r1", "x", "y", true, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'r1'").hasMessageContaining("correct=true");
    }

    @Test
    void pair_mismatchedRows_namesCountsAndIds() {
        List<RowOutcome> baseline = new ArrayList<>();
        List<RowOutcome> candidate = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            baseline.add(RowOutcome.of("b" + i, "x", "x", null));
        }
        candidate.add(RowOutcome.of("b0", "x", "x", null));
        candidate.add(RowOutcome.of("extra", "x", "x", null));

        assertThatThrownBy(() -> RowOutcomes.pair(baseline, candidate, new PairedComparisonState()))
                .isInstanceOf(RowMismatchException.class)
                .hasMessageContaining("the baseline has 10 rows and the candidate 2")
                .hasMessageContaining("9 rows are only in the baseline (first: 'b1', 'b2', 'b3', 'b4', 'b5', ...)")
                .hasMessageContaining("1 rows are only in the candidate ('extra')")
                .hasMessageContaining("evaluate both on the same dataset file");
    }

    @Test
    void pair_differentGold_rejected() {
        List<RowOutcome> baseline = List.of(RowOutcome.of("r", "x", "x", null));
        List<RowOutcome> candidate = List.of(RowOutcome.of("r", "y", "y", null));

        assertThatThrownBy(() -> RowOutcomes.pair(baseline, candidate, new PairedComparisonState()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gold label 'x'");
    }
}
