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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The success path of {@code fine-tuning} with the real export-training-data, preflight (both checks),
 * evaluate-batch, aggregate, gate, promote and record-failure handlers over S3Proxy. The SageMaker and Bedrock
 * integrations are scripted with their documented response shapes. The test writes merged model files where an
 * uncompressed job's /opt/ml/model lands, and the training job's reply points at them.
 */
class FineTuningWithHandlersTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-15T18:00:00Z");
  private static final String RUN_ID = "ft-2026-01-15-planner-lora";
  private static final String ARTIFACTS_BUCKET = LocalExecution.SUBSTITUTIONS.get("ArtifactsBucketName");
  private static final String MODEL_FOLDER = "runs/" + RUN_ID + "/training/" + RUN_ID + "/output/model/";
  private static final String MODEL_ARN = "arn:aws:bedrock:us-east-1:123456789012:imported-model/y6xa1u2nc0px";
  private static final String IMPORT_JOB_ARN = "arn:aws:bedrock:us-east-1:123456789012:model-import-job/k2mrnb0xq7ta";
  private static final String TRAINING = "sagemaker:createTrainingJob.sync";
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
    lambda = new LoopbackLambda()
        .function("export-training-data", LocalHandlers.exportTrainingData(store))
        .function("preflight",
            LocalHandlers.preflight(bucket -> new S3BlobStore(client, S3BlobStoreSettings.forBucket(bucket))))
        .function("evaluate-batch", LocalHandlers.evaluateBatch(store))
        .function("aggregate", LocalHandlers.aggregate(store))
        .function("gate", LocalHandlers.gate(store))
        .function("promote", LocalHandlers.promote(store, clock))
        .function("record-failure", LocalHandlers.recordFailure(store, clock))
        .integration(TRAINING, ok(describeTrainingJob()))
        .integration(CREATE_IMPORT, ok("{\"JobArn\":\"" + IMPORT_JOB_ARN + "\"}"))
        .integration("aws-sdk:bedrock:getModelImportJob", ok("{\"JobArn\":\"" + IMPORT_JOB_ARN
            + "\",\"Status\":\"Completed\",\"ImportedModelArn\":\"" + MODEL_ARN + "\"}"));
  }

  @AfterEach
  void stop() {
    lambda.close();
    client.close();
  }

  /** The DescribeTrainingJob shape that .sync returns, for a completed job with uncompressed output. */
  private static String describeTrainingJob() {
    // NOTE: the API reference documents S3ModelArtifacts only as a model.tar.gz key; for uncompressed output this
    // reply assumes the folder. The state machine does not read it: it imports from the preflight's modelUri.
    return LoopbackLambda.json(Map.of(
        "TrainingJobName", RUN_ID,
        "TrainingJobArn", "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + RUN_ID,
        "TrainingJobStatus", "Completed",
        "SecondaryStatus", "Completed",
        "ModelArtifacts", Map.of("S3ModelArtifacts", "s3://" + ARTIFACTS_BUCKET + "/" + MODEL_FOLDER)));
  }

  private void write(S3BlobStore target, String key, String content) {
    target.write(key, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes twelve labelled rows as the sampling task writes a train split. */
  private void writeTrainSplit(String key) {
    StringBuilder lines = new StringBuilder();
    String[] intents = {"card_arrival", "top_up_by_cash_or_cheque", "lost_or_stolen_card"};
    for (int i = 0; i < 12; i++) {
      lines.append(String.format(Locale.ROOT, "{\"id\":\"train-%02d\",\"turns\":[{\"role\":\"user\","
          + "\"content\":\"question %d\"}],\"intent\":\"%s\"}%n", i, i, intents[i % intents.length]));
    }
    write(store, key, lines.toString());
  }

  /** Writes the baseline's outcomes on the candidate's evaluation rows, every one wrong. */
  private void writeBaselineOutcomes(String key) {
    String[][] rows = {{"b77-001", "card_arrival"}, {"b77-002", "top_up_by_bank_transfer_charge"},
        {"b77-003", "lost_or_stolen_card"}};
    StringBuilder lines = new StringBuilder();
    for (String[] row : rows) {
      lines.append(String.format(Locale.ROOT,
          "{\"id\":\"%s\",\"gold\":\"%s\",\"predicted\":\"balance_not_updated\",\"correct\":false}%n", row[0], row[1]));
    }
    write(store, key, lines.toString());
  }

  /** Writes the merged model folder that the training script saves to /opt/ml/model. */
  private void writeMergedModel() {
    S3BlobStore artifacts = new S3BlobStore(client, S3BlobStoreSettings.forBucket(ARTIFACTS_BUCKET));
    write(artifacts, MODEL_FOLDER + "model-00001-of-00001.safetensors", "0123456789");
    write(artifacts, MODEL_FOLDER + "config.json", "{\"architectures\":[\"LlamaForCausalLM\"]}");
    write(artifacts, MODEL_FOLDER + "tokenizer.json", "{}");
    write(artifacts, MODEL_FOLDER + "tokenizer.model", "sp");
    write(artifacts, MODEL_FOLDER + "tokenizer_config.json", "{\"chat_template\":\"{{ messages }}\"}");
  }

  @Test
  void successfulRunPromotesCandidate() throws Exception {
    ObjectNode input = (ObjectNode) LocalExecution.sampleInput("fine-tuning.json");
    JsonNode batchEvent =
        MAPPER.readTree(LocalExecution.MODULE.resolve("../test-events/evaluate-batch.json").toFile());
    ((ObjectNode) input.get("evaluation")).set("items", batchEvent.get("items").deepCopy());
    writeTrainSplit(input.path("dataset").path("trainKey").asText());
    writeBaselineOutcomes(input.path("baseline").path("outcomesKey").asText());
    writeMergedModel();

    LocalExecution.Result result = LocalExecution.run("fine-tuning.asl.json", input, lambda, workDir);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.output().path("outcome").asText()).isEqualTo("PROMOTED");
    assertThat(result.output().path("modelArn").asText()).isEqualTo(MODEL_ARN);
    assertThat(lambda.callsTo("function:record-failure")).isEmpty();

    String trainFile = "runs/" + RUN_ID + "/training-data/train/train.jsonl";
    assertThat(store.exists(trainFile)).isTrue();
    JsonNode training = lambda.callsTo("integration:" + TRAINING).get(0).path("parameters");
    assertThat(training.path("InputDataConfig").get(0).path("DataSource").path("S3DataSource").path("S3Uri").asText())
        .isEqualTo(store.name() + (store.name().endsWith("/") ? "" : "/") + "runs/" + RUN_ID
            + "/training-data/train/");
    assertThat(training.path("OutputDataConfig").path("CompressionType").asText()).isEqualTo("NONE");
    assertThat(training.path("HyperParameters").path("sagemaker_program").asText()).isEqualTo("train.py");
    assertThat(training.path("HyperParameters").path("base_model").asText())
        .isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(training.path("RoleArn").asText())
        .isEqualTo(LocalExecution.SUBSTITUTIONS.get("SageMakerTrainingRoleArn"));

    JsonNode importJob = lambda.callsTo("integration:" + CREATE_IMPORT).get(0).path("parameters");
    assertThat(importJob.path("ModelDataSource").path("S3DataSource").path("S3Uri").asText())
        .isEqualTo("s3://" + ARTIFACTS_BUCKET + "/" + MODEL_FOLDER);
    assertThat(store.exists("runs/" + RUN_ID + "-candidate/metrics.json")).isTrue();
    assertThat(new String(store.readAllBytes("runs/" + RUN_ID + "-candidate/outcomes.jsonl"),
        StandardCharsets.UTF_8).lines()).hasSize(3);

    String reason = result.output().path("reason").asText();
    assertThat(reason).startsWith("Promoted");
    JsonNode current = MAPPER.readTree(store.readAllBytes("runs/promotions/current.json"));
    assertThat(current.path("promotedModelArn").asText()).isEqualTo(MODEL_ARN);
    assertThat(current.path("runId").asText()).isEqualTo(RUN_ID);
    assertThat(current.path("reason").asText()).isEqualTo(reason);
    assertThat(current.path("promotedAt").asText()).isEqualTo(NOW.toString());
  }
}
