package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when an input file is wrong: a failing exit, file and line, and no silently lost rows. */
class BadInputTest {

    @TempDir
    Path work;

    private Path write(String name, String... lines) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private Path dataset() throws IOException {
        return write("dataset.jsonl",
                "{\"id\":\"a\",\"turns\":[{\"role\":\"user\",\"content\":\"where is my card\"}],\"intent\":\"card_arrival\"}",
                "{\"id\":\"b\",\"turns\":[{\"role\":\"user\",\"content\":\"rate for euros\"}],\"intent\":\"exchange_rate\"}");
    }

    @Test
    void evaluate_unknownPredictedLabelNamesFileAndLine() throws IOException {
        Path labels = write("labels.json", "[\"card_arrival\", \"exchange_rate\"]");
        Path predictions = write("predictions.jsonl",
                "{\"id\":\"a\",\"label\":\"card_arrival\"}",
                "{\"id\":\"b\",\"label\":\"crypto_wallet\"}");

        CliRun run = CliRun.of("evaluate", "--dataset", dataset().toString(), "--predictions",
                predictions.toString(), "--labels", labels.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(predictions + ":2:").contains("'crypto_wallet'").contains("--max-bad-rows");
    }

    @Test
    void evaluate_rejectedPredictionCountsAsWrong() throws IOException {
        Path labels = write("labels.json", "[\"card_arrival\", \"exchange_rate\"]");
        Path predictions = write("predictions.jsonl",
                "{\"id\":\"a\",\"label\":\"card_arrival\"}",
                "{\"id\":\"b\",\"label\":\"crypto_wallet\"}");
        Path out = work.resolve("out");

        CliRun run = CliRun.of("evaluate", "--dataset", dataset().toString(), "--predictions",
                predictions.toString(), "--labels", labels.toString(), "--max-bad-rows", "1",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rejected = Json.mapper().readTree(Files.readAllLines(out.resolve("rejects.jsonl")).get(0));
        assertThat(rejected.get("line").asLong()).isEqualTo(2);
        assertThat(rejected.get("reason").asText()).contains("crypto_wallet");
        JsonNode runNode = Json.mapper().readTree(out.resolve("metrics.json").toFile()).get("runs").get(0);
        assertThat(runNode.get("routing").get("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(runNode.get("extra").get("missingPredictions").asInt()).isEqualTo(1);
        assertThat(run.out()).contains("1 input rows were rejected");
    }

    @Test
    void evaluate_predictionForUnknownIdIsRejected() throws IOException {
        Path predictions = write("predictions.jsonl", "{\"id\":\"zzz\",\"label\":\"card_arrival\"}");

        CliRun run = CliRun.of("evaluate", "--dataset", dataset().toString(), "--predictions",
                predictions.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(predictions + ":1:").contains("'zzz' is not in the --dataset file");
    }

    @Test
    void evaluate_duplicatePredictionIdNamesFirstLine() throws IOException {
        Path predictions = write("predictions.jsonl",
                "{\"id\":\"a\",\"label\":\"card_arrival\"}",
                "{\"id\":\"a\",\"label\":\"exchange_rate\"}");

        CliRun run = CliRun.of("evaluate", "--dataset", dataset().toString(), "--predictions",
                predictions.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(predictions + ":2:").contains("duplicate id 'a', first used at line 1");
    }

    @Test
    void evaluate_malformedJsonLineNamesLine() throws IOException {
        Path predictions = write("predictions.jsonl", "{\"id\":\"a\",\"label\":\"card_arrival\"}", "{\"id\": \"b\",");

        CliRun run = CliRun.of("evaluate", "--dataset", dataset().toString(), "--predictions",
                predictions.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(predictions + ":2: invalid JSON");
    }

    @Test
    void import_malformedCsvRowsGoToRejects() throws IOException {
        Path csv = write("train.csv", "text,category", "where is my card,card_arrival", "too,many,fields",
                ",card_arrival", "\"rate, please\",exchange_rate");
        Path out = work.resolve("out");

        CliRun failing = CliRun.of("import", "--format", "banking77", csv.toString(), "--out", out.toString());
        CliRun tolerant = CliRun.of("import", "--format", "banking77", csv.toString(), "--max-bad-rows", "2",
                "--out", out.toString());

        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.err()).contains(csv + ":3:");
        assertThat(tolerant.exitCode()).as(tolerant.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("interactions.jsonl"))).hasSize(2);
        List<String> rejects = Files.readAllLines(out.resolve("rejects.jsonl"));
        assertThat(rejects).hasSize(2);
        assertThat(Json.mapper().readTree(rejects.get(0)).get("line").asLong()).isEqualTo(3);
        assertThat(Json.mapper().readTree(rejects.get(1)).get("line").asLong()).isEqualTo(4);
    }

    @Test
    void import_tooManyBadRowsFails() throws IOException {
        Path csv = write("train.csv", "text,category", "a,b,c", "d,e,f", "g,h,i");

        CliRun run = CliRun.of("import", "--format", "banking77", csv.toString(), "--max-bad-rows", "2",
                "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("more than 2 bad rows").contains(csv + ":4:");
    }

    @Test
    void import_emptyFileFailsClearly() throws IOException {
        Path csv = write("empty.csv");

        CliRun run = CliRun.of("import", "--format", "csv", csv.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(csv.toString());
    }

    @Test
    void import_missingColumnListsAvailableColumns() throws IOException {
        Path csv = write("tickets.csv", "utterance,topic", "hello,greeting");

        CliRun run = CliRun.of("import", "--format", "csv", csv.toString(), "--label-column", "topic",
                "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("utterance").contains("--text-column");
    }

    @Test
    void import_unknownFormatListsFormats() throws IOException {
        Path csv = write("tickets.csv", "text", "hello");

        CliRun run = CliRun.of("import", "--format", "xlsx", csv.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("banking77").contains("jsonl");
    }

    @Test
    void ladder_folderWithoutDataNamesExpectedFiles() throws IOException {
        Path empty = Files.createDirectory(work.resolve("empty"));

        CliRun run = CliRun.of("ladder", "--dataset", empty.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("train.csv").contains("train.jsonl");
    }

    @Test
    void route_missingIndexSaysHowToBuildOne() throws IOException {
        CliRun run = CliRun.of("route", "--index", work.resolve("nowhere").toString(), "--dataset",
                dataset().toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tuneladder index");
    }
}
