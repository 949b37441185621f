package dev.tuneladder.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.data.Interaction;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RandomSamplerTest {

    /** 28 rows of "big", 4 of "small" and 8 without intent, interleaved. */
    private static List<Interaction> rows() {
        List<Interaction> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String intent = null;
            if (i % 10 < 7) {
                intent = "big";
            } else if (i % 10 == 7) {
                intent = "small";
            }
            rows.add(Interaction.ofUtterance("r" + i, "question " + i, intent));
        }
        return rows;
    }

    @Test
    void sample_perStratum_drawsNOrWholeStratum() {
        SampleResult result = RandomSampler.sample(rows(), new RandomSamplerConfig("intent", 5, 42));

        Map<String, Long> counts = result.sample().stream()
                .collect(Collectors.groupingBy(row -> Strata.valueOf(row, "intent"), Collectors.counting()));
        assertThat(counts).containsEntry("big", 5L).containsEntry("small", 4L).containsEntry(Strata.MISSING, 5L);
        assertThat(result.manifest().strata().get("small").shortfall()).isEqualTo(1);
        assertThat(result.manifest().strata().get("big").shortfall()).isZero();
        assertThat(result.manifest().totals().rows()).isEqualTo(40);
        assertThat(result.manifest().totals().sample()).isEqualTo(14);
        assertThat(result.manifest().totals().rowsWithoutStratum()).isEqualTo(8);
    }

    @Test
    void sample_chosenRows_keepStratumThenInputOrder() {
        SampleResult result = RandomSampler.sample(rows(), new RandomSamplerConfig("intent", 6, 7));

        List<String> strata = result.sample().stream().map(row -> Strata.valueOf(row, "intent"))
                .collect(Collectors.toList());
        assertThat(strata).isSorted();
        for (int i = 1; i < result.sample().size(); i++) {
            if (strata.get(i).equals(strata.get(i - 1))) {
                int previous = Integer.parseInt(result.sample().get(i - 1).id().substring(1));
                int current = Integer.parseInt(result.sample().get(i).id().substring(1));
                assertThat(current).as("input order at %d", i).isGreaterThan(previous);
            }
        }
    }

    @Test
    void sample_sameSeed_byteIdenticalOutputs() {
        RandomSamplerConfig config = new RandomSamplerConfig("intent", 5, 42);

        assertThat(serialize(RandomSampler.sample(rows(), config, Map.of("in.jsonl", "sha256:1"))))
                .isEqualTo(serialize(RandomSampler.sample(rows(), config, Map.of("in.jsonl", "sha256:1"))));
    }

    @Test
    void sample_differentSeed_changesDraw() {
        List<String> first = ids(RandomSampler.sample(rows(), new RandomSamplerConfig("intent", 5, 1)));
        List<String> second = ids(RandomSampler.sample(rows(), new RandomSamplerConfig("intent", 5, 2)));

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void config_invalidValues_rejected() {
        assertThatThrownBy(() -> new RandomSamplerConfig("intent", 0, 1)).hasMessageContaining("perStratum is 0");
        assertThatThrownBy(() -> new RandomSamplerConfig("label", 3, 1))
                .hasMessageContaining("stratifyBy 'label' is invalid");
    }

    private static List<String> ids(SampleResult result) {
        return result.sample().stream().map(Interaction::id).collect(Collectors.toList());
    }

    private static String serialize(SampleResult result) {
        StringWriter sample = new StringWriter();
        StringWriter manifest = new StringWriter();
        SplitWriter.write(result, sample, manifest);
        return sample + "\n---\n" + manifest;
    }
}
