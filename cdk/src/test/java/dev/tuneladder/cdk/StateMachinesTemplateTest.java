package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class StateMachinesTemplateTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private final Template template = TestStacks.serverlessTemplate();

    @Test
    void everyPlaceholderInDefinitionsIsSubstituted() throws IOException {
        Map<String, Map<String, String>> substitutions = TestStacks.serverless().stateMachines.substitutions();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(
                TestStacks.REPOSITORY_ROOT.resolve("statemachines"), "*.asl.json")) {
            stream.forEach(files::add);
        }
        assertThat(files).hasSize(3);

        for (Path file : files) {
            String stem = file.getFileName().toString().replace(".asl.json", "");
            Set<String> placeholders = placeholders(Files.readString(file));
            assertThat(substitutions).as("state machine for %s", file).containsKey(stem);
            assertThat(substitutions.get(stem).keySet()).as("substitutions for the placeholders of %s", file)
                    .containsAll(placeholders);
            assertThat(placeholders).as("placeholders of %s that the stack substitutes", file)
                    .containsAll(substitutions.get(stem).keySet());
        }
    }

    @Test
    void templateSubstitutesFunctionsWithAliases() {
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(3);
        for (Map<String, Object> machine : machines.values()) {
            Map<?, ?> properties = (Map<?, ?>) machine.get("Properties");
            Map<?, ?> values = (Map<?, ?>) properties.get("DefinitionSubstitutions");
            values.forEach((key, value) -> {
                if (key.toString().endsWith("FunctionArn")) {
                    assertThat(value.toString()).as("%s", key).matches("\\{Ref=Functions[A-Za-z]+Alias[0-9A-F]+}");
                }
            });
            assertThat(properties.get("DefinitionString").toString()).doesNotContain("DefinitionS3Location");
        }
    }

    @Test
    void machinesLogWithoutExecutionDataAndTrace() {
        template.allResourcesProperties("AWS::StepFunctions::StateMachine", Map.of(
                "StateMachineType", "STANDARD",
                "TracingConfiguration", Map.of("Enabled", true),
                "LoggingConfiguration", Map.of(
                        "Level", "ALL",
                        "IncludeExecutionData", false,
                        "Destinations", List.of(Map.of("CloudWatchLogsLogGroup", Match.anyValue())))));
    }

    @Test
    void failedExecutionsRaiseAlarms() {
        template.resourceCountIs("AWS::CloudWatch::Alarm", 3);
        template.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ExecutionsFailed",
                "Namespace", "AWS/States",
                "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("Alarms.*")))));
    }

    @Test
    void onlyFineTuningPassesRolesEachToItsService() {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        List<String> passing = new ArrayList<>();
        policies.forEach((id, policy) -> {
            String document = ((Map<?, ?>) policy.get("Properties")).get("PolicyDocument").toString();
            if (document.contains("iam:PassRole")) {
                passing.add(id);
                assertThat(document).contains("iam:PassedToService=sagemaker.amazonaws.com")
                        .contains("iam:PassedToService=bedrock.amazonaws.com");
            }
        });
        assertThat(passing).hasSize(1).allMatch(id -> id.startsWith("StateMachinesFineTuningRole"));
    }

    @Test
    void trainingIsLimitedToConfiguredInstanceTypes() {
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", "sagemaker:CreateTrainingJob",
                        "Condition", Map.of("ForAllValues:StringEquals", Map.of("sagemaker:InstanceTypes",
                                List.of("ml.g5.12xlarge", "ml.g5.24xlarge", "ml.g5.48xlarge"))))))))));
    }

    @Test
    void bedrockImportRoleTrustMatchesDocumentedPolicy() {
        template.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Map.of("Statement",
                List.of(Map.of(
                        "Effect", "Allow",
                        "Action", "sts:AssumeRole",
                        "Principal", Map.of("Service", "bedrock.amazonaws.com"),
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", "123456789012"),
                                "ArnEquals", Map.of("aws:SourceArn",
                                        "arn:aws:bedrock:us-east-1:123456789012:model-import-job/*")))))));
    }

    @Test
    void trainingRoleWritesOnlyTrainingOutput() {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        List<?> statements = policies.entrySet().stream()
                .filter(e -> e.getKey().startsWith("TrainingRolesSageMakerTraining"))
                .map(e -> (Map<?, ?>) ((Map<?, ?>) e.getValue().get("Properties")).get("PolicyDocument"))
                .map(document -> (List<?>) document.get("Statement"))
                .findFirst().orElseThrow();

        List<String> writes = statements.stream().map(Object::toString).filter(s -> s.contains("s3:PutObject"))
                .toList();
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0)).contains("/runs/*/training/*]");
        assertThat(statements.toString()).contains("repository/huggingface-pytorch-training");
    }

    private static Set<String> placeholders(String definition) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
