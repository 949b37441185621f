package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.Json;
import java.nio.charset.StandardCharsets;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The four sampling steps in order, against one call that splits the same dataset with the same embeddings. */
class SamplingStepsTest {

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

    @Test
    void steps_sameFilesAsOneCall() {
        ObjectNode config = Json.mapper().createObjectNode().put("clusters", 3).put("perCluster", 2)
                .put("evalFraction", 0.25).put("seed", 11);

        SplitFixture.Run steps = SplitFixture.runSteps(store, SplitFixture.titan(bedrock), "steps-run",
                SplitFixture.dataset(SplitFixture.DATASET_KEY, SplitFixture.BAD_LINES), config);
        ObjectNode oneCallInput = Json.mapper().createObjectNode().put("runId", "one-call-run")
                .put("datasetKey", SplitFixture.DATASET_KEY).put("maxBadRows", SplitFixture.BAD_LINES);
        oneCallInput.set("config", config);
        JsonNode oneCall = S3TestStore.invoke(new SamplingHandler(store, SplitFixture.titan(bedrock), 4), oneCallInput,
                TestSupport.context("req-one-call"));

        JsonNode written = steps.splits();
        for (String file : new String[] {"trainKey", "evalKey", "sampleKey", "manifestKey", "rejectsKey"}) {
            assertThat(text(written.get(file).asText())).as(file).isEqualTo(text(oneCall.get(file).asText()));
        }
        for (String count : new String[] {"rows", "train", "eval", "sample", "rejected"}) {
            assertThat(written.get(count).asInt()).as(count).isEqualTo(oneCall.get(count).asInt());
        }
        assertThat(written.get("embeddingModelId").asText()).isEqualTo(oneCall.get("embeddingModelId").asText());
        assertThat(written.get("rows").asInt()).isEqualTo(SplitFixture.VALID_ROWS);
        assertThat(written.get("rejected").asInt()).isEqualTo(SplitFixture.BAD_LINES);
        assertThat(written.get("train").asInt() + written.get("eval").asInt()).isEqualTo(SplitFixture.VALID_ROWS);
        assertThat(written.get("eval").asInt()).isPositive();
        JsonNode manifest = S3TestStore.readJson(store, written.get("manifestKey").asText());
        assertThat(manifest.path("totals").path("strata").asInt()).isEqualTo(4);
        assertThat(manifest.path("totals").path("duplicateGroups").asInt()).isEqualTo(2);
        assertThat(manifest.path("totals").path("crossStratumGroups").asInt()).isEqualTo(1);
    }

    private String text(String key) {
        return new String(store.readAllBytes(key), StandardCharsets.UTF_8);
    }
}
