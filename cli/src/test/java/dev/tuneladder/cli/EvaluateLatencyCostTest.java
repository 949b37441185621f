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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The evaluate command's latency and cost sections. 100 routing rows; row i (1 .. 100) took i ms, used 1,000 input
 * and 100 output tokens of model "m1", and is right when i is even (50 correct rows).
 */
class EvaluateLatencyCostTest {

    private static final int ROWS = 100;

    @TempDir
    static Path work;

    static Path dataset;
    static Path predictions;
    static Path prices;

    @BeforeAll
    static void writeInputs() throws IOException {
        List<String> datasetLines = new ArrayList<>();
        List<String> predictionLines = new ArrayList<>();
        for (int i = 1; i <= ROWS; i++) {
            String gold = i % 3 == 0 ? "a" : "b";
            String predicted = i % 2 == 0 ? gold : (gold.equals("a") ? "b" : "a");
            datasetLines.add(String.format(Locale.ROOT, "{\"id\":\"r%03d\",\"turns\":[{\"role\":\"user\","
                    + "\"content\":\"question %d\"}],\"intent\":\"%s\"}", i, i, gold));
            predictionLines.add(String.format(Locale.ROOT, "{\"id\":\"r%03d\",\"label\":\"%s\",\"latencyMillis\":%d,"
                    + "\"usage\":{\"inputTokens\":1000,\"outputTokens\":100,\"cacheReadTokens\":0,"
                    + "\"cacheWriteTokens\":0},\"modelId\":\"m1\"}", i, predicted, i));
        }
        dataset = Files.write(work.resolve("dataset.jsonl"), datasetLines, StandardCharsets.UTF_8);
        predictions = Files.write(work.resolve("predictions.jsonl"), predictionLines, StandardCharsets.UTF_8);
        prices = Files.writeString(work.resolve("prices.json"), "{\"currency\": \"USD\", \"models\": {\"m1\":"
                + " {\"inputPerMillion\": 3.0, \"outputPerMillion\": 15.0, \"cacheReadPerMillion\": 0.3,"
                + " \"cacheWritePerMillion\": 3.75}}}");
    }

    private static JsonNode evaluate(String name, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("evaluate", "--dataset", dataset.toString(), "--predictions",
                predictions.toString(), "--out", work.resolve(name).toString()));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return Json.mapper().readTree(work.resolve(name).resolve(Reports.METRICS_FILE).toFile()).get("runs").get(0);
    }

    @Test
    void evaluate_latencies_nearestRankPercentiles() throws IOException {
        JsonNode run = evaluate("latency");

        JsonNode latency = run.get("latency").get("end-to-end");
        assertThat(latency.get("count").asLong()).isEqualTo(ROWS);
        assertThat(latency.get("p50Millis").asLong()).isEqualTo(50);
        assertThat(latency.get("p90Millis").asLong()).isEqualTo(90);
        assertThat(latency.get("p95Millis").asLong()).isEqualTo(95);
        assertThat(latency.get("p99Millis").asLong()).isEqualTo(99);
        assertThat(latency.get("maxMillis").asLong()).isEqualTo(100);
        assertThat(run.has("cost")).isFalse();
    }

    /** Latencies 1 .. 100 fall in (0, 1], (1, 2], (2, 5], (5, 10], (10, 20], (20, 50], (50, 100]. */
    @Test
    void evaluate_latencies_histogramInMetricsAndHtml() throws IOException {
        JsonNode run = evaluate("histogram");

        List<Long> counts = new ArrayList<>();
        run.get("latencyHistogram").forEach(bin -> counts.add(bin.get("count").asLong()));
        assertThat(counts).containsExactly(1L, 1L, 3L, 5L, 10L, 30L, 50L);
        assertThat(run.get("latencyHistogram").get(0).get("aboveMillis").asLong()).isZero();
        Document page = HtmlPages.readSelfContained(work.resolve("histogram").resolve(Reports.HTML_FILE));
        assertThat(HtmlPages.withClass(page, "bin")).extracting(Element::getTextContent)
                .containsExactly("(0, 1]: 1", "(1, 2]: 1", "(2, 5]: 3", "(5, 10]: 5", "(10, 20]: 10",
                        "(20, 50]: 30", "(50, 100]: 50");
        assertThat(HtmlPages.rowTexts(page, "latency")).containsExactly("end-to-end10050909599100");
    }

    /** 100 rows × (1,000 × 3 + 100 × 15) / 10^6 USD = 0.45 USD, over 50 correct rows = 0.009 USD each. */
    @Test
    void evaluate_prices_costAndCostPerCorrect() throws IOException {
        JsonNode run = evaluate("cost", "--prices", prices.toString());

        JsonNode cost = run.get("cost");
        assertThat(cost.get("rows").asLong()).isEqualTo(ROWS);
        assertThat(cost.get("correctRows").asLong()).isEqualTo(50);
        assertThat(cost.get("tokens").get("inputTokens").asLong()).isEqualTo(100_000);
        assertThat(cost.get("tokens").get("outputTokens").asLong()).isEqualTo(10_000);
        assertThat(cost.get("currency").asText()).isEqualTo("USD");
        assertThat(cost.get("cost").asDouble()).isCloseTo(0.45, within(1e-12));
        assertThat(cost.get("costPerCorrect").asDouble()).isCloseTo(0.009, within(1e-12));
        assertThat(Files.readString(work.resolve("cost").resolve(Reports.MARKDOWN_FILE)))
                .contains("| 100 | 50 | 100000 | 10000 | 0 | 0 | 0.45 USD | 0.009 USD |");
        Document page = HtmlPages.readSelfContained(work.resolve("cost").resolve(Reports.HTML_FILE));
        assertThat(HtmlPages.rowTexts(page, "cost")).containsExactly("10050100,00010,000000.45 USD0.009 USD");
    }

    @Test
    void evaluate_modelWithoutPrice_failsNamingModel() throws IOException {
        Path otherPrices = Files.writeString(work.resolve("other-prices.json"), "{\"currency\": \"USD\","
                + " \"models\": {\"m2\": {\"inputPerMillion\": 1, \"outputPerMillion\": 1, \"cacheReadPerMillion\": 1,"
                + " \"cacheWritePerMillion\": 1}}}");

        CliRun run = CliRun.of("evaluate", "--dataset", dataset.toString(), "--predictions", predictions.toString(),
                "--prices", otherPrices.toString(), "--out", work.resolve("no-price").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("no prices for model 'm1'");
    }
}
