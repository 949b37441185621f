package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.RejectedRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cluster-strata, draw-and-split and write-splits tasks on their sample events, after the earlier steps ran on
 * the same run, against S3Proxy and a loopback Titan stub.
 */
class SplitStepsHandlersTest {

    @RegisterExtension
    static WireMockExtension bedrock = TestSupport.bedrock();

    @RegisterExtension
    final S3ProxyExtension server = S3TestStore.extension();

    private S3Client client;
    private S3BlobStore store;

    @BeforeEach
    void setUp() {
        client = S3TestStore.clientWithBucket(server);
        store = S3TestStore.store(client);
        SplitFixture.stubTitan(bedrock);
        SplitFixture.writeDataset(store, SplitFixture.DATASET_KEY);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private void embed() {
        SplitFixture.embedBatches(store, SplitFixture.titan(bedrock), SplitFixture.RUN_ID,
                StepTasks.event("cluster-strata.json").get("dataset"));
    }

    private JsonNode cluster() {
        embed();
        return StepTasks.invoke(new ClusterStrataHandler(store), StepTasks.event("cluster-strata.json"));
    }

    private JsonNode draw() {
        cluster();
        return StepTasks.invoke(new DrawAndSplitHandler(store), StepTasks.event("draw-and-split.json"));
    }

    @Test
    void clusterStrata_sampleEvent_writesAssignmentsPerStratum() {
        JsonNode output = cluster();

        assertThat(output.get("clustersKey").asText()).isEqualTo("runs/split-run-1/split/clusters.jsonl");
        assertThat(output.get("rows").asInt()).isEqualTo(SplitFixture.VALID_ROWS);
        assertThat(output.get("strata").asInt()).isEqualTo(4);
        List<JsonNode> lines = jsonLines(output.get("clustersKey").asText());
        assertThat(lines).extracting(line -> line.get("stratum").asText())
                .containsExactly("(none)", "card", "refund", "top_up");
        assertThat(lines).extracting(line -> line.get("points").asInt()).containsExactly(1, 13, 6, 10);
        for (JsonNode line : lines) {
            assertThat(line.get("assignments")).hasSize(line.get("points").asInt())
                    .allSatisfy(cluster -> assertThat(cluster.asInt()).isBetween(0, 2));
        }
    }

    @Test
    void clusterStrata_missingBatch_invalidInputNamingRow() {
        embed();
        ObjectNode input = StepTasks.event("cluster-strata.json");
        ((ArrayNode) input.get("embeddings")).remove(1);

        assertThatThrownBy(() -> StepTasks.invoke(new ClusterStrataHandler(store), input))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("embeddings"))
                .hasMessageContaining("starts at row 20 where row 10 was expected");
    }

