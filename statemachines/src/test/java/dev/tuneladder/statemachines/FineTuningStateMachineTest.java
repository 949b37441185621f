package dev.tuneladder.statemachines;

import static dev.tuneladder.statemachines.LoopbackLambda.Reply.functionError;
import static dev.tuneladder.statemachines.LoopbackLambda.Reply.ok;
import static dev.tuneladder.statemachines.LoopbackLambda.Reply.serviceError;
import static dev.tuneladder.statemachines.LoopbackLambda.Reply.taskError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.RequestDocuments;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs fine-tuning.asl.json end to end. The SageMaker and Bedrock replies follow the documented DescribeTrainingJob
 * and CreateModelImportJob / GetModelImportJob response shapes, with the PascalCase keys Step Functions gives them.
 */
class FineTuningStateMachineTest {

  private static final String RUN_ID = "ft-2026-01-15-planner-lora";
  private static final String IMPORT_JOB_ARN = "arn:aws:bedrock:us-east-1:123456789012:model-import-job/k2mrnb0xq7ta";
  private static final String MODEL_ARN = "arn:aws:bedrock:us-east-1:123456789012:imported-model/y6xa1u2nc0px";
  private static final String TRAINING = "sagemaker:createTrainingJob.sync";
  private static final String TRAIN_URI = "s3://tuneladder-data/runs/" + RUN_ID + "/training-data/train/";
  private static final String MANIFEST_KEY = "runs/" + RUN_ID + "/training-data/manifest.json";
  private static final String MODEL_URI =
      "s3://tuneladder-artifacts-123456789012/runs/" + RUN_ID + "/training/" + RUN_ID + "/output/model/";
  private static final String CREATE_IMPORT = "aws-sdk:bedrock:createModelImportJob";
  private static final String GET_IMPORT = "aws-sdk:bedrock:getModelImportJob";

  @TempDir Path workDir;
  private LoopbackLambda lambda;

  @BeforeEach
  void scriptTheHappyPath() throws Exception {
    lambda = new LoopbackLambda()
        .function("export-training-data", ok("{\"trainingDataS3Uri\":\"" + TRAIN_URI
            + "\",\"trainExamples\":1200,\"manifestKey\":\"" + MANIFEST_KEY + "\"}"))
        .function("preflight", ok(preflightReport()))
        .integration(TRAINING, ok(describeTrainingJob("Completed", null)))
        .integration(CREATE_IMPORT, ok("{\"JobArn\":\"" + IMPORT_JOB_ARN + "\"}"))
        .integration(GET_IMPORT, ok(getModelImportJob("InProgress", null)), ok(getModelImportJob("Completed", null)))
        .function("evaluate-batch", ok("{\"rows\":1,\"routing\":{\"correct\":1,\"total\":1}}"))
        .function("aggregate", ok("{\"metricsKey\":\"runs/" + RUN_ID + "-candidate/metrics.json\"}"))
        .function("gate", ok("{\"promote\":true,\"reason\":\"macro F1 +0.041, 95% CI [0.012, 0.070]\"}"))
        .function("promote", ok("{\"registryKey\":\"promotions/planner.json\"}"))
        .function("record-failure", ok("{}"));
  }

  @AfterEach
  void stopLambda() {
    lambda.close();
  }

  @Test
  void successfulRunPromotesCandidate() throws Exception {
    LocalExecution.Result result = run();

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.output().path("outcome").asText()).isEqualTo("PROMOTED");
    assertThat(result.output().path("modelArn").asText()).isEqualTo(MODEL_ARN);
    assertThat(result.events("StateEntered", "GetImportStatus")).hasSize(2);

    JsonNode training = lambda.callsTo("integration:" + TRAINING).get(0).path("parameters");
    assertThat(training).isEqualTo(trainingJobRequest());
    JsonNode trainingPreflight = lambda.callsTo("function:preflight").get(0);
    assertThat(trainingPreflight.path("check").asText()).isEqualTo("TRAINING_INPUTS");
    assertThat(trainingPreflight.path("job").path("roleArn").asText())
        .isEqualTo(LocalExecution.SUBSTITUTIONS.get("SageMakerTrainingRoleArn"));
    assertThat(trainingPreflight.path("job").path("sourceUri").asText())
        .isEqualTo(LocalExecution.SUBSTITUTIONS.get("TrainingSourceUri"));
    assertThat(trainingPreflight.path("job").path("outputUri").asText())
        .isEqualTo("s3://tuneladder-artifacts-123456789012/runs/" + RUN_ID + "/training/");
    assertThat(trainingPreflight.path("export").path("trainingDataS3Uri").asText()).isEqualTo(TRAIN_URI);
    assertThat(lambda.callsTo("function:preflight").get(1).path("artifactsUri").asText()).isEqualTo(MODEL_URI);
    JsonNode importJob = lambda.callsTo("integration:" + CREATE_IMPORT).get(0).path("parameters");
    assertThat(importJob.path("ModelDataSource").path("S3DataSource").path("S3Uri").asText())
        .isEqualTo("s3://tuneladder-artifacts/runs/" + RUN_ID + "/merged/");
    assertThat(importJob.path("RoleArn").asText()).isEqualTo(LocalExecution.SUBSTITUTIONS.get("BedrockImportRoleArn"));

