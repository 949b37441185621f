package dev.tuneladder.statemachines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneladder.handlers.InvalidTaskInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Static checks on every statemachines/*.asl.json: the validator, retries, catches, placeholders, JSONPath only. */
class DefinitionsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> LAMBDA_SERVICE_ERRORS = List.of("Lambda.ServiceException",
      "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  static Stream<Path> definitions() throws IOException {
    try (Stream<Path> files = Files.list(LocalExecution.MODULE)) {
      List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(".asl.json")).sorted().toList();
      assertThat(found).extracting(p -> p.getFileName().toString())
          .contains("evaluation.asl.json", "fine-tuning.asl.json", "sampling.asl.json");
      return found.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("definitions")
  void definitionPassesAslValidator(Path definition) throws Exception {
    Process process = new ProcessBuilder(LocalExecution.NODE.toString(),
        LocalExecution.MODULE.resolve("node_modules/asl-validator/dist/bin/asl-validator.js").toString(),
        "--json-path", definition.toString())
        .redirectErrorStream(true)
        .start();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(printed).isZero();
  }

  @ParameterizedTest
  @MethodSource("definitions")
  void tasksRetryWithBackoffAndJitter(Path definition) throws Exception {
    for (Map.Entry<String, JsonNode> task : tasks(read(definition).path("States"), false)) {
      JsonNode retry = task.getValue().path("Retry");
      String resource = task.getValue().path("Resource").asText();
      List<String> expected = resource.equals("arn:aws:states:::lambda:invoke")
          ? LAMBDA_SERVICE_ERRORS
          : List.of(servicePrefix(resource));
      assertThat(retry).as("%s: Retry of %s", definition.getFileName(), task.getKey()).anySatisfy(retrier -> {
        List<String> errors = new ArrayList<>();
        retrier.path("ErrorEquals").forEach(e -> errors.add(e.asText()));
        if (expected.size() == 1) {
          assertThat(errors).allSatisfy(e -> assertThat(e).startsWith(expected.get(0)));
        } else {
          assertThat(errors).containsAll(expected);
        }
        assertThat(retrier.path("JitterStrategy").asText()).isEqualTo("FULL");
        assertThat(retrier.path("IntervalSeconds").asInt()).isPositive();
        assertThat(retrier.path("BackoffRate").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(retrier.path("MaxAttempts").asInt()).isBetween(3, 10);
      });
    }
  }

  /**
   * A handler's InvalidTaskInput fails the same way on every attempt, so no retrier may match it: neither by its
   * name nor through States.ALL or States.TaskFailed. The Catch checked below sends it to RecordFailure.
   */
  @ParameterizedTest
  @MethodSource("definitions")
  void tasksNeverRetryInvalidInput(Path definition) throws Exception {
    List<String> matchingInvalidInput = List.of(InvalidTaskInput.ERROR_NAME, "States.ALL", "States.TaskFailed");
    for (Map.Entry<String, JsonNode> task : tasks(read(definition).path("States"), false)) {
      for (JsonNode retrier : task.getValue().path("Retry")) {
        List<String> errors = new ArrayList<>();
        retrier.path("ErrorEquals").forEach(e -> errors.add(e.asText()));
        assertThat(errors).as("%s: Retry of %s", definition.getFileName(), task.getKey())
            .doesNotContainAnyElementsOf(matchingInvalidInput);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("definitions")
  void tasksCatchIntoRecordFailure(Path definition) throws Exception {
    JsonNode states = read(definition).path("States");
    List<String> checked = new ArrayList<>();
    states.fields().forEachRemaining(state -> {
      String type = state.getValue().path("Type").asText();
      if (!(type.equals("Task") || type.equals("Map")) || state.getKey().equals("RecordFailure")) {
        return;
      }
      checked.add(state.getKey());
      assertThat(state.getValue().path("Catch")).as("%s: Catch of %s", definition.getFileName(), state.getKey())
          .anySatisfy(catcher -> {
            assertThat(catcher.path("ErrorEquals").toString()).isEqualTo("[\"States.ALL\"]");
            assertThat(catcher.path("Next").asText()).isEqualTo("RecordFailure");
            assertThat(catcher.path("ResultPath").asText()).isEqualTo("$.failure");
          });
    });
    assertThat(checked).isNotEmpty();
    assertThat(states.path("RunFailed").path("Type").asText()).isEqualTo("Fail");
  }

  @ParameterizedTest
  @MethodSource("definitions")
  void definitionUsesJsonPathOnly(Path definition) throws Exception {
    String text = Files.readString(definition);
    assertThat(text).doesNotContain("JSONata").doesNotContain("{%");
  }

  @Test
  void placeholdersMatchSubstitutions() throws Exception {
    Set<String> placeholders = new TreeSet<>();
    for (Path definition : definitions().toList()) {
      Matcher matcher = PLACEHOLDER.matcher(Files.readString(definition));
      while (matcher.find()) {
        placeholders.add(matcher.group(1));
      }
    }
    assertThat(placeholders).containsExactlyInAnyOrderElementsOf(LocalExecution.SUBSTITUTIONS.keySet());
  }

  private static JsonNode read(Path definition) throws IOException {
    return MAPPER.readTree(definition.toFile());
  }

  /** Task states, including those inside Map item processors. */
  private static List<Map.Entry<String, JsonNode>> tasks(JsonNode states, boolean nested) {
    List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
    states.fields().forEachRemaining(state -> {
      if (state.getValue().path("Type").asText().equals("Task")) {
        found.add(state);
      }
      JsonNode processor = state.getValue().path("ItemProcessor");
      if (!processor.isMissingNode()) {
        found.addAll(tasks(processor.path("States"), true));
      }
    });
    return found;
  }

  /** The error prefix of a service integration: SageMaker., Bedrock., StepFunctions. */
  private static String servicePrefix(String resource) {
    if (resource.contains(":sagemaker:")) {
      return "SageMaker.";
    }
    if (resource.contains(":bedrock:")) {
      return "Bedrock.";
    }
    if (resource.contains(":states:startExecution")) {
      return "StepFunctions.";
    }
    throw new IllegalArgumentException("no retry rule known for resource " + resource
        + "; add its service's error prefix to DefinitionsTest.servicePrefix");
  }
}
