package dev.tuneladder.statemachines;

import static dev.tuneladder.statemachines.LoopbackLambda.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.handlers.LocalHandlers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The success path of {@code fine-tuning} with the real preflight (merged-artifacts check), evaluate-batch,
 * aggregate, gate, promote and record-failure handlers over S3Proxy. Scripted: export-training-data, the
 * training-inputs preflight (no handler implements that check), and the SageMaker and Bedrock integrations.
 */
class FineTuningWithHandlersTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-15T18:00:00Z");
  private static final String RUN_ID = "ft-2026-01-15-planner-lora";
  private static final String ARTIFACTS_BUCKET = LocalExecution.SUBSTITUTIONS.get("ArtifactsBucketName");
  private static final String MODEL_ARN = "arn:aws:bedrock:us-east-1:123456789012:imported-model/y6xa1u2nc0px";
  private static final String IMPORT_JOB_ARN = "arn:aws:bedrock:us-east-1:123456789012:model-import-job/k2mrnb0xq7ta";
  private static final String CREATE_IMPORT = "aws-sdk:bedrock:createModelImportJob";

  @RegisterExtension
  final S3ProxyExtension s3 = LoopbackS3.extension();

  @TempDir Path workDir;
  private LoopbackLambda lambda;
  private S3Client client;
  private S3BlobStore store;

  @BeforeEach
  void start() throws Exception {
    client = LoopbackS3.clientWithBucket(s3);
    client.createBucket(request -> request.bucket(ARTIFACTS_BUCKET));
    store = LoopbackS3.store(client);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    RequestStreamHandler preflight =
        LocalHandlers.preflight(bucket -> new S3BlobStore(client, S3BlobStoreSettings.forBucket(bucket)));
    lambda = new LoopbackLambda()
        .function("export-training-data", ok("{\"trainingDataS3Uri\":\"s3://tuneladder-data/runs/" + RUN_ID
            + "/training-data/\",\"rows\":1200}"))
        .function("preflight", scriptTrainingInputsCheck(preflight))
        .function("evaluate-batch", LocalHandlers.evaluateBatch(store))
        .function("aggregate", LocalHandlers.aggregate(store))
        .function("gate", LocalHandlers.gate(store))
        .function("promote", LocalHandlers.promote(store, clock))
        .function("record-failure", LocalHandlers.recordFailure(store, clock))
        .integration("sagemaker:createTrainingJob.sync", ok("{\"TrainingJobName\":\"" + RUN_ID
            + "\",\"TrainingJobStatus\":\"Completed\",\"ModelArtifacts\":{\"S3ModelArtifacts\":\"s3://"
            + ARTIFACTS_BUCKET + "/runs/" + RUN_ID + "/training/" + RUN_ID + "/output/model.tar.gz\"}}"))
        .integration(CREATE_IMPORT, ok("{\"JobArn\":\"" + IMPORT_JOB_ARN + "\"}"))
        .integration("aws-sdk:bedrock:getModelImportJob", ok("{\"JobArn\":\"" + IMPORT_JOB_ARN
            + "\",\"Status\":\"Completed\",\"ImportedModelArn\":\"" + MODEL_ARN + "\"}"));
  }

  @AfterEach
  void stop() {
    lambda.close();
    client.close();
  }

  /**
   * Returns a preflight function that replies to the training-inputs check with a passing report and runs
   * {@code real} for every other call.
   */
  private static RequestStreamHandler scriptTrainingInputsCheck(RequestStreamHandler real) {
    return (input, output, context) -> {
      byte[] request = input.readAllBytes();
      if ("TRAINING_INPUTS".equals(MAPPER.readTree(request).path("check").asText())) {
        output.write("{\"passed\":true}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      real.handleRequest(new ByteArrayInputStream(request), output, context);
    };
  }

  private void write(String key, String content) {
    store.write(key, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one outcome line per row: gold "a", predicted "a" when the row is right and "b" when not. */
  private void writeOutcomes(String key, boolean... correct) {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < correct.length; i++) {
      lines.append(String.format(Locale.ROOT,
          "{\"id\":\"r%d\",\"gold\":\"a\",\"predicted\":\"%s\",\"correct\":%s}%n",
          i + 1, correct[i] ? "a" : "b", correct[i]));
    }
    write(key, lines.toString());
  }

  private void writeMergedModelFolder() {
    S3BlobStore artifacts = new S3BlobStore(client, S3BlobStoreSettings.forBucket(ARTIFACTS_BUCKET));
    String folder = "runs/" + RUN_ID + "/merged/";
    artifacts.write(folder + "model-00001-of-00001.safetensors", "0123456789".getBytes(StandardCharsets.UTF_8));
    artifacts.write(folder + "config.json",
        "{\"architectures\":[\"LlamaForCausalLM\"]}".getBytes(StandardCharsets.UTF_8));
    artifacts.write(folder + "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
    artifacts.write(folder + "tokenizer.model", "sp".getBytes(StandardCharsets.UTF_8));
    artifacts.write(folder + "tokenizer_config.json",
        "{\"chat_template\":\"{{ messages }}\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void successfulRunPromotesCandidate() throws Exception {
    writeMergedModelFolder();
    writeOutcomes("runs/eval-2026-01-10-planner/outcomes.jsonl", true, false, true, false, true, false, true, false);
    writeOutcomes("runs/" + RUN_ID + "-candidate/outcomes.jsonl", true, true, true, true, true, true, true, true);
    ObjectNode input = (ObjectNode) LocalExecution.sampleInput("fine-tuning.json");
    JsonNode batchEvent =
        MAPPER.readTree(LocalExecution.MODULE.resolve("../test-events/evaluate-batch.json").toFile());
    ((ObjectNode) input.get("evaluation")).set("items", batchEvent.get("items").deepCopy());

    LocalExecution.Result result = LocalExecution.run("fine-tuning.asl.json", input, lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.output().path("outcome").asText()).isEqualTo("PROMOTED");
    assertThat(result.output().path("modelArn").asText()).isEqualTo(MODEL_ARN);
    assertThat(lambda.callsTo("function:record-failure")).isEmpty();
    JsonNode importJob = lambda.callsTo("integration:" + CREATE_IMPORT).get(0).path("parameters");
    assertThat(importJob.path("ModelDataSource").path("S3DataSource").path("S3Uri").asText())
        .isEqualTo("s3://" + ARTIFACTS_BUCKET + "/runs/" + RUN_ID + "/merged/");
    assertThat(store.exists("runs/" + RUN_ID + "-candidate/metrics.json")).isTrue();

    String reason = result.output().path("reason").asText();
    assertThat(reason).startsWith("Promoted");
    JsonNode current = MAPPER.readTree(store.readAllBytes("runs/promotions/current.json"));
    assertThat(current.path("promotedModelArn").asText()).isEqualTo(MODEL_ARN);
    assertThat(current.path("runId").asText()).isEqualTo(RUN_ID);
    assertThat(current.path("reason").asText()).isEqualTo(reason);
    assertThat(current.path("promotedAt").asText()).isEqualTo(NOW.toString());
  }
}
