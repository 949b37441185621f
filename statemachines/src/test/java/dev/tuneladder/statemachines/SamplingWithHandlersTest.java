package dev.tuneladder.statemachines;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.bedrock.BedrockTitanEmbedder;
import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.handlers.LocalHandlers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sampling} with the real embed-batch, cluster-strata, draw-and-split, write-splits and record-failure
 * handlers behind the loopback Invoke endpoint, over a run bucket on S3Proxy, with embed-batch's Titan calls sent
 * to a WireMock stub on 127.0.0.1 that returns a vector derived from each text.
 */
class SamplingWithHandlersTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-15T11:00:00Z");
  private static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
  private static final int DIMENSIONS = 256;
  private static final List<String> TOPICS = List.of("card", "balance", "transfer");
  /** Valid rows of the dataset; a tenth line is not JSON. */
  private static final int ROWS = 9;

  @RegisterExtension
  final S3ProxyExtension s3 = LoopbackS3.extension();

  @RegisterExtension
  static WireMockExtension bedrock = WireMockExtension.newInstance()
      .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()).build();

  @TempDir Path workDir;
  private LoopbackLambda lambda;
  private S3Client client;
  private S3BlobStore store;
  private ObjectNode input;

  @BeforeEach
  void start() throws Exception {
    client = LoopbackS3.clientWithBucket(s3);
    store = LoopbackS3.store(client);
    AwsClientFactory titanClients = new AwsClientFactory(Region.US_EAST_1,
        URI.create("http://127.0.0.1:" + bedrock.getPort()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTSTUB0000", "dummy-secret")),
        Duration.ofSeconds(2), Duration.ofSeconds(10), 4);
    BedrockTitanEmbedder titan = new BedrockTitanEmbedder(titanClients.bedrockRuntime(),
        TitanEmbeddingSettings.DEFAULTS.withDimensions(DIMENSIONS));
    lambda = new LoopbackLambda()
        .function("embed-batch", LocalHandlers.embedBatch(store, titan, 3))
        .function("cluster-strata", LocalHandlers.clusterStrata(store))
        .function("draw-and-split", LocalHandlers.drawAndSplit(store))
        .function("write-splits", LocalHandlers.writeSplits(store))
        .function("record-failure", LocalHandlers.recordFailure(store, Clock.fixed(NOW, ZoneOffset.UTC)));

    input = (ObjectNode) LocalExecution.sampleInput("sampling.json");
    ((ObjectNode) input.get("dataset")).put("maxBadRows", 1);
    input.put("rowCount", ROWS + 1).put("batchSize", 4);
    ((ObjectNode) input.get("config")).put("clusters", 2).put("perCluster", 1).put("evalFraction", 0.25);
    writeDataset(input.path("dataset").path("key").asText());
  }

  @AfterEach
  void stop() {
    lambda.close();
    client.close();
  }

  /** Writes 9 rows in two intents with a line that is not JSON after the fifth, and stubs Titan for each text. */
  private void writeDataset(String key) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      String utterance = TOPICS.get(i % 3) + " question " + i;
      ObjectNode row = MAPPER.createObjectNode().put("id", "row-" + i).put("intent", i < 5 ? "card" : "top_up");
      row.putArray("turns").addObject().put("role", "user").put("content", utterance);
      text.append(row).append('\n');
      if (i == 4) {
        text.append("{\"id\": \"broken\"\n");
      }
      bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).withRequestBody(matchingJsonPath("$.inputText", equalTo(utterance)))
          .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
              .withBody(titanResponse(utterance))));
    }
    store.write(key, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a Titan response whose vector is a bump on the axis of the text's topic plus noise seeded by the text. */
  private static String titanResponse(String text) {
    SplittableRandom random = new SplittableRandom(text.hashCode());
    StringBuilder json = new StringBuilder("{\"embedding\":[");
    for (int d = 0; d < DIMENSIONS; d++) {
      double value = d < 8 ? random.nextGaussian() : 0;
      if (d == 8 + TOPICS.indexOf(text.split(" ")[0])) {
        value += 3;
      }
      json.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", value));
    }
    return json.append("],\"inputTextTokenCount\":4}").toString();
  }

  @Test
  void runWritesSplitsOfEveryRow() throws Exception {
    String runId = input.path("runId").asText();

    LocalExecution.Result result = LocalExecution.run("sampling.asl.json", input, lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(lambda.callsTo("function:embed-batch")).extracting(call -> call.path("offset").asInt())
        .containsExactlyInAnyOrder(0, 4, 8);
    assertThat(lambda.callsTo("function:record-failure")).isEmpty();
    bedrock.verify(ROWS, postRequestedFor(urlEqualTo(TITAN_PATH)));
    JsonNode splits = result.output().path("splits");
    assertThat(splits.path("rows").asInt()).isEqualTo(ROWS);
    assertThat(splits.path("rejected").asInt()).isEqualTo(1);
    assertThat(splits.path("manifestKey").asText()).isEqualTo("runs/" + runId + "/split/manifest.json");
    Set<String> ids = new HashSet<>();
    lines(splits.path("trainKey").asText()).forEach(row -> ids.add(row.path("id").asText()));
    lines(splits.path("evalKey").asText()).forEach(row -> ids.add(row.path("id").asText()));
    assertThat(ids).hasSize(ROWS);
    assertThat(lines(splits.path("evalKey").asText())).hasSize(splits.path("eval").asInt()).isNotEmpty();
    assertThat(lines(splits.path("rejectsKey").asText())).singleElement()
        .satisfies(reject -> assertThat(reject.path("line").asInt()).isEqualTo(6));
    JsonNode manifest = MAPPER.readTree(store.readAllBytes(splits.path("manifestKey").asText()));
    assertThat(manifest.path("seed").asLong()).isEqualTo(17);
    assertThat(manifest.path("embeddingModelId").asText()).isEqualTo("amazon.titan-embed-text-v2:0");
    assertThat(manifest.path("strata").fieldNames()).toIterable().containsExactly("card", "top_up");
  }

  @Test
  void rowCountBelowRowsRecordsInvalidInput() throws Exception {
    String runId = input.path("runId").asText();
    input.put("rowCount", 4);

    LocalExecution.Result result = LocalExecution.run("sampling.asl.json", input, lambda, workDir);

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("dev.tuneladder.handlers.InvalidTaskInput");
    assertThat(result.cause()).contains("covers 4 of the 9 rows").contains("rowCount");
    assertThat(lambda.callsTo("function:cluster-strata")).hasSize(1);
    assertThat(lambda.callsTo("function:draw-and-split")).isEmpty();
    JsonNode failure = MAPPER.readTree(store.readAllBytes("runs/" + runId + "/failure.json"));
    assertThat(failure.path("error").asText()).isEqualTo("dev.tuneladder.handlers.InvalidTaskInput");
    assertThat(store.exists("runs/" + runId + "/split/manifest.json")).isFalse();
  }

  private List<JsonNode> lines(String key) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : new String(store.readAllBytes(key), StandardCharsets.UTF_8).split("\n")) {
      rows.add(MAPPER.readTree(line));
    }
    return rows;
  }
}
