package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.sampling.SamplerConfig;
import dev.tuneladder.core.sampling.SplitResult;
import dev.tuneladder.core.sampling.SplitWriter;
import dev.tuneladder.core.sampling.StratifiedSampler;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The four sampling steps in order, against one {@link StratifiedSampler#split} call on the same rows and the same
 * Titan embeddings: the files must be byte-identical. The one call fits k-means inside the split, where the steps
 * store the assignments and rebuild the clusterings, so this checks the step boundaries lose nothing.
 */
class SamplingStepsTest {

    @RegisterExtension
    static WireMockExtension bedrock = TestSupport.bedrock();

    @RegisterExtension
    final S3ProxyExtension server = S3TestStore.extension();

    private S3Client client;
    private S3BlobStore store;
    private byte[] dataset;

    @BeforeEach
    void setUp() {
        client = S3TestStore.clientWithBucket(server);
        store = S3TestStore.store(client);
        SplitFixture.stubTitan(bedrock);
        dataset = SplitFixture.writeDataset(store, SplitFixture.DATASET_KEY);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void steps_sameFilesAsOneCall() throws Exception {
        ObjectNode configInput = Json.mapper().createObjectNode().put("clusters", 3).put("perCluster", 2)
                .put("evalFraction", 0.25).put("seed", 11);
        SamplerConfig config = SamplerConfig.defaults().withClustersPerStratum(3).withPerCluster(2)
                .withEvalFraction(0.25).withSeed(11);

        JsonNode written = SplitFixture.runSteps(store, SplitFixture.titan(bedrock), "steps-run",
                SplitFixture.dataset(SplitFixture.DATASET_KEY, SplitFixture.BAD_LINES), configInput).splits();

        BadRows badRows = new BadRows(SplitFixture.BAD_LINES);
        List<Interaction> rows = JsonLines.readInteractions(new StringReader(new String(dataset,
                StandardCharsets.UTF_8)), store.location(SplitFixture.DATASET_KEY), badRows);
        Embedder titan = SplitFixture.titan(bedrock);
        List<float[]> vectors = titan.embedAll(rows.stream().map(Interaction::lastUserText).toList());
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dataset));
        SplitResult oneCall = StratifiedSampler.split(rows, vectors, config, titan.modelId(),
                Map.of(SplitFixture.DATASET_KEY, sha256));

        assertThat(text(written.get("trainKey").asText())).isEqualTo(jsonLines(oneCall.train()));
        assertThat(text(written.get("evalKey").asText())).isEqualTo(jsonLines(oneCall.eval()));
        assertThat(text(written.get("sampleKey").asText())).isEqualTo(jsonLines(oneCall.sample()));
        assertThat(text(written.get("manifestKey").asText()))
                .isEqualTo(SplitWriter.manifestJson(oneCall.manifest()) + "\n");
        assertThat(text(written.get("rejectsKey").asText())).isEqualTo(jsonLines(badRows.rejected()));
        assertThat(written.get("embeddingModelId").asText()).isEqualTo(titan.modelId());
        assertThat(written.get("rows").asInt()).isEqualTo(SplitFixture.VALID_ROWS);
        assertThat(written.get("rejected").asInt()).isEqualTo(SplitFixture.BAD_LINES);
        assertThat(written.get("train").asInt() + written.get("eval").asInt()).isEqualTo(SplitFixture.VALID_ROWS);
        assertThat(written.get("eval").asInt()).isPositive();
        assertThat(oneCall.manifest().totals().strata()).isEqualTo(4);
        assertThat(oneCall.manifest().totals().duplicateGroups()).isEqualTo(2);
        assertThat(oneCall.manifest().totals().crossStratumGroups()).isEqualTo(1);
    }

    private String text(String key) {
        return new String(store.readAllBytes(key), StandardCharsets.UTF_8);
    }

    private static String jsonLines(List<?> rows) {
        StringWriter text = new StringWriter();
        JsonLines.write(text, rows);
        return text.toString();
    }
}
