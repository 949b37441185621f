package dev.tuneladder.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitWriterTest {

    @Test
    void write_split_rowsReadBackAndManifestParses() throws Exception {
        SyntheticData.Dataset data = SyntheticData.dataset(3, List.of("a", "b"), List.of(20, 15), 4, true);
        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), SamplerConfig.defaults());
        StringWriter train = new StringWriter();
        StringWriter eval = new StringWriter();
        StringWriter sample = new StringWriter();
        StringWriter manifest = new StringWriter();

        SplitWriter.write(result, train, eval, sample, manifest);

        assertThat(read(train, SplitWriter.TRAIN_FILE)).isEqualTo(result.train());
        assertThat(read(eval, SplitWriter.EVAL_FILE)).isEqualTo(result.eval());
        assertThat(read(sample, SplitWriter.SAMPLE_FILE)).isEqualTo(result.sample());
        assertThat(manifest.toString()).endsWith("}\n").doesNotContain("\r");
        JsonNode parsed = Json.mapper().readTree(manifest.toString());
        assertThat(parsed.path("totals").path("rows").asInt()).isEqualTo(data.interactions().size());
        assertThat(parsed.path("method").asText()).isEqualTo(StratifiedSampler.METHOD);
    }

    @Test
    void write_emptyEval_writesEmptyFile() {
        SyntheticData.Dataset data = SyntheticData.dataset(3, List.of("a"), List.of(10), 0, false);
        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(),
                SamplerConfig.defaults().withEvalFraction(0));
        StringWriter eval = new StringWriter();

        SplitWriter.write(result, new StringWriter(), eval, new StringWriter(), new StringWriter());

        assertThat(eval.toString()).isEmpty();
    }

    private static List<Interaction> read(StringWriter written, String source) {
        return JsonLines.readInteractions(new StringReader(written.toString()), source, BadRows.strict());
    }
}
