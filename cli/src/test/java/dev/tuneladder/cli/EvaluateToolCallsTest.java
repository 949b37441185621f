package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.evaluation.toolcalls.AcceptedValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The evaluate command on the real BFCL v3 parallel file, imported with the import command, with predictions made
 * from the reference calls: the first accepted value of every argument, then perturbed.
 */
class EvaluateToolCallsTest {

    private static final Path PARALLEL = Path.of("../datasets/bfcl/v3_core/BFCL_v3_parallel.json");
    private static final int ROWS = 200;

    @TempDir
    static Path work;

    static Path dataset;
    static List<Interaction> rows;

    @BeforeAll
    static void importParallel() throws IOException {
        Path imported = work.resolve("imported");
        CliRun run = CliRun.of("import", "--format", "bfcl", PARALLEL.toString(), "--out", imported.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        dataset = imported.resolve(ImportCommand.OUTPUT_FILE);
        rows = new ArrayList<>();
        for (String line : Files.readAllLines(dataset, StandardCharsets.UTF_8)) {
            rows.add(Json.mapper().readValue(line, Interaction.class));
        }
        assertThat(rows).hasSize(ROWS);
    }

    /** Writes one prediction per row whose calls are {@code calls} of the row's first-choice calls. */
    private static Path writePredictions(String name, Function<List<ToolCall>, List<ToolCall>> calls)
            throws IOException {
        List<String> lines = new ArrayList<>();
        for (Interaction row : rows) {
            List<ToolCall> firstChoices = new ArrayList<>();
            for (AcceptedCall reference : row.expected().acceptedCalls()) {
                firstChoices.add(AcceptedValues.firstChoiceCall(reference));
            }
            Prediction prediction = new Prediction(row.id(), null, null, calls.apply(firstChoices), null, null, null,
                    "planner-test", null, null);
            lines.add(Json.mapper().writeValueAsString(prediction));
        }
        return Files.write(work.resolve(name + ".jsonl"), lines, StandardCharsets.UTF_8);
    }

    private static Path evaluate(Path predictions, String... options) {
        Path out = work.resolve("eval-" + predictions.getFileName());
        List<String> args = new ArrayList<>(List.of("evaluate", "--dataset", dataset.toString(), "--predictions",
                predictions.toString(), "--bootstrap-replicates", "200", "--out", out.toString()));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return out;
    }

    private static JsonNode toolCalls(Path out) throws IOException {
        JsonNode run = Json.mapper().readTree(out.resolve(Reports.METRICS_FILE).toFile()).get("runs").get(0);
        assertThat(run.has("routing")).isFalse();
        return run.get("toolCalls");
    }

    @Test
    void evaluate_bfclParallelFirstChoices_everyPlanMatches() throws IOException {
        Path out = evaluate(writePredictions("first-choices", Function.identity()));

        JsonNode toolCalls = toolCalls(out);
        assertThat(toolCalls.get("rows").asLong()).isEqualTo(ROWS);
        assertThat(toolCalls.get("exactMatches").asLong()).isEqualTo(ROWS);
        assertThat(toolCalls.get("exactMatchRate").asDouble()).isEqualTo(1.0);
        assertThat(toolCalls.get("micro").get("f1").asDouble()).isEqualTo(1.0);
        assertThat(toolCalls.get("hardFails")).isEmpty();
        assertThat(Files.readAllLines(out.resolve(EvaluateCommand.TOOL_CALL_FAILURES_FILE))).isEmpty();
        assertThat(out.resolve("outcomes.jsonl")).doesNotExist();
        assertThat(Files.readString(out.resolve(Reports.MARKDOWN_FILE)))
                .contains("Exact plan match 1.000 [1.000, 1.000]: 200 of 200 rows.")
                .contains("Every row matched its reference plan.");
    }

    @Test
    void evaluate_bfclParallelDroppedCall_callCountFailures() throws IOException {
        Path out = evaluate(writePredictions("dropped-call", calls -> calls.subList(0, calls.size() - 1)));

        JsonNode toolCalls = toolCalls(out);
        assertThat(toolCalls.get("exactMatches").asLong()).isZero();
        assertThat(toolCalls.get("failureReasons").get("CALL_COUNT").asLong()).isEqualTo(ROWS);
        assertThat(toolCalls.get("micro").get("precision").asDouble()).isEqualTo(1.0);
        assertThat(toolCalls.get("micro").get("recall").asDouble()).isLessThan(1.0);
        List<String> failures = Files.readAllLines(out.resolve(EvaluateCommand.TOOL_CALL_FAILURES_FILE));
        assertThat(failures).hasSize(ROWS);
        for (int i = 0; i < ROWS; i++) {
            JsonNode failure = Json.mapper().readTree(failures.get(i));
            int expectedCalls = rows.get(i).expected().acceptedCalls().size();
            assertThat(failure.get("id").asText()).isEqualTo(rows.get(i).id());
            assertThat(failure.get("reason").asText()).isEqualTo("CALL_COUNT");
            assertThat(failure.get("detail").asText()).isEqualTo("produced " + (expectedCalls - 1)
                    + (expectedCalls - 1 == 1 ? " call" : " calls") + " where the reference has " + expectedCalls);
        }
        assertThat(Files.readString(out.resolve(Reports.MARKDOWN_FILE))).contains("| CALL_COUNT | 200 | 1.000 |");
    }

    @Test
    void evaluate_bfclParallel_htmlCarriesToolCallNumbers() throws IOException {
        Path out = evaluate(writePredictions("html-dropped", calls -> calls.subList(0, calls.size() - 1)));
        JsonNode toolCalls = toolCalls(out);

        Document page = HtmlPages.readSelfContained(out.resolve(Reports.HTML_FILE));

        assertThat(HtmlPages.rowTexts(page, "toolcall-summary")).singleElement().asString()
                .startsWith("html-dropped200")
                .contains(String.format(Locale.ROOT, "%.3f", toolCalls.get("micro").get("f1").asDouble()));
        assertThat(HtmlPages.rowTexts(page, "failure-reasons")).containsExactly("CALL_COUNT2001.000");
        // Per-tool bars (at most 40) plus one failure-reason bar.
        int tools = toolCalls.get("perTool").size();
        assertThat(HtmlPages.withClass(page, "bar")).hasSize(Math.min(40, tools) + 1);
    }

    /** Replaces every string argument with an unrelated phrase, so values fail and their meaning drifts. */
    @Test
    void evaluate_argumentSimilarity_flagsReplacedStrings() throws IOException {
        Path predictions = writePredictions("replaced-strings", calls -> calls.stream().map(call -> {
            ObjectNode arguments = call.arguments();
            for (Map.Entry<String, JsonNode> argument : call.arguments().properties()) {
                if (argument.getValue().isTextual()) {
                    arguments.put(argument.getKey(), "purple elephant umbrella");
                }
            }
            return new ToolCall(call.name(), arguments);
        }).toList());

        Path out = evaluate(predictions, "--argument-similarity-threshold", "0.6");

        JsonNode toolCalls = toolCalls(out);
        JsonNode similarity = toolCalls.get("argumentSimilarity");
        assertThat(toolCalls.get("failureReasons").get("VALUE_NOT_ACCEPTED").asLong()).isPositive();
        assertThat(similarity.get("embeddingModel").asText()).isNotBlank();
        assertThat(similarity.get("lowSimilarityThreshold").asDouble()).isEqualTo(0.6);
        assertThat(similarity.get("scoredRows").asLong()).isEqualTo(ROWS);
        assertThat(similarity.get("meanRowCosine").asDouble()).isLessThan(0.9);
        assertThat(similarity.get("lowSimilarityRows").asLong()).isPositive();
        assertThat(similarity.get("sampleLowSimilarityRowIds")).isNotEmpty();
    }

    @Test
    void evaluate_argumentSimilarityOutOfRange_rejected() throws IOException {
        Path predictions = writePredictions("out-of-range", Function.identity());

        CliRun run = CliRun.of("evaluate", "--dataset", dataset.toString(), "--predictions", predictions.toString(),
                "--argument-similarity-threshold", "1.5", "--out", work.resolve("out-of-range").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("--argument-similarity-threshold 1.5 is not a cosine");
    }
}
