package dev.tuneladder.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The judge command against a loopback OpenAI-compatible stub, and calibration of the verdicts it writes. */
class JudgeCommandTest {

    @RegisterExtension
    static WireMockExtension server = ModelStub.server();

    @TempDir
    Path work;

    private Path write(String name, String... lines) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private Path dataset() throws IOException {
        return write("dataset.jsonl",
                "{\"id\":\"q1\",\"turns\":[{\"role\":\"user\",\"content\":\"Can I cancel a transfer?\"}],"
                        + "\"expected\":{\"answer\":\"Yes, within 30 minutes in the app.\"}}",
                "{\"id\":\"q2\",\"turns\":[{\"role\":\"user\",\"content\":\"Is there a top-up fee?\"}],"
                        + "\"metadata\":{\"context\":\"Top-ups by bank transfer are free.\"}}",
                "{\"id\":\"q3\",\"turns\":[{\"role\":\"user\",\"content\":\"Why was my card declined?\"}]}",
                "{\"id\":\"q4\",\"turns\":[{\"role\":\"user\",\"content\":\"Where is my refund?\"}]}",
                "{\"id\":\"q5\",\"turns\":[{\"role\":\"user\",\"content\":\"How do I freeze my card?\"}]}");
    }

    private Path answers() throws IOException {
        return write("answers.jsonl",
                "{\"id\":\"q1\",\"answer\":\"Yes, within 30 minutes in the app.\"}",
                "{\"id\":\"q2\",\"answer\":\"Bank transfers are free. GOOD\"}",
                "{\"id\":\"q3\",\"answer\":\"Sorry. POOR\"}",
                "{\"id\":\"q4\",\"answer\":\"GARBLED\"}",
                "{\"id\":\"q5\",\"error\":\"model call failed (TIMEOUT)\"}");
    }

    private Path rubric() throws IOException {
        return write("rubric.json", "{\"name\": \"helpfulness\", \"criteria\": \"5 answers fully and correctly;"
                + " 1 does not help.\", \"minScore\": 1, \"maxScore\": 5, \"passThreshold\": 4,"
                + " \"wholeNumbers\": true}");
    }

    private static void stubAnswer(String keyword, String reply) {
        server.stubFor(post(urlPathEqualTo(ModelStub.CHAT_PATH))
                .withRequestBody(matchingJsonPath(ModelStub.userMessageMatching(keyword)))
                .willReturn(ModelStub.ok(ModelStub.textCompletion(reply))));
    }

