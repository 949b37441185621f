package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the main job on the real BANKING77 files once and checks what it reports and writes. */
class LadderCommandTest {

    private static final Path BANKING77 = Path.of("../datasets/banking77");

    @TempDir
    static Path out;

    static CliRun run;
    static JsonNode metrics;

    @BeforeAll
    static void runLadder() throws IOException {
        run = CliRun.of("ladder", "--dataset", BANKING77.toString(), "--out", out.toString());
        metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
    }

    @Test
    void ladder_exitsZeroAndPrintsTable() {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("10,003 train and 3,080 test rows, 77 labels");
        assertThat(run.out()).contains("full-train").contains("kmeans-10").contains("random-10");
        assertThat(run.out()).contains("Results: " + out);
    }

    @Test
    void ladder_reportsThreeRunsInOrder() {
        List<String> names = new ArrayList<>();
        metrics.get("runs").forEach(runNode -> names.add(runNode.get("name").asText()));

        assertThat(names).containsExactly("full-train", "kmeans-10", "random-10");
    }

    @Test
    void fullTrain_reachesMacroF1OfNinety() {
        JsonNode routing = metrics.get("runs").get(0).get("routing");

        // A brute-force k-NN over the same embeddings reaches about 0.915; HNSW must not lose that.
        assertThat(routing.get("macroF1").asDouble()).isGreaterThanOrEqualTo(0.90);
        assertThat(routing.get("rows").asLong()).isEqualTo(3080);
    }

    @Test
    void everyRun_intervalsBracketTheEstimate() {
        for (JsonNode runNode : metrics.get("runs")) {
            JsonNode routing = runNode.get("routing");
            for (String metric : List.of("accuracy", "macroF1")) {
                double value = routing.get(metric).asDouble();
                JsonNode interval = routing.get("ci95").get(metric);
                assertThat(interval.get("low").asDouble()).as(runNode.get("name") + " " + metric)
                        .isLessThanOrEqualTo(value);
                assertThat(interval.get("high").asDouble()).as(runNode.get("name") + " " + metric)
                        .isGreaterThanOrEqualTo(value);
            }
            assertThat(routing.get("perLabel")).hasSize(77);
        }
    }

    @Test
    void everyRun_accuracyMatchesPredictionsFile() throws IOException {
        List<String> gold = labels(out.resolve("data/test.jsonl"), "intent");
        for (JsonNode runNode : metrics.get("runs")) {
            String name = runNode.get("name").asText();
            List<String> predicted = labels(out.resolve("predictions/" + name + ".jsonl"), "label");
            int correct = 0;
            for (int i = 0; i < gold.size(); i++) {
                correct += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
            }

            assertThat(predicted).as(name).hasSize(3080);
            assertThat(runNode.get("routing").get("accuracy").asDouble()).as(name)
                    .isEqualTo(correct / 3080.0, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void samples_holdTenPerIntent() throws IOException {
        assertThat(Files.readAllLines(out.resolve("samples/kmeans-10/sample.jsonl"))).hasSize(770);
        assertThat(Files.readAllLines(out.resolve("samples/random-10/sample.jsonl"))).hasSize(770);
        JsonNode examples = metrics.get("runs").get(1).get("extra").get("examples");
        assertThat(examples.asInt()).isEqualTo(770);
    }

    @Test
    void runFolder_recordsConfigInputsAndReport() throws IOException {
        JsonNode config = Json.mapper().readTree(out.resolve("config.json").toFile());
        JsonNode manifest = Json.mapper().readTree(out.resolve("run.json").toFile());
        String report = Files.readString(out.resolve("report.md"));

        assertThat(config.get("command").asText()).isEqualTo("ladder");
        assertThat(config.get("options").get("k").asInt()).isEqualTo(10);
        assertThat(manifest.get("inputs").get("train.csv").get("sha256").asText()).hasSize(64);
        assertThat(manifest.get("inputs").get("train.csv").get("bytes").asLong()).isEqualTo(839_073L);
        assertThat(report).contains("full-train").contains("kmeans-10").contains("random-10");
        assertThat(out.resolve("rejects.jsonl")).doesNotExist();
    }

    @Test
    void compare_kmeansAgainstRandom_matchesRunMetrics() throws IOException {
        Path comparisonOut = out.resolve("compare-kmeans-random");
        CliRun compare = CliRun.of("compare", out + "#random-10", out + "#kmeans-10", "--metric", "accuracy",
                "--max-regression", "1", "--out", comparisonOut.toString());
        JsonNode accuracy = Json.mapper().readTree(comparisonOut.resolve("comparison.json").toFile())
                .get("comparison").get("metrics").get("accuracy");

        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("outcomes/kmeans-10.jsonl"))).hasSize(3080);
        assertThat(accuracy.get("baseline").asDouble())
                .isEqualTo(metrics.get("runs").get(2).get("routing").get("accuracy").asDouble());
        assertThat(accuracy.get("candidate").asDouble())
                .isEqualTo(metrics.get("runs").get(1).get("routing").get("accuracy").asDouble());
    }

    private static List<String> labels(Path file, String field) throws IOException {
        List<String> labels = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            labels.add(Json.mapper().readTree(line).path(field).asText(null));
        }
        return labels;
    }
}
