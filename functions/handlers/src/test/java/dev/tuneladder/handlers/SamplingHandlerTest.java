package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.tuneladder.aws.bedrock.BedrockTitanEmbedder;
import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.embedding.Embedder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The sampling task with the real Titan embedder against a loopback Bedrock stub and S3Proxy on loopback. */
class SamplingHandlerTest {

    private static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    private static final int DIMENSIONS = 256;
    private static final int ROWS = 20;
    private static final int BATCH = 8;

    @RegisterExtension
    static WireMockExtension bedrock = TestSupport.bedrock();

    @RegisterExtension
    final S3ProxyExtension server = S3TestStore.extension();

    private S3Client client;
    private S3BlobStore store;
    private final List<Integer> batchSizes = new ArrayList<>();
    private SamplingHandler handler;

    @BeforeEach
    void setUp() {
        client = S3TestStore.clientWithBucket(server);
        store = S3TestStore.store(client);
        Embedder titan = Resilience.retrying(new BedrockTitanEmbedder(TestSupport.factory(bedrock).bedrockRuntime(),
                TitanEmbeddingSettings.DEFAULTS.withDimensions(DIMENSIONS)), TestSupport.fastRetries());
        handler = new SamplingHandler(store, new BatchRecorder(titan, batchSizes), BATCH);
        for (int i = 0; i < ROWS; i++) {
            // Each text gets its own axis, so no two rows are near duplicates.
            bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).withRequestBody(containing("question " + i + "\""))
                    .willReturn(TestSupport.ok(TestSupport.titanOneHot(DIMENSIONS, i))));
        }
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void handle_sampleEvent_writesSplitsAndManifest() {
        writeDataset("datasets/banking-mini.jsonl", true);

        JsonNode output = S3TestStore.invoke(handler, TestSupport.jsonEvent("sampling.json"),
                TestSupport.context("req-sp-1"));

        assertThat(output.get("rows").asInt()).isEqualTo(ROWS);
        assertThat(output.get("rejected").asInt()).isEqualTo(1);
        assertThat(output.get("train").asInt() + output.get("eval").asInt()).isEqualTo(ROWS);
        assertThat(output.get("eval").asInt()).isEqualTo(6);
        assertThat(output.get("manifestKey").asText()).isEqualTo("runs/split-run-1/split/manifest.json");
        assertThat(lines(output.get("trainKey").asText())).hasSize(output.get("train").asInt());
        assertThat(lines(output.get("evalKey").asText())).hasSize(6);
        assertThat(lines(output.get("sampleKey").asText())).hasSize(output.get("sample").asInt());
        assertThat(lines(output.get("rejectsKey").asText())).hasSize(1);
        JsonNode manifest = S3TestStore.readJson(store, output.get("manifestKey").asText());
        assertThat(manifest.get("embeddingModelId").asText()).isEqualTo("amazon.titan-embed-text-v2:0");
        assertThat(manifest.get("seed").asLong()).isEqualTo(7);
        // Two strata of two clusters, one row each, less clusters whose rows all went to eval.
        assertThat(output.get("sample").asInt() + manifest.get("totals").get("sampleShortfall").asInt())
                .isEqualTo(4);
        assertThat(manifest.get("inputChecksums").get("datasets/banking-mini.jsonl").asText()).hasSize(64);
        assertThat(batchSizes).containsExactly(BATCH, BATCH, ROWS - 2 * BATCH);
        bedrock.verify(ROWS, postRequestedFor(urlEqualTo(TITAN_PATH)));
    }

    @Test
    void handle_titanThrottlesOnce_retriesAndSucceeds() {
        writeDataset("datasets/d.jsonl", false);
        bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).withRequestBody(containing("question 0\""))
                .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED).willReturn(TestSupport.throttled())
                .willSetStateTo("recovered"));
        bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).withRequestBody(containing("question 0\""))
                .inScenario("throttle").whenScenarioStateIs("recovered")
                .willReturn(TestSupport.ok(TestSupport.titanOneHot(DIMENSIONS, 0))));

        JsonNode output = S3TestStore.invoke(handler, input("datasets/d.jsonl"), TestSupport.context("req-sp-2"));

        assertThat(output.get("rows").asInt()).isEqualTo(ROWS);
        bedrock.verify(2, postRequestedFor(urlEqualTo(TITAN_PATH)).withRequestBody(containing("question 0\"")));
    }

    @Test
    void handle_missingDataset_isTaskInputErrorNamingDatasetKey() {
        assertThatThrownBy(() -> S3TestStore.invoke(handler, input("datasets/none.jsonl"),
                TestSupport.context("req-sp-3")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("datasets/none.jsonl")
                .hasMessageContaining("does not exist");
        bedrock.verify(0, postRequestedFor(urlEqualTo(TITAN_PATH)));
    }

    @Test
    void handle_evalFractionOne_isTaskInputErrorNamingConfig() {
        writeDataset("datasets/d.jsonl", false);
        ObjectNode input = input("datasets/d.jsonl");
        input.putObject("config").put("evalFraction", 1.0);

        assertThatThrownBy(() -> S3TestStore.invoke(handler, input, TestSupport.context("req-sp-4")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("evalFraction")
                .satisfies(e -> assertThat(((InvalidTaskInput) e).field()).isEqualTo("config"));
    }

    @Test
    void handle_badRowOverLimit_isTaskInputErrorNamingTheLine() {
        writeDataset("datasets/d.jsonl", true);

        assertThatThrownBy(() -> S3TestStore.invoke(handler, input("datasets/d.jsonl"),
                TestSupport.context("req-sp-5")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("d.jsonl:" + (ROWS + 1));
    }

    private static ObjectNode input(String datasetKey) {
        return Json.mapper().createObjectNode().put("runId", "split-run-2").put("datasetKey", datasetKey);
    }

    private void writeDataset(String key, boolean withBadLine) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            Interaction row = Interaction.ofUtterance("row-" + i, "question " + i, i % 2 == 0 ? "card" : "top_up");
            text.append(Json.mapper().valueToTree(row).toString()).append('\n');
        }
        if (withBadLine) {
            text.append("{\"id\": \"broken\"\n");
        }
        store.write(key, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private List<String> lines(String key) {
        return new String(store.readAllBytes(key), StandardCharsets.UTF_8).lines().toList();
    }

    /** Passes calls through and records how many texts each call carried. */
    private record BatchRecorder(Embedder delegate, List<Integer> sizes) implements Embedder {

        @Override
        public String modelId() {
            return delegate.modelId();
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            sizes.add(texts.size());
            return delegate.embedAll(texts);
        }
    }
}
