package dev.tuneladder.statemachines;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tuneladder.statemachines.LoopbackLambda.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.handlers.LocalHandlers;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The success path of {@code fine-tuning} with the real export-training-data, preflight (both checks),
 * evaluate-batch, aggregate, gate, promote and record-failure handlers over S3Proxy. The SageMaker and Bedrock
 * integrations are scripted with their documented response shapes. The test writes merged model files where an
 * uncompressed job's /opt/ml/model lands, and the training job's reply points at them. evaluate-batch calls the
 * imported candidate through InvokeModel on a WireMock server at 127.0.0.1, whose scripted replies decide the gate.
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

  /** The SDK percent-encodes the whole model ARN as one path segment. */
  private static final String INVOKE_PATH =
      "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aimported-model%2Fy6xa1u2nc0px/invoke";
  private static final String[][] EVALUATION_ROWS = {{"b77-001", "card_arrival"},
      {"b77-002", "top_up_by_bank_transfer_charge"}, {"b77-003", "lost_or_stolen_card"}};

  @RegisterExtension
  final S3ProxyExtension s3 = LoopbackS3.extension();

  @RegisterExtension
  final WireMockExtension bedrock = WireMockExtension.newInstance()
      .options(WireMockConfiguration.wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
      .build();

  @TempDir Path workDir;
  private LoopbackLambda lambda;
  private S3Client client;
  private S3BlobStore store;
  private BedrockRuntimeClient runtime;

  @BeforeEach
  void start() throws Exception {
    client = LoopbackS3.clientWithBucket(s3);
    client.createBucket(request -> request.bucket(ARTIFACTS_BUCKET));
    store = LoopbackS3.store(client);
    runtime = new AwsClientFactory(Region.US_EAST_1, URI.create("http://127.0.0.1:" + bedrock.getPort()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTSTUB0000", "dummy-secret")),
        Duration.ofSeconds(2), Duration.ofSeconds(10), 4).bedrockRuntime();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    lambda = new LoopbackLambda()
        .function("export-training-data", LocalHandlers.exportTrainingData(store))
        .function("preflight",
            LocalHandlers.preflight(bucket -> new S3BlobStore(client, S3BlobStoreSettings.forBucket(bucket))))
        .function("evaluate-batch", LocalHandlers.evaluateBatch(store, runtime))
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
    runtime.close();
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

  /** Writes the baseline's outcomes on the candidate's evaluation rows, all correct or all wrong. */
  private void writeBaselineOutcomes(String key, boolean correct) {
    StringBuilder lines = new StringBuilder();
    for (String[] row : EVALUATION_ROWS) {
      lines.append(String.format(Locale.ROOT, "{\"id\":\"%s\",\"gold\":\"%s\",\"predicted\":\"%s\",\"correct\":%s}%n",
          row[0], row[1], correct ? row[1] : "balance_not_updated", correct));
    }
    write(store, key, lines.toString());
  }

  /**
   * Makes the candidate route the row whose text contains {@code text} to {@code intent}, in InvokeModel's
   * OpenAI chat completion shape with the route call's arguments as a JSON string.
   */
  private void candidateAnswers(String text, String intent) {
    bedrock.stubFor(post(urlEqualTo(INVOKE_PATH)).withRequestBody(containing(text)).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json").withHeader("x-amzn-RequestId", "req-1")
        .withBody("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"route\",\"arguments\":"
            + "\"{\\\"intent\\\": \\\"" + intent + "\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],"
            + "\"usage\":{\"prompt_tokens\":150,\"completion_tokens\":8,\"total_tokens\":158}}")));
  }

  /** Runs the pipeline on the sample input, evaluating the candidate on the model-mode sample batch's rows. */
  private LocalExecution.Result runPipeline(boolean baselineCorrect) throws Exception {
    ObjectNode input = (ObjectNode) LocalExecution.sampleInput("fine-tuning.json");
    JsonNode batchEvent =
        MAPPER.readTree(LocalExecution.MODULE.resolve("../test-events/evaluate-batch-model.json").toFile());
    ((ObjectNode) input.get("evaluation")).set("items", batchEvent.get("Items").deepCopy());
    writeTrainSplit(input.path("dataset").path("trainKey").asText());
    writeBaselineOutcomes(input.path("baseline").path("outcomesKey").asText(), baselineCorrect);
    writeMergedModel();
    return LocalExecution.run("fine-tuning.asl.json", input, lambda, workDir);
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
    candidateAnswers("My card still hasn", "card_arrival");
    candidateAnswers("bank transfer", "top_up_by_cash_or_cheque");
    candidateAnswers("I lost my card", "lost_or_stolen_card");

    LocalExecution.Result result = runPipeline(false);

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
    List<String> outcomes = new String(store.readAllBytes("runs/" + RUN_ID + "-candidate/outcomes.jsonl"),
        StandardCharsets.UTF_8).lines().toList();
    assertThat(outcomes).hasSize(3);
    assertThat(outcomes).filteredOn(line -> line.contains("\"correct\":true")).hasSize(2);
    assertThat(outcomes).allSatisfy(line -> assertThat(line).contains(MODEL_ARN).contains("\"inputTokens\":150"));
    assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH)))).hasSize(3);
    JsonNode request = MAPPER.readTree(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH))).get(0)
        .getBodyAsString());
    List<String> offered = new ArrayList<>();
    request.at("/tools/0/function/parameters/properties/intent/enum").forEach(label -> offered.add(label.asText()));
    assertThat(offered).as("the labels of the export's manifest")
        .containsExactly("card_arrival", "lost_or_stolen_card", "top_up_by_cash_or_cheque");

    String reason = result.output().path("reason").asText();
    assertThat(reason).startsWith("Promoted");
    JsonNode current = MAPPER.readTree(store.readAllBytes("runs/promotions/current.json"));
    assertThat(current.path("promotedModelArn").asText()).isEqualTo(MODEL_ARN);
    assertThat(current.path("runId").asText()).isEqualTo(RUN_ID);
    assertThat(current.path("reason").asText()).isEqualTo(reason);
    assertThat(current.path("promotedAt").asText()).isEqualTo(NOW.toString());
  }

  @Test
  void worseCandidateIsRejected() throws Exception {
    candidateAnswers("My card still hasn", "top_up_by_cash_or_cheque");
    candidateAnswers("bank transfer", "card_arrival");
    candidateAnswers("I lost my card", "card_arrival");

    LocalExecution.Result result = runPipeline(true);

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.output().path("outcome").asText()).isEqualTo("REJECTED");
    assertThat(result.output().path("modelArn").asText()).isEqualTo(MODEL_ARN);
    assertThat(lambda.callsTo("function:promote")).isEmpty();
    assertThat(lambda.callsTo("function:record-failure")).isEmpty();
    assertThat(store.exists("runs/promotions/current.json")).isFalse();
    assertThat(new String(store.readAllBytes("runs/" + RUN_ID + "-candidate/outcomes.jsonl"),
        StandardCharsets.UTF_8).lines()).noneMatch(line -> line.contains("\"correct\":true"));
    assertThat(bedrock.findAll(postRequestedFor(urlEqualTo(INVOKE_PATH)))).hasSize(3);
  }
}
