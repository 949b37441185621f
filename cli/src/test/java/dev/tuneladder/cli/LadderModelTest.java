package dev.tuneladder.cli;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ladder with a model on a small dataset: retrieval routers, then two LLM runs against a loopback stub. */
class LadderModelTest {

    @RegisterExtension
    static WireMockExtension server = ModelStub.server();

    @TempDir
    static Path work;

    static CliRun run;
    static JsonNode metrics;
    static Path out;
    static int chatRequests;

    @BeforeAll
    static void runLadder() throws IOException {
        ModelStub.stubRouting(server);
        Path dataset = ModelStub.writeDataset(work.resolve("data"));
        out = work.resolve("out");
        run = CliRun.of("ladder", "--dataset", dataset.toString(), "--model", ModelStub.openAiModel(server),
                "--shots", "3", "-k", "3", "--test-limit", "10", "--bootstrap-replicates", "200",
                "--concurrency", "4", "--out", out.toString());
        metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
        // The extension clears its request log before each test, so count here.
        chatRequests = server.findAll(postRequestedFor(urlPathEqualTo(ModelStub.CHAT_PATH))).size();
    }

    private static JsonNode runNamed(String name) {
        for (JsonNode entry : metrics.get("runs")) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no run " + name + " in metrics.json");
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            rows.add(Json.mapper().readTree(line));
        }
        return rows;
    }

    @Test
    void ladder_addsTwoModelRunsAfterRouters() {
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> names = new ArrayList<>();
        metrics.get("runs").forEach(entry -> names.add(entry.get("name").asText()));

        assertThat(names).containsExactly("full-train", "kmeans-3", "random-3", "llm-zero-shot", "llm-kmeans-3");
        assertThat(run.out()).contains("LLM runs with " + ModelStub.openAiModel(server) + " on 10 of 12 test rows");
    }

    @Test
    void modelRuns_countErrorsOnCappedRows() throws IOException {
        List<JsonNode> sent = lines(out.resolve("data/llm-test.jsonl"));
        long refunds = sent.stream().filter(row -> row.get("id").asText().equals("test-11")).count();
        long stolen = sent.stream().filter(row -> row.get("id").asText().equals("test-8")).count();

        for (String name : List.of("llm-zero-shot", "llm-kmeans-3")) {
            JsonNode entry = runNamed(name);
            JsonNode routing = entry.get("routing");
            JsonNode extra = entry.get("extra");
            assertThat(routing.get("rows").asLong()).as(name).isEqualTo(10);
            assertThat(extra.get("testRows").asLong()).as(name).isEqualTo(10);
            assertThat(extra.get("errorRows").asLong()).as(name).isEqualTo(refunds);
            assertThat(extra.get("failedPredictions").asLong()).as(name).isEqualTo(refunds);
            assertThat(extra.get("inputTokens").asLong()).as(name).isEqualTo(1200);
            assertThat(extra.get("promptVersion").asText()).as(name)
                    .isEqualTo(ModelRouting.BUILT_IN_PROMPT.version());
            assertThat(extra.get("floor").asText()).as(name).isEqualTo("kmeans-3");
            assertThat(extra.get("versusFloor").asText()).as(name).isIn("above", "overlapping", "below");
            assertThat(routing.get("accuracy").asDouble()).as(name)
                    .isCloseTo((10 - refunds - stolen) / 10.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(lines(out.resolve("predictions/" + name + ".jsonl"))).as(name).hasSize(10);
        }
        assertThat(runNamed("llm-kmeans-3").get("extra").get("examples").asInt()).isEqualTo(3);
        assertThat(runNamed("llm-zero-shot").get("extra").get("examples").asInt()).isZero();
        assertThat(chatRequests).as("ten capped rows, two runs").isEqualTo(20);
    }

    @Test
    void ladder_printsFloorComparisonPerModelRun() {
        assertThat(run.out()).contains("llm-zero-shot vs the kmeans-3 router on the same 10 test rows: macro-F1");
        assertThat(run.out()).contains("llm-kmeans-3 vs the kmeans-3 router on the same 10 test rows: macro-F1");
        assertThat(run.out()).contains("llm-zero-shot: 10 rows");
    }

    @Test
    void routers_stillScoreEveryTestRow() {
        assertThat(runNamed("full-train").get("routing").get("rows").asLong()).isEqualTo(12);
        assertThat(runNamed("kmeans-3").get("extra").get("examples").asLong()).isEqualTo(12);
    }

    @Test
    void testSubset_isSeededAndKeepsFileOrder() {
        List<dev.tuneladder.core.data.Interaction> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(dev.tuneladder.core.data.Interaction.ofUtterance("r" + i, "text " + i, "label"));
        }

        List<dev.tuneladder.core.data.Interaction> first = LadderCommand.testSubset(rows, 5, 42);
        List<dev.tuneladder.core.data.Interaction> second = LadderCommand.testSubset(rows, 5, 42);

        assertThat(first).hasSize(5).isEqualTo(second);
        assertThat(first).isSortedAccordingTo(java.util.Comparator.comparingInt(row -> rows.indexOf(row)));
        assertThat(LadderCommand.testSubset(rows, 0, 42)).isEqualTo(rows);
        assertThat(LadderCommand.testSubset(rows, 25, 42)).isEqualTo(rows);
    }
}
