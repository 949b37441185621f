package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.bedrock.BedrockTitanEmbedder;
import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.storage.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small dataset for the sampling steps, the Titan stubs that embed it, and the four steps run in order.
 *
 * <p>Rows: 30 valid interactions in four strata ({@code card} 13, {@code top_up} 10, {@code refund} 6, and one row
 * without intent), plus one line that is not JSON and one that repeats an id, so a run with {@code maxBadRows} 2
 * rejects two lines. Texts are {@code "<topic> question <n>"}; two {@code card} rows differ only by a trailing
 * {@code !}, which makes them near-duplicates, and {@code top_up} and {@code refund} share one text, which makes a
 * duplicate group across strata.
 */
final class SplitFixture {

    static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    static final int DIMENSIONS = 256;
    static final String RUN_ID = "split-run-1";
    static final String DATASET_KEY = "datasets/banking-mini.jsonl";
    static final int VALID_ROWS = 30;
    static final int BAD_LINES = 2;
    static final int BATCH_ROWS = 10;

    private static final List<String> TOPICS = List.of("card", "balance", "transfer");

    private SplitFixture() {
    }

    /** Returns the valid rows in file order. */
    static List<Interaction> rows() {
        List<Interaction> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add(Interaction.ofUtterance("card-" + i, TOPICS.get(i % 3) + " question " + i, "card"));
        }
        rows.add(Interaction.ofUtterance("card-dup", "card question 3!", "card"));
        for (int i = 0; i < 10; i++) {
            rows.add(Interaction.ofUtterance("top-up-" + i, TOPICS.get(i % 3) + " question " + (20 + i), "top_up"));
        }
        for (int i = 0; i < 5; i++) {
            rows.add(Interaction.ofUtterance("refund-" + i, TOPICS.get(i % 3) + " question " + (40 + i), "refund"));
        }
        rows.add(Interaction.ofUtterance("refund-copy", TOPICS.get(1) + " question 21", "refund"));
        rows.add(Interaction.ofUtterance("no-intent", "transfer question 60", null));
        return rows;
    }

    /**
     * Returns the vector of a text before normalization: a bump on the axis of its topic (the first word) plus
     * noise seeded by the text without trailing {@code !}, and a tiny shift per {@code !}, so that texts that differ
     * only by {@code !} are near-duplicates.
     */
    static float[] vectorOf(String text) {
        String stem = text.replaceAll("!+$", "");
        SplittableRandom random = new SplittableRandom(stem.hashCode());
        float[] vector = new float[DIMENSIONS];
        for (int d = 0; d < 16; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        vector[16 + Math.max(0, TOPICS.indexOf(stem.split(" ")[0]))] += 3f;
        vector[40] += 0.01f * (text.length() - stem.length());
        return vector;
    }

    /** Stubs Titan to return {@link #vectorOf} for the text of every row. */
    static void stubTitan(WireMockExtension bedrock) {
        for (Interaction row : rows()) {
            String text = row.lastUserText();
            bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).withRequestBody(matchingJsonPath("$.inputText", equalTo(text)))
                    .willReturn(TestSupport.ok(titanResponse(vectorOf(text)))));
        }
    }

    /** Returns the real Titan embedder over the stub, retrying throttled calls fast. */
    static Embedder titan(WireMockExtension bedrock) {
        return Resilience.retrying(new BedrockTitanEmbedder(TestSupport.factory(bedrock).bedrockRuntime(),
                TitanEmbeddingSettings.DEFAULTS.withDimensions(DIMENSIONS)), TestSupport.fastRetries());
    }

    /** Writes the dataset with the two bad lines after the 20th row and returns its bytes. */
    static byte[] writeDataset(BlobStore store, String key) {
        StringBuilder text = new StringBuilder();
        List<Interaction> rows = rows();
        for (int i = 0; i < rows.size(); i++) {
            text.append(Json.mapper().valueToTree(rows.get(i)).toString()).append('\n');
            if (i == 19) {
                text.append("{\"id\": \"broken\"\n");
                text.append(Json.mapper().valueToTree(rows.get(0)).toString()).append('\n');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        store.write(key, bytes);
        return bytes;
    }

    /** The outputs of the four steps of one run. */
    record Run(List<JsonNode> embeddings, JsonNode clusters, JsonNode draw, JsonNode splits) {
    }

    /** Runs embed-batch for offsets 0, 10, 20 and 30 (at the end, so it embeds nothing), then the other three steps. */
    static Run runSteps(BlobStore store, Embedder embedder, String runId, ObjectNode dataset, ObjectNode config) {
        List<JsonNode> embeddings = embedBatches(store, embedder, runId, dataset);

        ObjectNode clusterInput = Json.mapper().createObjectNode().put("runId", runId);
        clusterInput.set("dataset", dataset);
        clusterInput.set("config", config);
        clusterInput.set("embeddings", Json.mapper().valueToTree(embeddings));
        JsonNode clusters = StepTasks.invoke(new ClusterStrataHandler(store), clusterInput);

        ObjectNode drawInput = clusterInput.deepCopy().put("clustersKey", clusters.get("clustersKey").asText());
        JsonNode draw = StepTasks.invoke(new DrawAndSplitHandler(store), drawInput);

        ObjectNode writeInput = Json.mapper().createObjectNode().put("runId", runId);
        writeInput.set("dataset", dataset);
        writeInput.put("drawKey", draw.get("drawKey").asText());
        JsonNode splits = StepTasks.invoke(new WriteSplitsHandler(store), writeInput);
        return new Run(embeddings, clusters, draw, splits);
    }

    /** Runs embed-batch for offsets 0, 10, 20 and 30 and returns the outputs in offset order. */
    static List<JsonNode> embedBatches(BlobStore store, Embedder embedder, String runId, JsonNode dataset) {
        List<JsonNode> embeddings = new ArrayList<>();
        EmbedBatchHandler embed = new EmbedBatchHandler(store, embedder, 4);
        for (int offset = 0; offset <= VALID_ROWS; offset += BATCH_ROWS) {
            ObjectNode input = Json.mapper().createObjectNode().put("runId", runId);
            input.set("dataset", dataset);
            input.put("offset", offset).put("limit", BATCH_ROWS);
            embeddings.add(StepTasks.invoke(embed, input));
        }
        return embeddings;
    }

    /** Returns {@code {key, maxBadRows}}. */
    static ObjectNode dataset(String key, int maxBadRows) {
        return Json.mapper().createObjectNode().put("key", key).put("maxBadRows", maxBadRows);
    }

    private static String titanResponse(float[] vector) {
        StringBuilder json = new StringBuilder("{\"embedding\":[");
        for (int i = 0; i < vector.length; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", vector[i]));
        }
        return json.append("],\"inputTextTokenCount\":5}").toString();
    }
}
