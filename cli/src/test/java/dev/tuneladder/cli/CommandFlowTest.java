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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs import, split, index, route and evaluate one after the other on a slice of the real BANKING77 training
 * file, the way a user chains the commands by hand.
 */
class CommandFlowTest {

    @TempDir
    static Path work;

    static Path imported;
    static Path split;
    static Path indexRun;
    static Path routed;
    static Path evaluated;

    @BeforeAll
    static void runCommands() throws IOException {
        // The first 401 lines: the header and 400 utterances of the first few intents.
        List<String> lines = Files.readAllLines(Path.of("../datasets/banking77/train.csv"), StandardCharsets.UTF_8);
        Path slice = work.resolve("slice.csv");
        Files.write(slice, lines.subList(0, 401), StandardCharsets.UTF_8);

        imported = work.resolve("import");
        split = work.resolve("split");
        indexRun = work.resolve("index");
        routed = work.resolve("route");
        evaluated = work.resolve("evaluate");
        requireSuccess(CliRun.of("import", "--format", "banking77", slice.toString(), "--out", imported.toString()));
        requireSuccess(CliRun.of("split", "--dataset", imported.resolve("interactions.jsonl").toString(),
                "--clusters", "3", "--per-cluster", "2", "--out", split.toString()));
        requireSuccess(CliRun.of("index", "--dataset", split.resolve("sample.jsonl").toString(),
                "--out", indexRun.toString()));
        requireSuccess(CliRun.of("route", "--index", indexRun.resolve("index").toString(),
                "--dataset", split.resolve("eval.jsonl").toString(), "-k", "3", "--out", routed.toString()));
        requireSuccess(CliRun.of("evaluate", "--dataset", split.resolve("eval.jsonl").toString(),
                "--predictions", routed.resolve("predictions.jsonl").toString(), "--name", "sample-router",
                "--out", evaluated.toString()));
    }

    private static void requireSuccess(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void import_writesEveryRow() throws IOException {
        assertThat(Files.readAllLines(imported.resolve("interactions.jsonl"))).hasSize(400);
        assertThat(imported.resolve("config.json")).exists();
        assertThat(imported.resolve("run.json")).exists();
    }

    @Test
    void split_keepsEveryRowOnOneSide() throws IOException {
        int train = Files.readAllLines(split.resolve("train.jsonl")).size();
        int eval = Files.readAllLines(split.resolve("eval.jsonl")).size();
        JsonNode manifest = Json.mapper().readTree(split.resolve("manifest.json").toFile());

        assertThat(train + eval).isEqualTo(400);
        assertThat(eval).isBetween(60, 100);
        assertThat(manifest.toString()).contains("\"seed\":42");
    }

    @Test
    void split_sameSeedGivesIdenticalFiles() throws IOException {
        Path again = work.resolve("split-again");
        requireSuccess(CliRun.of("split", "--dataset", imported.resolve("interactions.jsonl").toString(),
                "--clusters", "3", "--per-cluster", "2", "--out", again.toString()));

        for (String file : List.of("train.jsonl", "eval.jsonl", "sample.jsonl", "manifest.json")) {
            assertThat(Files.readAllBytes(again.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(split.resolve(file)));
        }
    }

    @Test
    void route_predictsEveryEvalRow() throws IOException {
        List<String> predictions = Files.readAllLines(routed.resolve("predictions.jsonl"));
        List<String> eval = Files.readAllLines(split.resolve("eval.jsonl"));

        assertThat(predictions).hasSameSizeAs(eval);
        JsonNode first = Json.mapper().readTree(predictions.get(0));
        assertThat(first.get("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(first.get("modelId").asText()).startsWith("retrieval-router(k=3");
    }

    @Test
    void evaluate_accuracyMatchesHandCount() throws IOException {
        Map<String, String> gold = new HashMap<>();
        for (String line : Files.readAllLines(split.resolve("eval.jsonl"))) {
            JsonNode row = Json.mapper().readTree(line);
            gold.put(row.get("id").asText(), row.get("intent").asText());
        }
        int correct = 0;
        List<String> predictionLines = Files.readAllLines(routed.resolve("predictions.jsonl"));
        for (String line : predictionLines) {
            JsonNode prediction = Json.mapper().readTree(line);
            correct += gold.get(prediction.get("id").asText()).equals(prediction.get("label").asText()) ? 1 : 0;
        }
        JsonNode run = Json.mapper().readTree(evaluated.resolve("metrics.json").toFile()).get("runs").get(0);

        assertThat(run.get("name").asText()).isEqualTo("sample-router");
        assertThat(run.get("routing").get("accuracy").asDouble())
                .isCloseTo((double) correct / gold.size(), within(1e-12));
        assertThat(Files.readString(evaluated.resolve("report.md"))).contains("sample-router");
    }

    @Test
    void evaluate_writesHtmlReportWithAccuracy() throws IOException {
        JsonNode routing = Json.mapper().readTree(evaluated.resolve("metrics.json").toFile()).get("runs").get(0)
                .get("routing");
        String accuracy = String.format(java.util.Locale.ROOT, "%.3f [%.3f, %.3f]",
                routing.get("accuracy").asDouble(), routing.get("ci95").get("accuracy").get("low").asDouble(),
                routing.get("ci95").get("accuracy").get("high").asDouble());
        String html = Files.readString(evaluated.resolve("report.html"), StandardCharsets.UTF_8);

        assertThat(html).startsWith("<!DOCTYPE html>\n");
        assertThat(html).contains("<tr><th scope=\"row\">sample-router</th>");
        assertThat(html.replace(" <span class=\"ci\">", " ")).contains("<td class=\"num\">" + accuracy);
        assertThat(html).endsWith("</html>\n");
    }

    @Test
    void index_upsertsAgainWithoutDuplicating() throws IOException {
        CliRun again = CliRun.of("index", "--dataset", split.resolve("sample.jsonl").toString(),
                "--index", indexRun.resolve("index").toString(), "--out", work.resolve("index-again").toString());
        int sample = Files.readAllLines(split.resolve("sample.jsonl")).size();

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains(String.format(java.util.Locale.ROOT, "holds %,d", sample));
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(split.resolve("sample.jsonl"))) {
            ids.add(Json.mapper().readTree(line).get("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
    }
}
