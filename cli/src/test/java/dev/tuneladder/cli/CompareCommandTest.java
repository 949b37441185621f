package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Evaluates hand-made predictions on a hand-made dataset with the evaluate command, then compares the runs.
 *
 * <p>90 rows over intents a, b, c; row i is in channel "app" when i % 3 == 0, else "web". The weak run is right
 * on even rows (45 of 90). The strong run is right on every row except those with i % 10 == 9 (81 of 90). So
 * going from weak to strong fixes the 36 odd rows with i % 10 != 9 and breaks none.
 */
class CompareCommandTest {

    private static final int ROWS = 90;
    private static final String[] INTENTS = {"a", "b", "c"};

    @TempDir
    static Path work;

    static Path weak;
    static Path strong;
    static Path partial;
    static Path ladder;
    static Path prices;

    @BeforeAll
    static void evaluateRuns() throws IOException {
        Path dataset = writeDataset(work.resolve("dataset.jsonl"), ROWS);
        Path weakPredictions = writePredictions(work.resolve("weak.jsonl"), ROWS, i -> i % 2 == 0, false);
        Path strongPredictions = writePredictions(work.resolve("strong.jsonl"), ROWS, i -> i % 10 != 9, true);
        weak = evaluate(dataset, weakPredictions, "weak");
        strong = evaluate(dataset, strongPredictions, "strong");

        Path partialDataset = writeDataset(work.resolve("partial-dataset.jsonl"), 80);
        Path partialPredictions = writePredictions(work.resolve("partial.jsonl"), 80, i -> true, false);
        partial = evaluate(partialDataset, partialPredictions, "partial");

        ladder = work.resolve("ladder");
        Files.createDirectories(ladder.resolve("outcomes"));
        Files.copy(weak.resolve("outcomes.jsonl"), ladder.resolve("outcomes/random-10.jsonl"));
        Files.copy(strong.resolve("outcomes.jsonl"), ladder.resolve("outcomes/kmeans-10.jsonl"));

        prices = work.resolve("prices.json");
        Files.writeString(prices, "{\"currency\": \"USD\", \"models\": {\"planner-v2\": {\"inputPerMillion\": 2.0,"
                + " \"outputPerMillion\": 10.0, \"cacheReadPerMillion\": 0.5, \"cacheWritePerMillion\": 2.5}}}");
    }

