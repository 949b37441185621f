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
import org.w3c.dom.Document;

/** The calibrate command on the recorded LLMBar Natural verdicts and on small verdict files. */
class CalibrateCommandTest {

    private static final Path NATURAL = Path.of("../datasets/judge_calibration/llmbar/LLMBar/Natural");
    private static final Path GPT4 = NATURAL.resolve("evaluators/GPT-4/Vanilla/result.json");
    private static final Path CHATGPT = NATURAL.resolve("evaluators/ChatGPT/Vanilla/result.json");

    @TempDir
    Path work;

    private Path write(String name, String... lines) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static JsonNode judge(JsonNode calibration, String name) {
        for (JsonNode judge : calibration.get("judges")) {
            if (judge.get("judge").asText().equals(name)) {
                return judge;
            }
        }
        throw new AssertionError("no judge " + name + " in " + calibration.get("judges"));
    }

    @Test
    void calibrate_llmbarNaturalReproducesPublishedAgreement() throws IOException {
        Path out = work.resolve("out");

        CliRun run = CliRun.of("calibrate", "--verdicts", GPT4.toString(), "--verdicts", CHATGPT.toString(),
                "--gold", NATURAL.resolve("dataset.json").toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode calibration = Json.mapper().readTree(out.resolve("calibration.json").toFile());
        JsonNode gpt4 = judge(calibration, "GPT-4/Vanilla");
        JsonNode chatGpt = judge(calibration, "ChatGPT/Vanilla");
        assertThat(gpt4.get("original").get("correct").asLong()).isEqualTo(95);
        assertThat(gpt4.get("swapped").get("correct").asLong()).isEqualTo(96);
        assertThat(gpt4.get("original").get("withGold").asLong()).isEqualTo(100);
        assertThat(chatGpt.get("original").get("correct").asLong()).isEqualTo(80);
        assertThat(chatGpt.get("swapped").get("correct").asLong()).isEqualTo(83);
        assertThat(gpt4.get("swapConsistency").get("consistent").asLong()).isEqualTo(95);
        assertThat(chatGpt.get("swapConsistency").get("consistent").asLong()).isEqualTo(71);
        assertThat(chatGpt.get("swapConsistency").get("firstPositionBoth").asLong()).isEqualTo(25);
        assertThat(calibration.get("itemsWithGold").asLong()).isEqualTo(100);
    }

    @Test
    void calibrate_llmbarWritesSelfContainedHtml() throws IOException {
        Path out = work.resolve("out");

        CliRun run = CliRun.of("calibrate", "--verdicts", GPT4.toString(), "--verdicts", CHATGPT.toString(),
                "--gold", NATURAL.resolve("dataset.json").toString(), "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        Document page = HtmlPages.readSelfContained(out.resolve(CalibrateCommand.HTML_FILE));

        String judges = String.join("\n", HtmlPages.rowTexts(page, "judges"));
        assertThat(judges).contains("GPT-4/Vanillaoriginal0.950 (95/100)", "GPT-4/Vanillaswapped0.960 (96/100)",
                "ChatGPT/Vanillaoriginal0.800 (80/100)", "ChatGPT/Vanillaswapped0.830 (83/100)");
        assertThat(HtmlPages.withClass(page, "point")).hasSize(4);
        assertThat(HtmlPages.rowTexts(page, "swap")).hasSize(2);
        assertThat(HtmlPages.rowTexts(page, "swap").get(0)).startsWith("ChatGPT/Vanilla10071");
        assertThat(HtmlPages.withClass(page, "bar")).hasSize(2);
    }

    @Test
    void calibrate_llmbarWritesReportsAndPrintsTable() throws IOException {
        Path out = work.resolve("out");

        CliRun run = CliRun.of("calibrate", "--verdicts", GPT4.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("judge").contains("swap consistency").contains("positional preference");
        assertThat(run.out()).contains("0.950 (95/100)").contains("0.960 (96/100)");
        assertThat(run.out()).contains("first 3, second 2 of 5");
        assertThat(Files.readString(out.resolve("calibration.md"))).contains("| GPT-4/Vanilla | original |");
        JsonNode config = Json.mapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.get("command").asText()).isEqualTo("calibrate");
        assertThat(config.get("options").get("format").asText()).isEqualTo("llmbar");
        JsonNode manifest = Json.mapper().readTree(out.resolve("run.json").toFile());
        assertThat(manifest.get("inputs").get("verdicts").get("sha256").asText()).hasSize(64);
        assertThat(manifest.get("outputs").toString()).contains("calibration.json").contains("calibration.md");
    }

    @Test
    void calibrate_llmbarGoldFromOtherSubsetIsRejected() {
        Path manual = Path.of("../datasets/judge_calibration/llmbar/LLMBar/Adversarial/Manual/dataset.json");

        CliRun run = CliRun.of("calibrate", "--verdicts", GPT4.toString(), "--gold", manual.toString(),
                "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(GPT4 + ":2: element [0]: field 'input' differs")
                .contains("same LLMBar subset");
    }

    @Test
    void calibrate_jsonlReviewersAndJudge() throws IOException {
        Path verdicts = write("verdicts.jsonl",
                "{\"itemId\":\"a\",\"reviewer\":\"ann\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"a\",\"reviewer\":\"ben\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"a\",\"judge\":\"rubric\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"b\",\"reviewer\":\"ann\",\"verdict\":\"pass\"}",
                "{\"itemId\":\"b\",\"reviewer\":\"ben\",\"verdict\":\"fail\"}",
                "{\"itemId\":\"b\",\"judge\":\"rubric\",\"verdict\":\"fail\"}");
        Path gold = write("gold.jsonl", "{\"itemId\":\"a\",\"gold\":\"pass\"}", "{\"itemId\":\"b\",\"gold\":\"fail\"}");
        Path out = work.resolve("out");

        CliRun run = CliRun.of("calibrate", "--verdicts", verdicts.toString(), "--gold", gold.toString(),
                "--scale", "pass-fail", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode calibration = Json.mapper().readTree(out.resolve("calibration.json").toFile());
        assertThat(judge(calibration, "rubric").get("original").get("accuracy").asDouble()).isEqualTo(1.0);
        JsonNode ann = calibration.get("reviewers").get(0);
        assertThat(ann.get("reviewer").asText()).isEqualTo("ann");
        assertThat(ann.get("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(ann.get("leniency").asDouble()).isEqualTo(0.5);
        assertThat(run.out()).contains("2 reviewers");
    }

    @Test
    void calibrate_missingVerdictFileNamesOption() {
        Path missing = work.resolve("nowhere.jsonl");

        CliRun run = CliRun.of("calibrate", "--verdicts", missing.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--verdicts " + missing + " does not exist");
    }

    @Test
    void calibrate_malformedRowNamesLine() throws IOException {
        Path verdicts = write("verdicts.jsonl",
                "{\"itemId\":\"a\",\"judge\":\"j\",\"verdict\":\"1\"}",
                "{\"itemId\":\"b\",\"judge\":");

        CliRun run = CliRun.of("calibrate", "--verdicts", verdicts.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(verdicts + ":2: invalid JSON").contains("--max-bad-rows");
    }

    @Test
    void calibrate_malformedLlmBarFileNamesLineAndColumn() throws IOException {
        Path result = write("result.json", "[", "{\"input\": \"a\",, \"label\": 1}", "]");

        CliRun run = CliRun.of("calibrate", "--verdicts", result.toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(result + ":2:").contains("invalid JSON in element [0]");
    }

    @Test
    void calibrate_unknownVerdictValueGoesToRejects() throws IOException {
        Path verdicts = write("verdicts.jsonl",
                "{\"itemId\":\"a\",\"judge\":\"j\",\"verdict\":\"1\",\"gold\":\"1\"}",
                "{\"itemId\":\"b\",\"judge\":\"j\",\"verdict\":\"both\",\"gold\":\"2\"}");
        Path out = work.resolve("out");

        CliRun failing = CliRun.of("calibrate", "--verdicts", verdicts.toString(), "--out", out.toString());
        CliRun tolerant = CliRun.of("calibrate", "--verdicts", verdicts.toString(), "--max-bad-rows", "1",
                "--out", out.toString());

        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.err()).contains(verdicts + ":2: unknown verdict value \"both\"")
                .contains("expected \"1\" or \"2\"");
        assertThat(tolerant.exitCode()).as(tolerant.err()).isZero();
        JsonNode rejected = Json.mapper().readTree(Files.readAllLines(out.resolve("rejects.jsonl")).get(0));
        assertThat(rejected.get("line").asLong()).isEqualTo(2);
        assertThat(tolerant.out()).contains("1 input rows were rejected");
    }

    @Test
    void calibrate_sameVerdictInTwoFilesFails() throws IOException {
        Path first = write("first.jsonl", "{\"itemId\":\"a\",\"judge\":\"j\",\"verdict\":\"1\"}");
        Path second = write("second.jsonl", "{\"itemId\":\"a\",\"judge\":\"j\",\"verdict\":\"2\"}");

        CliRun run = CliRun.of("calibrate", "--verdicts", first.toString(), "--verdicts", second.toString(),
                "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(second + ": judge 'j' has two verdicts on item 'a' in the original order");
    }

    @Test
    void calibrate_unknownFormatListsFormats() throws IOException {
        Path verdicts = write("verdicts.jsonl", "{\"itemId\":\"a\",\"judge\":\"j\",\"verdict\":\"1\"}");

        CliRun run = CliRun.of("calibrate", "--verdicts", verdicts.toString(), "--format", "csv",
                "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown --format 'csv'; use llmbar or jsonl");
    }

    @Test
    void calibrate_helpExplainsFormatsWithoutWarnings() {
        CliRun run = CliRun.of("calibrate", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: tuneladder calibrate").contains("--verdicts").contains("llmbar")
                .contains("for the 95% accuracy");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void defaultJudgeName_usesEvaluatorFolders() {
        assertThat(CalibrateCommand.defaultJudgeName(GPT4)).isEqualTo("GPT-4/Vanilla");
        assertThat(CalibrateCommand.defaultJudgeName(Path.of("runs/judge-a.jsonl"))).isEqualTo("judge-a");
    }
}
