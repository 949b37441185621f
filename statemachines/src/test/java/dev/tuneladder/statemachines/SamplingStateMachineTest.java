package dev.tuneladder.statemachines;

import static dev.tuneladder.statemachines.LoopbackLambda.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplingStateMachineTest {

  @TempDir Path workDir;
  private LoopbackLambda lambda;

  @BeforeEach
  void startLambda() throws Exception {
    lambda = new LoopbackLambda();
  }

  @AfterEach
  void stopLambda() {
    lambda.close();
  }

  @Test
  void runEmbedsClustersAndWritesSplits() throws Exception {
    lambda.function("embed-batch",
            ok("{\"offset\":0,\"count\":2,\"embeddingsKey\":\"runs/split-1/split/embeddings/0000000000.bin\"}"))
        .function("cluster-strata", ok("{\"clustersKey\":\"runs/split-1/split/clusters.jsonl\",\"rows\":5,\"strata\":2}"))
        .function("draw-and-split", ok("{\"drawKey\":\"runs/split-1/split/draw.json\",\"rows\":5,\"train\":4,"
            + "\"eval\":1,\"sample\":3}"))
        .function("write-splits", ok("{\"manifestKey\":\"runs/split-1/split/manifest.json\"}"));

    LocalExecution.Result result = LocalExecution.run("sampling.asl.json",
        LocalExecution.sampleInput("sampling.json"), lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(lambda.callsTo("function:embed-batch")).extracting(b -> b.path("offset").asInt())
        .containsExactlyInAnyOrder(0, 2, 4);
    assertThat(lambda.callsTo("function:embed-batch")).allSatisfy(b -> {
      assertThat(b.path("limit").asInt()).isEqualTo(2);
      assertThat(b.path("dataset").path("key").asText()).isEqualTo("datasets/banking77/interactions.jsonl");
    });
    JsonNode cluster = lambda.callsTo("function:cluster-strata").get(0);
    assertThat(cluster.path("embeddings").size()).isEqualTo(3);
    assertThat(cluster.path("config").path("seed").asInt()).isEqualTo(17);
    JsonNode draw = lambda.callsTo("function:draw-and-split").get(0);
    assertThat(draw.path("clustersKey").asText()).isEqualTo("runs/split-1/split/clusters.jsonl");
    assertThat(draw.path("embeddings").size()).isEqualTo(3);
    assertThat(lambda.callsTo("function:write-splits").get(0).path("drawKey").asText())
        .isEqualTo("runs/split-1/split/draw.json");
    assertThat(result.output().path("splits").path("manifestKey").asText())
        .isEqualTo("runs/split-1/split/manifest.json");
  }
}