    private static Path evaluate(Path dataset, Path predictions, String name) {
        Path out = work.resolve("eval-" + name);
        CliRun run = CliRun.of("evaluate", "--dataset", dataset.toString(), "--predictions", predictions.toString(),
                "--name", name, "--stratum-field", "channel", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return out;
    }

    private static Path writeDataset(Path file, int rows) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            lines.add(String.format(Locale.ROOT, "{\"id\":\"row-%02d\",\"turns\":[{\"role\":\"user\",\"content\":"
                    + "\"question %d\"}],\"intent\":\"%s\",\"metadata\":{\"channel\":\"%s\"}}", i, i,
                    INTENTS[i % 3], i % 3 == 0 ? "app" : "web"));
        }
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** Writes predictions right where {@code correct} holds, else the next intent; latency i + 1 ms. */
    private static Path writePredictions(Path file, int rows, IntPredicate correct, boolean withUsage)
            throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String label = correct.test(i) ? INTENTS[i % 3] : INTENTS[(i + 1) % 3];
            String usage = withUsage
                    ? ",\"usage\":{\"inputTokens\":1000,\"outputTokens\":100,\"cacheReadTokens\":2000,"
                            + "\"cacheWriteTokens\":0},\"modelId\":\"planner-v2\""
                    : ",\"modelId\":\"router\"";
            lines.add(String.format(Locale.ROOT, "{\"id\":\"row-%02d\",\"label\":\"%s\",\"latencyMillis\":%d%s}", i,
                    label, i + 1, usage));
        }
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static JsonNode readJson(Path file) throws IOException {
        return Json.mapper().readTree(file.toFile());
    }

    @Test
    void evaluate_writesOneOutcomePerRow() throws IOException {
        List<String> lines = Files.readAllLines(weak.resolve("outcomes.jsonl"));
        JsonNode second = Json.mapper().readTree(lines.get(1));

        assertThat(lines).hasSize(ROWS);
        assertThat(second.get("id").asText()).isEqualTo("row-01");
        assertThat(second.get("gold").asText()).isEqualTo("b");
        assertThat(second.get("predicted").asText()).isEqualTo("c");
        assertThat(second.get("correct").asBoolean()).isFalse();
        assertThat(second.get("stratum").asText()).isEqualTo("web");
        assertThat(second.get("latencyMillis").asLong()).isEqualTo(2);
    }

    @Test
    void compare_improvedCandidate_passes() throws IOException {
        Path out = work.resolve("compare-improved");
        CliRun run = CliRun.of("compare", weak.toString(), strong.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("PASS: macroF1").contains("b=0").contains("c=36");
        JsonNode comparison = readJson(out.resolve("comparison.json")).get("comparison");
        JsonNode accuracy = comparison.get("metrics").get("accuracy");
        assertThat(accuracy.get("baseline").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(accuracy.get("candidate").asDouble()).isCloseTo(0.9, within(1e-12));
        assertThat(accuracy.get("ci95").get("low").asDouble()).isPositive();
        assertThat(comparison.get("fixed").get("count").asLong()).isEqualTo(36);
        assertThat(comparison.get("fixed").get("ids").get(0).asText()).isEqualTo("row-01");
        assertThat(comparison.get("broken").get("count").asLong()).isZero();
        // 2 · P(X ≤ 0) for X ~ Bin(36, 1/2) = 2^-35
        assertThat(comparison.get("mcNemar").get("pValue").asDouble()).isCloseTo(Math.pow(2, -35), within(1e-20));
    }

    /** The app stratum contains rows 0, 3, ..., 87: weak is right on the even ones, 15 of 30. */
    @Test
    void compare_improvedCandidate_perStratumTable() throws IOException {
        Path out = work.resolve("compare-strata");
        CliRun.of("compare", weak.toString(), strong.toString(), "--out", out.toString());

        JsonNode strata = readJson(out.resolve("comparison.json")).get("comparison").get("strata");
        assertThat(strata).hasSize(2);
        JsonNode app = strata.get(0);
        assertThat(app.get("stratum").asText()).isEqualTo("app");
        assertThat(app.get("rows").asLong()).isEqualTo(30);
        assertThat(app.get("baselineAccuracy").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(Files.readString(out.resolve("comparison.md")))
                .contains("| app | 30 | 0.5000 |").contains("## Per stratum");
    }

    @Test
    void compare_regressedCandidate_exitsThree() throws IOException {
        Path out = work.resolve("compare-regressed");
        CliRun run = CliRun.of("compare", strong.toString(), weak.toString(), "--metric", "accuracy",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CompareCommand.EXIT_REGRESSION);
        assertThat(run.out()).contains("REGRESSION: accuracy");
        JsonNode verdict = readJson(out.resolve("comparison.json")).get("verdict");
        assertThat(verdict.get("regressed").asBoolean()).isTrue();
        assertThat(Files.readString(out.resolve("comparison.md"))).contains("**REGRESSION: accuracy");
    }

    @Test
    void compare_regressionWithinTolerance_passes() {
        CliRun run = CliRun.of("compare", strong.toString(), weak.toString(), "--max-regression", "0.9",
                "--out", work.resolve("compare-tolerated").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("PASS: macroF1");
    }

    @Test
    void compare_mismatchedRows_failsWithCountsAndIds() {
        CliRun run = CliRun.of("compare", weak.toString(), partial.toString(),
                "--out", work.resolve("compare-mismatch").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("the baseline has 90 rows and the candidate 80")
                .contains("10 rows are only in the baseline (first: 'row-80', 'row-81'")
                .contains("evaluate both on the same dataset file");
    }

    @Test
    void compare_ladderFolderRuns_kmeansAgainstRandom() throws IOException {
        Path out = work.resolve("compare-ladder");
        CliRun run = CliRun.of("compare", ladder + "#random-10", ladder + "#kmeans-10", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode document = readJson(out.resolve("comparison.json"));
        assertThat(document.get("baseline").asText()).endsWith("#random-10");
        assertThat(document.get("comparison").get("rows").asLong()).isEqualTo(ROWS);
    }

    @Test
    void compare_severalRuns_asksForRunName() {
        CliRun run = CliRun.of("compare", ladder.toString(), ladder + "#kmeans-10",
                "--out", work.resolve("compare-ambiguous").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("contains several runs [kmeans-10, random-10]").contains("#RUN_NAME");
    }

    @Test
    void compare_unknownRunName_listsRuns() {
        CliRun run = CliRun.of("compare", ladder + "#full-train", ladder + "#kmeans-10",
                "--out", work.resolve("compare-unknown").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("full-train.jsonl does not exist")
                .contains("the runs there are [kmeans-10, random-10]");
    }

    /** Latencies are 1 .. 90 ms: nearest-rank p50 is the 45th value, p90 the 81st, p99 the ⌈89.1⌉ = 90th. */
    @Test
    void compare_latencyPercentilesFromOutcomes() throws IOException {
        Path out = work.resolve("compare-latency");
        CliRun.of("compare", weak.toString(), strong.toString(), "--out", out.toString());

        JsonNode latency = readJson(out.resolve("comparison.json")).get("latency").get("baseline");
        assertThat(latency.get("p50Millis").asLong()).isEqualTo(45);
        assertThat(latency.get("p90Millis").asLong()).isEqualTo(81);
        assertThat(latency.get("p99Millis").asLong()).isEqualTo(90);
    }

    /**
     * The strong run's 90 rows each use 1,000 input, 100 output and 2,000 cache-read tokens at $2, $10 and $0.5
     * per million: 90 × (2,000 + 1,000 + 1,000) / 10^6 = $0.36, over 81 correct rows. The weak run's router
     * calls no model and costs nothing.
     */
    @Test
    void compare_withPrices_reportsCostPerCorrect() throws IOException {
        Path out = work.resolve("compare-cost");
        CliRun run = CliRun.of("compare", weak.toString(), strong.toString(), "--prices", prices.toString(),
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode cost = readJson(out.resolve("comparison.json")).get("cost");
        assertThat(cost.get("candidate").get("cost").asDouble()).isCloseTo(0.36, within(1e-12));
        assertThat(cost.get("candidate").get("costPerCorrect").asDouble()).isCloseTo(0.36 / 81, within(1e-12));
        assertThat(cost.get("baseline").get("cost").asDouble()).isZero();
        assertThat(Files.readString(out.resolve("comparison.md"))).contains("## Token cost");
    }

    @Test
    void compare_unknownMetric_rejected() {
        CliRun run = CliRun.of("compare", weak.toString(), strong.toString(), "--metric", "f1",
                "--out", work.resolve("compare-metric").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("--metric f1 is not a metric; use accuracy or macroF1");
    }

    @Test
    void compare_writesSelfContainedHtmlWithComparisonNumbers() throws IOException {
        Path out = work.resolve("compare-html");
        CliRun run = CliRun.of("compare", weak.toString(), strong.toString(), "--prices", prices.toString(),
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode comparison = readJson(out.resolve(CompareCommand.JSON_FILE)).get("comparison");

        Document page = HtmlPages.readSelfContained(out.resolve(CompareCommand.HTML_FILE));

        List<String> differences = HtmlPages.rowTexts(page, "differences");
        assertThat(differences).hasSize(2);
        for (String metric : List.of("accuracy", "macroF1")) {
            JsonNode difference = comparison.get("metrics").get(metric);
            assertThat(differences).contains(metric + String.format(Locale.ROOT, "%.4f%.4f%+.4f[%+.4f, %+.4f]",
                    difference.get("baseline").asDouble(), difference.get("candidate").asDouble(),
                    difference.get("difference").asDouble(), difference.get("ci95").get("low").asDouble(),
                    difference.get("ci95").get("high").asDouble()));
        }
        assertThat(HtmlPages.withClass(page, "point")).hasSize(2);
        assertThat(HtmlPages.withClass(page, "reference")).hasSize(1);
        assertThat(HtmlPages.rowTexts(page, "mcnemar")).startsWith("b: right in baseline only (broken)0",
                "c: right in candidate only (fixed)36");
        assertThat(HtmlPages.rowTexts(page, "strata")).hasSize(comparison.get("strata").size());
        assertThat(HtmlPages.rowTexts(page, "strata").get(0)).startsWith("app300.5000");
        assertThat(HtmlPages.rowTexts(page, "cost")).containsExactly("baseline0 USD0 USD",
                "candidate0.36 USD0.00444444 USD");
    }
}
