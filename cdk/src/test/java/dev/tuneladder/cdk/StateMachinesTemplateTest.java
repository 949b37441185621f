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
    /** The CDK bootstrap bucket for file assets, with the default qualifier, in the test environment. */
    private static final String ASSETS_BUCKET = "cdk-hnb659fds-assets-123456789012-us-east-1";

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
    void onlyFineTuningPassesRoles() {
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
        List<String> writes = trainingRoleStatements().stream().map(Object::toString)
                .filter(s -> s.contains("s3:PutObject")).toList();

        assertThat(writes).hasSize(1);
        assertThat(writes.get(0)).contains("/runs/*/training/*]").doesNotContain("training-data");
        assertThat(trainingRoleStatements().toString()).contains("repository/huggingface-pytorch-training");
    }

    @Test
    void trainingRoleReadsOnlyTrainingData() {
        List<String> dataBucketReads = trainingRoleStatements().stream().map(Object::toString)
                .filter(s -> s.contains("s3:GetObject*")).toList();

        assertThat(dataBucketReads).hasSize(1);
        assertThat(dataBucketReads.get(0)).contains("/runs/*/training-data/*]")
                .doesNotContain("/runs/*]").doesNotContain("Arn]}, /*]");
    }

    @Test
    void trainingRoleReadsSourceArchiveObjectOnly() {
        String assetHash = TestStacks.serverless().trainingSource.asset.getAssetHash();
        List<String> assetStatements = trainingRoleStatements().stream().map(Object::toString)
                .filter(s -> s.contains(ASSETS_BUCKET)).toList();

        assertThat(assetStatements).hasSize(1);
        assertThat(assetStatements.get(0)).isEqualTo("{Action=s3:GetObject, Effect=Allow, Resource=arn:aws:s3:::"
                + ASSETS_BUCKET + "/" + assetHash + ".gz}");
    }

    @Test
    void trainingSourceUriIsArchiveAssetUrl() {
        String assetHash = TestStacks.serverless().trainingSource.asset.getAssetHash();
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine",
                Map.of("Properties", Map.of("StateMachineName", "Tuneladder-fine-tuning")));
        assertThat(machines).hasSize(1);
        Map<?, ?> properties = (Map<?, ?>) machines.values().iterator().next().get("Properties");
        Map<?, ?> values = (Map<?, ?>) properties.get("DefinitionSubstitutions");

        assertThat(values.get("TrainingSourceUri")).isEqualTo("s3://" + ASSETS_BUCKET + "/" + assetHash + ".gz");
    }

    @Test
    void baseModelPrefixLetsTrainingRoleReadIt() {
        String assetHash = TestStacks.baseModelPrefix().trainingSource.asset.getAssetHash();
        List<Object> statements = new ArrayList<>(statementsOfTrainingRole(TestStacks.baseModelPrefixTemplate()));

        // The feature flag minimizePolicies merges the two s3:GetObject statements into one.
        Map<?, ?> getObject = statements.stream().map(Map.class::cast)
                .filter(s -> "s3:GetObject".equals(s.get("Action"))).findFirst().orElseThrow();
        assertThat(((List<?>) getObject.get("Resource")).stream().map(Object::toString)).containsExactlyInAnyOrder(
                "arn:aws:s3:::" + ASSETS_BUCKET + "/" + assetHash + ".gz",
                "arn:aws:s3:::" + TestStacks.BASE_MODEL_BUCKET + "/llama-3.1-8b-instruct/*");
        assertThat(statements).contains(Map.of("Action", "s3:ListBucket", "Effect", "Allow",
                "Resource", "arn:aws:s3:::" + TestStacks.BASE_MODEL_BUCKET,
                "Condition", Map.of("StringLike", Map.of("s3:prefix", "llama-3.1-8b-instruct/*"))));
        assertThat(trainingRoleStatements().toString()).doesNotContain(TestStacks.BASE_MODEL_BUCKET);
    }

    private List<?> trainingRoleStatements() {
        return statementsOfTrainingRole(template);
    }

    private static List<?> statementsOfTrainingRole(Template template) {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        return policies.entrySet().stream()
                .filter(e -> e.getKey().startsWith("TrainingRolesSageMakerTraining"))
                .map(e -> (Map<?, ?>) ((Map<?, ?>) e.getValue().get("Properties")).get("PolicyDocument"))
                .map(document -> (List<?>) document.get("Statement"))
                .findFirst().orElseThrow();
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
