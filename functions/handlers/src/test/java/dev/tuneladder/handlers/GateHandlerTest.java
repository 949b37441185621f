package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.comparison.CountMetric;
import dev.tuneladder.core.comparison.DifferenceInterval;
import dev.tuneladder.core.comparison.PairedComparisonState;
import dev.tuneladder.core.comparison.RowMismatchException;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.storage.BlobNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.assertj.core.data.Offset;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The gate over hand-made outcome files in an S3-compatible server. Where every row moves the same way, each
 * bootstrap replicate gives the same difference, so the interval and the whole reason follow by hand; McNemar's
 * exact p is 2 · (1/2)^n when n rows flip one way and none the other.
 */
class GateHandlerTest {

    private static final String BASELINE = "runs/eval-baseline/outcomes.jsonl";
    private static final String CANDIDATE = "runs/eval-ft-2025-06-01-a/outcomes.jsonl";

    @RegisterExtension
    final S3ProxyExtension s3 = StepTasks.s3();

    private S3Client client;
    private S3BlobStore store;
    private GateHandler handler;

    @BeforeEach
    void setUp() {
        client = StepTasks.s3Client(s3);
        store = StepTasks.store(client);
        handler = new GateHandler(store);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Writes one outcome line per row: gold label "a", predicted "a" when the row is correct and "b" when not. */
    private void writeOutcomes(String key, boolean... correct) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < correct.length; i++) {
            lines.append(String.format(Locale.ROOT, "{\"id\":\"r%d\",\"gold\":\"a\",\"predicted\":\"%s\","
                    + "\"correct\":%s}%n", i + 1, correct[i] ? "a" : "b", correct[i]));
        }
        store.write(key, lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean[] repeat(boolean value, int times) {
        boolean[] values = new boolean[times];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void gate_allRowsBroken_rejects() {
        writeOutcomes(BASELINE, repeat(true, 8));
        writeOutcomes(CANDIDATE, repeat(false, 8));

        JsonNode result = StepTasks.invoke(handler, StepTasks.event("gate.json"));

        assertThat(result.get("promote").asBoolean()).isFalse();
        assertThat(result.get("reason").asText()).isEqualTo("Rejected: accuracy changed by -1.0000 (baseline"
                + " 1.0000, candidate 0.0000; 95% CI [-1.0000, -1.0000]), which lies entirely below the tolerated"
                + " loss of -0.0100. McNemar p = 0.0078 on 8 rows.");
        assertThat(result.get("difference").asDouble()).isEqualTo(-1.0);
        assertThat(result.get("low").asDouble()).isEqualTo(-1.0);
        assertThat(result.get("high").asDouble()).isEqualTo(-1.0);
        assertThat(result.get("mcnemarP").asDouble()).isCloseTo(2 / 256.0, Offset.offset(1e-15));
        assertThat(result.get("rows").asLong()).isEqualTo(8);
    }

    @Test
    void gate_allRowsFixed_promotes() {
        writeOutcomes(BASELINE, repeat(false, 5));
        writeOutcomes(CANDIDATE, repeat(true, 5));

        JsonNode result = StepTasks.invoke(handler, StepTasks.event("gate.json"));

        assertThat(result.get("promote").asBoolean()).isTrue();
        assertThat(result.get("reason").asText()).isEqualTo("Promoted: accuracy changed by +1.0000 (baseline"
                + " 0.0000, candidate 1.0000; 95% CI [+1.0000, +1.0000]), which does not lie entirely below the"
                + " tolerated loss of -0.0100. McNemar p = 0.0625 on 5 rows.");
        assertThat(result.get("mcnemarP").asDouble()).isCloseTo(2 / 32.0, Offset.offset(1e-15));
    }

    @Test
    void gate_equalMacroF1_promotes() {
        // Both runs: a->a, b->a, b->b. Label a: TP 1, FP 1, FN 0, F1 2/3; label b: TP 1, FP 0, FN 1, F1 2/3.
        String lines = "{\"id\":\"r1\",\"gold\":\"a\",\"predicted\":\"a\",\"correct\":true}\n"
                + "{\"id\":\"r2\",\"gold\":\"b\",\"predicted\":\"a\",\"correct\":false}\n"
                + "{\"id\":\"r3\",\"gold\":\"b\",\"predicted\":\"b\",\"correct\":true}\n";
        store.write(BASELINE, lines.getBytes(StandardCharsets.UTF_8));
        store.write(CANDIDATE, lines.getBytes(StandardCharsets.UTF_8));
        ObjectNode event = StepTasks.event("gate.json");
        event.put("metric", "macroF1");
        event.put("maxRegression", 0);

        JsonNode result = StepTasks.invoke(handler, event);

        assertThat(result.get("promote").asBoolean()).isTrue();
        assertThat(result.get("reason").asText()).isEqualTo("Promoted: macroF1 changed by +0.0000 (baseline"
                + " 0.6667, candidate 0.6667; 95% CI [+0.0000, +0.0000]), which does not lie entirely below the"
                + " tolerated loss of 0.0000. McNemar p = 1.0000 on 3 rows.");
        assertThat(result.get("baseline").asDouble()).isCloseTo(2 / 3.0, Offset.offset(1e-12));
    }

    @Test
    void gate_belowMinImprovement_rejects() {
        boolean[] baseline = repeat(true, 10);
        baseline[0] = false;
        baseline[1] = false;
        writeOutcomes(BASELINE, baseline);
        writeOutcomes(CANDIDATE, repeat(true, 10));
        ObjectNode event = StepTasks.event("gate.json");
        event.put("minImprovement", 0.5);
        DifferenceInterval interval = expectedInterval(baseline, repeat(true, 10));

        JsonNode result = StepTasks.invoke(handler, event);

        assertThat(result.get("promote").asBoolean()).isFalse();
        assertThat(result.get("difference").asDouble()).isCloseTo(0.2, Offset.offset(1e-12));
        assertThat(result.get("reason").asText()).isEqualTo(String.format(Locale.ROOT, "Rejected: accuracy changed"
                + " by +0.2000 (baseline 0.8000, candidate 1.0000; 95%% CI [%+.4f, %+.4f]), whose lower bound is"
                + " below the required improvement of +0.5000. McNemar p = 0.5000 on 10 rows.", interval.low(),
                interval.high()));
    }

    @Test
    void gate_reachesMinImprovement_promotes() {
        boolean[] baseline = repeat(true, 10);
        baseline[0] = false;
        baseline[1] = false;
        writeOutcomes(BASELINE, baseline);
        writeOutcomes(CANDIDATE, repeat(true, 10));
        ObjectNode event = StepTasks.event("gate.json");
        event.put("minImprovement", 0.0);
        DifferenceInterval interval = expectedInterval(baseline, repeat(true, 10));

        JsonNode result = StepTasks.invoke(handler, event);

        // No row got worse, so no replicate difference is negative and the lower bound is at least 0.
        assertThat(interval.low()).isGreaterThanOrEqualTo(0.0);
        assertThat(result.get("promote").asBoolean()).isTrue();
        assertThat(result.get("reason").asText()).contains("whose lower bound reaches the required improvement of"
                + " +0.0000");
    }

    @Test
    void gate_unknownMetric_namesMetric() {
        ObjectNode event = StepTasks.event("gate.json");
        event.put("metric", "f1");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e ->
                        assertThat(e.getMessage()).isEqualTo("task input field 'metric' is 'f1'; use accuracy or"
                                + " macroF1"));
    }

    @Test
    void gate_negativeTolerance_namesMaxRegression() {
        ObjectNode event = StepTasks.event("gate.json");
        event.put("maxRegression", -0.01);

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("maxRegression"));
    }