    private static Map<String, JsonNode> verdictsByItem(Path file) throws IOException {
        Map<String, JsonNode> byItem = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode verdict = Json.mapper().readTree(line);
            byItem.put(verdict.get("itemId").asText() + (verdict.get("swapped").asBoolean() ? "/swapped" : ""),
                    verdict);
        }
        return byItem;
    }

    @Test
    void judge_rubricVerdictsFeedCalibration() throws IOException {
        stubAnswer("30 minutes", "{\"score\": 5, \"reason\": \"matches the reference\"}");
        stubAnswer("GOOD", "{\"score\": 4}");
        stubAnswer("POOR", "{\"score\": 2, \"reason\": \"no help\"}");
        stubAnswer("GARBLED", "I cannot rate this.");
        Path out = work.resolve("judged");

        CliRun run = CliRun.of("judge", "--model", ModelStub.openAiModel(server), "--dataset", dataset().toString(),
                "--answers", answers().toString(), "--rubric", rubric().toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Judged 5 items with judge helpfulness").contains("pass 2, fail 1, error 2");
        Map<String, JsonNode> verdicts = verdictsByItem(out.resolve(JudgeCommand.OUTPUT_FILE));
        assertThat(verdicts.keySet()).containsExactly("q1", "q2", "q3", "q4", "q5");
        assertThat(verdicts.get("q1").get("verdict").asText()).isEqualTo("pass");
        assertThat(verdicts.get("q1").get("score").asDouble()).isEqualTo(5.0);
        assertThat(verdicts.get("q1").get("modelId").asText()).isEqualTo("test-model");
        assertThat(verdicts.get("q1").get("promptVersion").asText()).hasSize(12);
        assertThat(verdicts.get("q3").get("verdict").asText()).isEqualTo("fail");
        assertThat(verdicts.get("q4").get("verdict").asText()).isEqualTo("error");
        assertThat(verdicts.get("q4").get("error").asText()).contains("after one repair attempt");
        assertThat(verdicts.get("q4").get("steps")).hasSize(2);
        assertThat(verdicts.get("q5").get("error").asText()).contains("is an error row");
        assertThat(server.findAll(postRequestedFor(urlPathEqualTo(ModelStub.CHAT_PATH)))).as("q4 is repaired once;"
                + " q5 is never sent").hasSize(5);
        JsonNode config = Json.mapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.get("command").asText()).isEqualTo("judge");
        assertThat(config.get("options").get("promptVersion").asText())
                .isEqualTo(verdicts.get("q1").get("promptVersion").asText());
        assertThat(out.resolve("run.json")).exists();

        Path gold = write("gold.jsonl", "{\"itemId\":\"q1\",\"gold\":\"pass\"}", "{\"itemId\":\"q2\",\"gold\":\"fail\"}",
                "{\"itemId\":\"q3\",\"gold\":\"fail\"}", "{\"itemId\":\"q4\",\"gold\":\"fail\"}");
        Path calibrated = work.resolve("calibrated");
        CliRun calibrate = CliRun.of("calibrate", "--verdicts", out.resolve(JudgeCommand.OUTPUT_FILE).toString(),
                "--gold", gold.toString(), "--format", "jsonl", "--scale", "pass-fail", "--out",
                calibrated.toString());

        assertThat(calibrate.exitCode()).as(calibrate.err()).isZero();
        JsonNode calibration = Json.mapper().readTree(calibrated.resolve("calibration.json").toFile());
        JsonNode judge = calibration.get("judges").get(0);
        assertThat(judge.get("judge").asText()).isEqualTo("helpfulness");
        assertThat(judge.get("original").get("verdicts").asLong()).as("error verdicts are not scored").isEqualTo(3);
        assertThat(judge.get("original").get("withGold").asLong()).isEqualTo(3);
        assertThat(judge.get("original").get("correct").asLong()).isEqualTo(2);
    }

    @Test
    void judge_pairwiseWritesBothOrders() throws IOException {
        Path answersB = write("answers-b.jsonl",
                "{\"id\":\"q1\",\"answer\":\"No.\"}", "{\"id\":\"q2\",\"answer\":\"Maybe.\"}",
                "{\"id\":\"q3\",\"answer\":\"Call us.\"}", "{\"id\":\"q4\",\"answer\":\"Soon.\"}",
                "{\"id\":\"q5\",\"answer\":\"In settings.\"}");
        server.stubFor(post(urlPathEqualTo(ModelStub.CHAT_PATH))
                .willReturn(ModelStub.ok(ModelStub.textCompletion("{\"preferred\": \"A\"}"))));
        Path out = work.resolve("pairwise");

        CliRun run = CliRun.of("judge", "--model", ModelStub.openAiModel(server), "--dataset", dataset().toString(),
                "--answers", answers().toString(), "--answers-b", answersB.toString(), "--pairwise",
                "--rubric", rubric().toString(), "--name", "pairwise-v1", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, JsonNode> verdicts = verdictsByItem(out.resolve(JudgeCommand.OUTPUT_FILE));
        assertThat(verdicts.get("q1").get("verdict").asText()).isEqualTo("A");
        assertThat(verdicts.get("q1/swapped").get("verdict").asText()).as("shown A is the item's B").isEqualTo("B");
        assertThat(verdicts.get("q1").get("consistent").asBoolean()).isFalse();
        assertThat(verdicts.get("q5").get("verdict").asText()).isEqualTo("error");
        assertThat(verdicts).hasSize(9);
        assertThat(run.out()).contains("4 pairs preferred different answers in the two orders");
    }

    @Test
    void judge_withoutModelIsRejected() throws IOException {
        CliRun run = CliRun.of("judge", "--dataset", dataset().toString(), "--answers", answers().toString(),
                "--rubric", rubric().toString(), "--out", work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("--model is required").contains("openai:BASE_URL#MODEL");
    }

    @Test
    void judge_rubricWithoutScaleIsRejected() throws IOException {
        Path rubric = write("rubric.json", "{\"name\": \"helpfulness\", \"criteria\": \"Be helpful.\"}");

        CliRun run = CliRun.of("judge", "--model", ModelStub.openAiModel(server), "--dataset", dataset().toString(),
                "--answers", answers().toString(), "--rubric", rubric.toString(), "--out",
                work.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(TuneladderCommand.EXIT_FAILED);
        assertThat(run.err()).contains("lacks [minScore, maxScore, passThreshold]");
    }

    @Test
    void help_judgeAndModelOptionsAreListed() {
        for (String command : List.of("judge", "route", "ladder")) {
            CliRun run = CliRun.of(command, "--help");

            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("--model").contains("--concurrency")
                    .contains("--max-attempts").contains("--endpoint-url");
        }
    }
}