    @Test
    void clusterStrata_rowCountTooSmall_invalidInput() {
        embed();
        ObjectNode input = StepTasks.event("cluster-strata.json");
        ((ArrayNode) input.get("embeddings")).remove(2);

        assertThatThrownBy(() -> StepTasks.invoke(new ClusterStrataHandler(store), input))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("embeddings"))
                .hasMessageContaining("covers 20 of the 30 rows")
                .hasMessageContaining("rowCount");
    }

    @Test
    void clusterStrata_datasetReplaced_invalidInput() {
        embed();
        byte[] changed = new String(store.readAllBytes(SplitFixture.DATASET_KEY), StandardCharsets.UTF_8)
                .replace("transfer question 5", "transfer question five").getBytes(StandardCharsets.UTF_8);
        store.write(SplitFixture.DATASET_KEY, changed);

        assertThatThrownBy(() -> StepTasks.invoke(new ClusterStrataHandler(store),
                StepTasks.event("cluster-strata.json")))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("embeddings"))
                .hasMessageContaining("another version");
    }

    @Test
    void drawAndSplit_sampleEvent_indexesEveryRow() {
        JsonNode output = draw();

        assertThat(output.get("drawKey").asText()).isEqualTo("runs/split-run-1/split/draw.json");
        assertThat(output.get("train").asInt() + output.get("eval").asInt()).isEqualTo(SplitFixture.VALID_ROWS);
        JsonNode draw = S3TestStore.readJson(store, output.get("drawKey").asText());
        List<Integer> trainAndEval = new ArrayList<>();
        draw.get("train").forEach(index -> trainAndEval.add(index.asInt()));
        draw.get("eval").forEach(index -> trainAndEval.add(index.asInt()));
        assertThat(trainAndEval).hasSize(SplitFixture.VALID_ROWS)
                .containsExactlyInAnyOrderElementsOf(range(SplitFixture.VALID_ROWS));
        Set<Integer> train = new HashSet<>();
        draw.get("train").forEach(index -> train.add(index.asInt()));
        assertThat(draw.get("sample")).hasSize(output.get("sample").asInt())
                .allSatisfy(index -> assertThat(train).contains(index.asInt()));
        assertThat(draw.get("manifest").get("config").get("seed").asLong()).isEqualTo(11);
    }

    @Test
    void drawAndSplit_otherStrata_invalidInput() {
        cluster();
        ObjectNode input = StepTasks.event("draw-and-split.json");
        ((ObjectNode) input.get("config")).put("stratifyBy", "metadata.channel");

        assertThatThrownBy(() -> StepTasks.invoke(new DrawAndSplitHandler(store), input))
                .isInstanceOfSatisfying(InvalidTaskInput.class,
                        e -> assertThat(e.field()).isEqualTo("clustersKey"))
                .hasMessageContaining("does not match the dataset's strata");
    }

    @Test
    void writeSplits_sampleEvent_writesEveryRowOnce() {
        JsonNode drawn = draw();

        JsonNode output = StepTasks.invoke(new WriteSplitsHandler(store), StepTasks.event("write-splits.json"));

        assertThat(output.get("rows").asInt()).isEqualTo(SplitFixture.VALID_ROWS);
        assertThat(output.get("train").asInt()).isEqualTo(drawn.get("train").asInt());
        assertThat(output.get("eval").asInt()).isEqualTo(drawn.get("eval").asInt());
        assertThat(output.get("sample").asInt()).isEqualTo(drawn.get("sample").asInt());
        assertThat(output.get("manifestKey").asText()).isEqualTo("runs/split-run-1/split/manifest.json");
        Set<String> ids = new HashSet<>();
        jsonLines(output.get("trainKey").asText()).forEach(row -> ids.add(row.get("id").asText()));
        jsonLines(output.get("evalKey").asText()).forEach(row -> ids.add(row.get("id").asText()));
        assertThat(ids).hasSize(SplitFixture.VALID_ROWS);
        assertThat(jsonLines(output.get("sampleKey").asText())).hasSize(output.get("sample").asInt());
        List<JsonNode> rejects = jsonLines(output.get("rejectsKey").asText());
        assertThat(rejects).extracting(reject -> reject.get("line").asLong()).containsExactly(21L, 22L);
        assertThat(Json.mapper().convertValue(rejects.get(1), RejectedRow.class).reason())
                .contains("duplicate id 'card-0'");
        assertThat(output.get("rejected").asInt()).isEqualTo(SplitFixture.BAD_LINES);
        assertThat(output.get("embeddingModelId").asText()).isEqualTo("amazon.titan-embed-text-v2:0");
    }

    @Test
    void writeSplits_datasetReplacedAfterDraw_invalidInput() {
        draw();
        byte[] changed = new String(store.readAllBytes(SplitFixture.DATASET_KEY), StandardCharsets.UTF_8)
                .replace("transfer question 5", "transfer question five").getBytes(StandardCharsets.UTF_8);
        store.write(SplitFixture.DATASET_KEY, changed);

        assertThatThrownBy(() -> StepTasks.invoke(new WriteSplitsHandler(store),
                StepTasks.event("write-splits.json")))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("drawKey"))
                .hasMessageContaining("another version");
    }

    private List<JsonNode> jsonLines(String key) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(store.readAllBytes(key), StandardCharsets.UTF_8).split("\n")) {
            lines.add(TestSupport.body(line));
        }
        return lines;
    }

    private static List<Integer> range(int size) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(i);
        }
        return values;
    }
}