    JsonNode batch = lambda.callsTo("function:evaluate-batch").get(0);
    assertThat(batch.path("BatchInput").path("runId").asText()).isEqualTo(RUN_ID + "-candidate");
    assertThat(batch.path("BatchInput").path("evaluation").path("modelId").asText()).isEqualTo(MODEL_ARN);
    assertThat(batch.path("BatchInput").path("evaluation").path("trainingManifestKey").asText())
        .isEqualTo(MANIFEST_KEY);
    JsonNode gate = lambda.callsTo("function:gate").get(0);
    assertThat(gate.path("candidateOutcomesKey").asText()).isEqualTo("runs/" + RUN_ID + "-candidate/outcomes.jsonl");
    assertThat(gate.path("baselineOutcomesKey").asText()).isEqualTo("runs/eval-2026-01-10-planner/outcomes.jsonl");
    assertThat(gate.path("metric").asText()).isEqualTo("macroF1");
    assertThat(lambda.callsTo("function:promote")).singleElement()
        .satisfies(p -> assertThat(p.path("importedModelArn").asText()).isEqualTo(MODEL_ARN));
    assertThat(lambda.callsTo("function:record-failure")).isEmpty();
  }

  @Test
  void failedTrainingJobStopsBeforeImport() throws Exception {
    lambda.integration(TRAINING, taskError("States.TaskFailed", describeTrainingJob("Failed",
        "AlgorithmError: CUDA out of memory")));

    LocalExecution.Result result = run();

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("States.TaskFailed");
    assertThat(result.cause()).contains("CUDA out of memory");
    assertThat(recordedFailure().path("error").asText()).isEqualTo("States.TaskFailed");
    assertThat(lambda.callsTo("integration:" + CREATE_IMPORT)).isEmpty();
  }

  @Test
  void failedImportJobRecordsMessage() throws Exception {
    lambda.integration(GET_IMPORT, ok(getModelImportJob("Failed", "config.json: unsupported architecture")));

    LocalExecution.Result result = run();

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("Tuneladder.ModelImportFailed");
    assertThat(result.cause()).contains("unsupported architecture");
    assertThat(recordedFailure().path("error").asText()).isEqualTo("Tuneladder.ModelImportFailed");
    assertThat(lambda.callsTo("function:evaluate-batch")).isEmpty();
  }

  @Test
  void exhaustedPollBudgetFailsRun() throws Exception {
    lambda.integration(GET_IMPORT, ok(getModelImportJob("InProgress", null)));

    LocalExecution.Result result = run();

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("Tuneladder.ModelImportTimedOut");
    assertThat(result.cause()).isEqualTo("model import job " + IMPORT_JOB_ARN + " still InProgress after 3 polls");
    assertThat(result.events("StateEntered", "GetImportStatus")).hasSize(3);
    assertThat(lambda.callsTo("integration:" + GET_IMPORT)).hasSize(3);
    assertThat(recordedFailure().path("runId").asText()).isEqualTo(RUN_ID);
  }

  @Test
  void gateRejectionRecordsReason() throws Exception {
    lambda.function("gate", ok("{\"promote\":false,\"reason\":\"macro F1 -0.010, 95% CI [-0.031, 0.011]\"}"));

    LocalExecution.Result result = run();

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.output().path("outcome").asText()).isEqualTo("REJECTED");
    assertThat(result.output().path("reason").asText()).isEqualTo("macro F1 -0.010, 95% CI [-0.031, 0.011]");
    assertThat(lambda.callsTo("function:promote")).isEmpty();
  }

  @Test
  void throttledGateRetriedThenSucceeds() throws Exception {
    lambda.function("gate", serviceError(429, "TooManyRequestsException"),
        serviceError(429, "TooManyRequestsException"),
        ok("{\"promote\":true,\"reason\":\"macro F1 +0.041\"}"));

    LocalExecution.Result result = run();

    assertThat(result.status()).as(result.cause()).isEqualTo("SUCCEEDED");
    assertThat(result.events("StateRetried", "Gate")).hasSize(2);
    assertThat(lambda.callsTo("function:gate")).hasSize(3);
    assertThat(result.output().path("outcome").asText()).isEqualTo("PROMOTED");
  }

  @Test
  void gateExceptionRecordedWithoutRetry() throws Exception {
    lambda.function("gate", functionError("java.lang.IllegalArgumentException", "baseline metrics.json is missing"));

    LocalExecution.Result result = run();

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(result.events("StateRetried", "Gate")).isEmpty();
    assertThat(recordedFailure().path("cause").asText()).contains("baseline metrics.json is missing");
  }

  /** Builds the CreateTrainingJob request as the training-inputs preflight does, through RequestDocuments. */
  private static ObjectNode trainingJobRequest() {
    LoraTrainingSpec spec = LoraTrainingSpec.builder()
        .jobName(RUN_ID)
        .baseModel("meta-llama/Llama-3.1-8B-Instruct")
        .trainDataUri(TRAIN_URI)
        .outputUri("s3://tuneladder-artifacts-123456789012/runs/" + RUN_ID + "/training/")
        .trainingImageUri(LocalExecution.SUBSTITUTIONS.get("TrainingImageUri"))
        .roleArn(LocalExecution.SUBSTITUTIONS.get("SageMakerTrainingRoleArn"))
        .extraHyperParameters(Map.of("sagemaker_program", "train.py", "sagemaker_submit_directory",
            LocalExecution.SUBSTITUTIONS.get("TrainingSourceUri")))
        .build();
    ObjectNode request = RequestDocuments.createTrainingJob(spec);
    request.putArray("Tags");
    return request;
  }

  /** Returns one reply for both preflight checks, because each state reads only its own fields. */
  private static String preflightReport() {
    ObjectNode report = new ObjectMapper().createObjectNode()
        .put("passed", true)
        .put("location", "s3://tuneladder-artifacts/runs/" + RUN_ID + "/merged/")
        .put("modelUri", MODEL_URI);
    report.set("trainingJobRequest", trainingJobRequest());
    return report.toString();
  }

  private LocalExecution.Result run() throws Exception {
    return LocalExecution.run("fine-tuning.asl.json", LocalExecution.sampleInput("fine-tuning.json"), lambda, workDir);
  }

  private JsonNode recordedFailure() {
    return lambda.callsTo("function:record-failure").get(0);
  }

  private static String describeTrainingJob(String status, String failureReason) {
    String name = RUN_ID;
    var fields = new java.util.LinkedHashMap<String, Object>();
    fields.put("TrainingJobName", name);
    fields.put("TrainingJobArn", "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name);
    fields.put("TrainingJobStatus", status);
    fields.put("SecondaryStatus", status);
    fields.put("ModelArtifacts", Map.of("S3ModelArtifacts",
        "s3://tuneladder-artifacts-123456789012/runs/" + RUN_ID + "/training/" + name + "/output/model.tar.gz"));
    fields.put("AlgorithmSpecification", Map.of("TrainingImage", LocalExecution.SUBSTITUTIONS.get("TrainingImageUri"),
        "TrainingInputMode", "File"));
    fields.put("ResourceConfig", Map.of("InstanceType", "ml.g5.12xlarge", "InstanceCount", 1, "VolumeSizeInGB", 100));
    fields.put("StoppingCondition", Map.of("MaxRuntimeInSeconds", 14400));
    fields.put("TrainingTimeInSeconds", 2710);
    fields.put("BillableTimeInSeconds", 2710);
    if (failureReason != null) {
      fields.put("FailureReason", failureReason);
    }
    return LoopbackLambda.json(fields);
  }

  private static String getModelImportJob(String status, String failureMessage) {
    var fields = new java.util.LinkedHashMap<String, Object>();
    fields.put("JobArn", IMPORT_JOB_ARN);
    fields.put("JobName", "ft-2026-01-15-planner-lora-import");
    fields.put("ImportedModelName", "planner-lora-2026-01-15");
    fields.put("RoleArn", LocalExecution.SUBSTITUTIONS.get("BedrockImportRoleArn"));
    fields.put("ModelDataSource", Map.of("S3DataSource", Map.of("S3Uri",
        "s3://tuneladder-artifacts/runs/" + RUN_ID + "/merged/")));
    fields.put("Status", status);
    fields.put("CreationTime", "2026-01-15T10:42:00Z");
    if ("Completed".equals(status)) {
      fields.put("ImportedModelArn", MODEL_ARN);
      fields.put("EndTime", "2026-01-15T10:58:00Z");
    }
    if (failureMessage != null) {
      fields.put("FailureMessage", failureMessage);
      fields.put("EndTime", "2026-01-15T10:51:00Z");
    }
    return LoopbackLambda.json(fields);
  }
}
