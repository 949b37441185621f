package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.embedding.Embedder;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The embed-batch task with the real Titan embedder against a loopback Bedrock stub and S3Proxy on loopback. */
class EmbedBatchHandlerTest {

    private static final int CALL_SIZE = 4;

    @RegisterExtension
    static WireMockExtension bedrock = TestSupport.bedrock();

    @RegisterExtension
    final S3ProxyExtension server = S3TestStore.extension();

    private S3Client client;
    private S3BlobStore store;
    private Embedder titan;
    private final List<Integer> callSizes = new ArrayList<>();
    private EmbedBatchHandler handler;

    @BeforeEach
    void setUp() {
        client = S3TestStore.clientWithBucket(server);
        store = S3TestStore.store(client);
        SplitFixture.stubTitan(bedrock);
        titan = SplitFixture.titan(bedrock);
        handler = new EmbedBatchHandler(store, new CallRecorder(titan, callSizes), CALL_SIZE);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void handle_sampleEvent_storesVectorsOfItsRows() {
        SplitFixture.writeDataset(store, SplitFixture.DATASET_KEY);

        JsonNode output = StepTasks.invoke(handler, StepTasks.event("embed-batch.json"));

        assertThat(output.get("offset").asInt()).isEqualTo(10);
        assertThat(output.get("count").asInt()).isEqualTo(10);
        assertThat(output.get("embeddingsKey").asText()).isEqualTo("runs/split-run-1/split/embeddings/0000000010.bin");
        assertThat(output.size()).isEqualTo(3);
        EmbeddingBatchFile file = EmbeddingBatchFile.decode(store.readAllBytes(output.get("embeddingsKey").asText()),
                "batch");
        assertThat(file.firstRow()).isEqualTo(10);
        assertThat(file.modelId()).isEqualTo("amazon.titan-embed-text-v2:0");
        assertThat(file.datasetSha256()).hasSize(64);
        List<Interaction> rows = SplitFixture.rows().subList(10, 20);
        List<float[]> expected = titan.embedAll(rows.stream().map(Interaction::lastUserText).toList());
        assertThat(file.vectors()).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(file.vectors().get(i)).as("row %d", 10 + i).isEqualTo(expected.get(i));
        }
        assertThat(callSizes).containsExactly(CALL_SIZE, CALL_SIZE, 2);
    }

    @Test
    void handle_offsetAtEnd_embedsNothing() {
        SplitFixture.writeDataset(store, SplitFixture.DATASET_KEY);
        ObjectNode input = StepTasks.event("embed-batch.json").put("offset", SplitFixture.VALID_ROWS);

        JsonNode output = StepTasks.invoke(handler, input);

        assertThat(output.get("count").asInt()).isZero();
        assertThat(output.has("embeddingsKey")).isFalse();
        bedrock.verify(0, postRequestedFor(urlEqualTo(SplitFixture.TITAN_PATH)));
    }

    @Test
    void handle_titanThrottlesOnce_retriesAndSucceeds() {
        SplitFixture.writeDataset(store, SplitFixture.DATASET_KEY);
        String text = SplitFixture.rows().get(10).lastUserText();
        bedrock.stubFor(post(urlEqualTo(SplitFixture.TITAN_PATH))
                .withRequestBody(matchingJsonPath("$.inputText", equalTo(text)))
                .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED).willReturn(TestSupport.throttled())
                .willSetStateTo("recovered"));

        JsonNode output = StepTasks.invoke(handler, StepTasks.event("embed-batch.json"));

        assertThat(output.get("count").asInt()).isEqualTo(10);
        bedrock.verify(2, postRequestedFor(urlEqualTo(SplitFixture.TITAN_PATH))
                .withRequestBody(matchingJsonPath("$.inputText", equalTo(text))));
    }

    @Test
    void handle_missingDataset_invalidInputNamingKey() {
        assertThatThrownBy(() -> StepTasks.invoke(handler, StepTasks.event("embed-batch.json")))
                .isInstanceOfSatisfying(InvalidTaskInput.class,
                        e -> assertThat(e.field()).isEqualTo("dataset.key"))
                .hasMessageContaining("datasets/banking-mini.jsonl")
                .hasMessageContaining("does not exist");
        bedrock.verify(0, postRequestedFor(urlEqualTo(SplitFixture.TITAN_PATH)));
    }

    @Test
    void handle_badLinesOverLimit_invalidInput() {
        SplitFixture.writeDataset(store, SplitFixture.DATASET_KEY);
        ObjectNode input = StepTasks.event("embed-batch.json");
        input.set("dataset", SplitFixture.dataset(SplitFixture.DATASET_KEY, 1));

        assertThatThrownBy(() -> StepTasks.invoke(handler, input))
                .isInstanceOfSatisfying(InvalidTaskInput.class,
                        e -> assertThat(e.field()).isEqualTo("dataset.key"))
                .hasMessageContaining("banking-mini.jsonl:22: duplicate id 'card-0'");
    }

    @Test
    void handle_limitZero_invalidInputNamingLimit() {
        ObjectNode input = StepTasks.event("embed-batch.json").put("limit", 0);

        assertThatThrownBy(() -> StepTasks.invoke(handler, input))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("limit"))
                .hasMessageContaining("from 1 to " + EmbedBatchHandler.MAX_LIMIT);
    }

    /** Passes calls through and records how many texts each call carried. */
    private record CallRecorder(Embedder delegate, List<Integer> sizes) implements Embedder {

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
