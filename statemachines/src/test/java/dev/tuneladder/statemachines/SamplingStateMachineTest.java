package dev.tuneladder.statemachines;

import static dev.tuneladder.statemachines.LoopbackLambda.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;

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
    lambda.function("embed-batch", ok("{\"vectorsKey\":\"runs/split-1/vectors/part.bin\"}"))
        .function("cluster-strata", ok("{\"clustersKey\":\"runs/split-1/clusters.json\"}"))
        .function("draw-and-split", ok("{\"trainRows\":4,\"evalRows\":1}"))
        .function("write-splits", ok("{\"manifestKey\":\"runs/split-1/manifest.json\"}"));

    LocalExecution.Result result = LocalExecution.run("sampling.asl.json",
        LocalExecution.sampleInput("sampling.json"), lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(lambda.callsTo("function:embed-batch")).extracting(b -> b.path("offset").asInt())
        .containsExactlyInAnyOrder(0, 2, 4);
    assertThat(lambda.callsTo("function:cluster-strata").get(0).path("embeddings").size()).isEqualTo(3);
    assertThat(lambda.callsTo("function:write-splits").get(0).path("draw").path("evalRows").asInt()).isEqualTo(1);
    assertThat(result.output().path("splits").path("manifestKey").asText()).isEqualTo("runs/split-1/manifest.json");
  }
}