    @Test
    void gate_candidateOnOtherRows_throwsRowMismatch() {
        writeOutcomes(BASELINE, repeat(true, 3));
        writeOutcomes(CANDIDATE, repeat(true, 4));

        assertThatThrownBy(() -> StepTasks.invoke(handler, StepTasks.event("gate.json")))
                .isInstanceOf(RowMismatchException.class)
                .hasMessageContaining("1 rows are only in the candidate ('r4')");
    }

    @Test
    void gate_missingBaselineFile_throwsNotFound() {
        writeOutcomes(CANDIDATE, repeat(true, 3));

        assertThatThrownBy(() -> StepTasks.invoke(handler, StepTasks.event("gate.json")))
                .isInstanceOf(BlobNotFoundException.class);
    }

    /** The interval the core computes for these rows with the default replicates and seed. */
    private static DifferenceInterval expectedInterval(boolean[] baseline, boolean[] candidate) {
        List<RowOutcome> b = new ArrayList<>();
        List<RowOutcome> c = new ArrayList<>();
        for (int i = 0; i < baseline.length; i++) {
            b.add(RowOutcome.of("r" + (i + 1), "a", baseline[i] ? "a" : "b", null));
            c.add(RowOutcome.of("r" + (i + 1), "a", candidate[i] ? "a" : "b", null));
        }
        return RowOutcomes.pair(b, c, new PairedComparisonState()).result(List.of(CountMetric.ACCURACY))
                .metric("accuracy").ci95();
    }
}
