package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class FunctionsTemplateTest {

    /** The key pattern in a rendered {@code Fn::Join} of a bucket ARN and {@code /pattern}. */
    private static final Pattern OBJECT_PATTERN = Pattern.compile("Arn]}, (/[^\\]]*)]");

    private final Template template = TestStacks.serverlessTemplate();

    @Test
    void everyHandlerHasOneFunctionWithSnapStart() {
        template.resourceCountIs("AWS::Lambda::Function", HandlerFunction.values().length);
        for (HandlerFunction spec : HandlerFunction.values()) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", "dev.tuneladder.handlers." + spec.handlerClass + "::handleRequest",
                    "Runtime", "java21",
                    "MemorySize", spec.memoryMegabytes,
                    "Timeout", spec.timeoutSeconds,
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    "LoggingConfig", Map.of("LogGroup", Match.anyValue())));
        }
    }

    @Test
    void everyFunctionHasLiveAliasOnItsVersion() {
        template.resourceCountIs("AWS::Lambda::Alias", HandlerFunction.values().length);
        template.resourceCountIs("AWS::Lambda::Version", HandlerFunction.values().length);
        Map<String, Map<String, Object>> aliases = template.findResources("AWS::Lambda::Alias");
        for (Map<String, Object> alias : aliases.values()) {
            Map<?, ?> properties = (Map<?, ?>) alias.get("Properties");
            assertThat(properties.get("Name")).isEqualTo("live");
            assertThat(properties.get("FunctionVersion").toString()).contains("Fn::GetAtt").contains("Version");
        }
    }

    @Test
    void logGroupsKeepConfiguredRetention() {
        // 15 functions, 3 state machines, the API's access log.
        template.resourceCountIs("AWS::Logs::LogGroup", HandlerFunction.values().length + 3 + 1);
        Map<String, Map<String, Object>> groups = template.findResources("AWS::Logs::LogGroup");
        for (Map<String, Object> group : groups.values()) {
            assertThat(((Map<?, ?>) group.get("Properties")).get("RetentionInDays")).isEqualTo(30);
        }
    }

    @Test
    void logGroupsAreEncryptedWithTheKey() {
        Map<String, Map<String, Object>> keys = template.findResources("AWS::KMS::Key");
        assertThat(keys).hasSize(1);
        String keyId = keys.keySet().iterator().next();

        Map<String, Map<String, Object>> groups = template.findResources("AWS::Logs::LogGroup");
        assertThat(groups).hasSize(HandlerFunction.values().length + 3 + 1);
        for (Map.Entry<String, Map<String, Object>> group : groups.entrySet()) {
            Map<?, ?> properties = (Map<?, ?>) group.getValue().get("Properties");
            assertThat(properties.get("KmsKeyId")).as("KmsKeyId of %s", group.getKey())
                    .isEqualTo(Map.of("Fn::GetAtt", List.of(keyId, "Arn")));
        }
    }

    @Test
    void environmentComesFromConstructAttributes() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", Match.stringLikeRegexp(".*FewShotSearchHandler.*"),
                "Environment", Map.of("Variables", Map.of(
                        "TUNELADDER_OPENSEARCH_ENDPOINT", Map.of("Fn::GetAtt", List.of(
                                Match.stringLikeRegexp("VectorIndexCollection.*"), "CollectionEndpoint")),
                        "TUNELADDER_OPENSEARCH_SERVICE", "aoss",
                        "TUNELADDER_FEWSHOT_INDEXES", "golden",
                        "TUNELADDER_EMBEDDING_MODEL_ID", "amazon.titan-embed-text-v2:0",
                        "TUNELADDER_EMBEDDING_DIMENSIONS", "1024"))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", Match.stringLikeRegexp(".*AggregateHandler.*"),
                "Environment", Map.of("Variables", Map.of(
                        "TUNELADDER_BUCKET", Map.of("Ref", Match.stringLikeRegexp("StorageData.*"))))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", Match.stringLikeRegexp(".*RunStatusHandler.*"),
                "Environment", Map.of("Variables", Map.of(
                        "TUNELADDER_EVALUATION_STATE_MACHINE_ARN",
                        "arn:aws:states:us-east-1:123456789012:stateMachine:Tuneladder-evaluation",
                        "TUNELADDER_FINE_TUNING_STATE_MACHINE_ARN",
                        "arn:aws:states:us-east-1:123456789012:stateMachine:Tuneladder-fine-tuning",
                        "TUNELADDER_SAMPLING_STATE_MACHINE_ARN",
                        "arn:aws:states:us-east-1:123456789012:stateMachine:Tuneladder-sampling"))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", Match.stringLikeRegexp(".*JudgeHandler.*"),
                "Environment", Map.of("Variables", Map.of(
                        "TUNELADDER_JUDGE_MODEL_ID", "us.anthropic.claude-3-5-haiku-20241022-v1:0"))));
    }

    @Test
    void runStatusNamesTheMachinesTheStackCreates() {
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        List<Object> names = machines.values().stream()
                .map(m -> ((Map<?, ?>) m.get("Properties")).get("StateMachineName")).map(Object.class::cast).toList();

        assertThat(names).containsExactlyInAnyOrder("Tuneladder-evaluation", "Tuneladder-fine-tuning",
                "Tuneladder-sampling");
    }

    @Test
    void judgeMayInvokeOnlyItsModel() {
        String policy = policyOf("FunctionsJudgeRole");

        assertThat(policy).contains("bedrock:InvokeModel")
                .contains("inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0")
                .contains("foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0")
                .doesNotContain("s3:");
    }

    @Test
    void evaluateBatchMayInvokeOnlyImportedModels() {
        String policy = policyOf("FunctionsEvaluateBatchRole");

        assertThat(policy).contains("bedrock:InvokeModel").contains(":imported-model/*")
                .doesNotContain("foundation-model").doesNotContain("inference-profile");
    }

    @Test
    void evaluateBatchMayInvokeConfiguredEvaluationModels() {
        List<Map<?, ?>> statements = statementsOf(TestStacks.evaluationModelsTemplate(),
                "FunctionsEvaluateBatchRole");

        List<Map<?, ?>> invokes = statements.stream()
                .filter(s -> actions(s).contains("bedrock:InvokeModel"))
                .toList();
        assertThat(invokes).hasSize(1);
        assertThat(actions(invokes.get(0))).containsExactly("bedrock:InvokeModel");
        assertThat(resources(invokes.get(0))).containsExactlyInAnyOrder(
                "arn:aws:bedrock:us-east-1:123456789012:imported-model/*",
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
                        + TestStacks.EVALUATION_PROFILE_ID,
                "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/" + TestStacks.EVALUATION_MODEL_ID);
    }

    @Test
    void bucketWritesAreLimitedToRuns() {
        String policy = policyOf("FunctionsAggregateRole");

        assertThat(policy).contains("s3:PutObject").contains("/runs/*").contains("s3:GetObject*");
        assertThat(policyOf("FunctionsGateRole")).doesNotContain("s3:PutObject");
        assertThat(policyOf("FunctionsFewShotSearchRole")).doesNotContain("s3:").contains("aoss:APIAccessAll");
    }

    @Test
    void exportWritesAndDeletesOnlyTrainingData() {
        List<Map<?, ?>> statements = statementsOf("FunctionsExportTrainingDataRole");

        List<Map<?, ?>> changes = statements.stream()
                .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:Put") || a.startsWith("s3:Delete")))
                .toList();
        assertThat(changes).isNotEmpty();
        assertThat(changes).flatExtracting(FunctionsTemplateTest::actions)
                .contains("s3:PutObject", "s3:DeleteObject*");
        for (Map<?, ?> change : changes) {
            assertThat(change.get("Resource").toString()).as("resource of %s", change)
                    .endsWith("/runs/*/training-data/*]]}");
        }
        assertThat(readResources(statements)).containsExactly("/runs/*");
    }

    @Test
    void preflightAndGateReadOnlyRuns() {
        for (String role : List.of("FunctionsPreflightRole", "FunctionsGateRole")) {
            List<Map<?, ?>> statements = statementsOf(role);

            assertThat(readResources(statements)).as("object reads of %s", role).containsExactly("/runs/*");
            assertThat(statements.toString()).as("policy of %s", role)
                    .doesNotContain("s3:PutObject").doesNotContain("s3:Delete");
        }
    }

    @Test
    void fineTuningFunctionsGetBucketName() {
        List<HandlerFunction> fineTuning = List.of(HandlerFunction.EXPORT_TRAINING_DATA, HandlerFunction.PREFLIGHT,
                HandlerFunction.GATE, HandlerFunction.PROMOTE, HandlerFunction.RECORD_FAILURE,
                HandlerFunction.EVALUATE_BATCH, HandlerFunction.AGGREGATE);
        for (HandlerFunction spec : fineTuning) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handler(),
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            "TUNELADDER_BUCKET", Map.of("Ref", Match.stringLikeRegexp("StorageData.*")))))));
        }
    }

    @Test
    void noFunctionRoleUsesManagedPolicies() {
        Map<String, Map<String, Object>> roles = template.findResources("AWS::IAM::Role");
        roles.forEach((id, role) -> {
            if (id.startsWith("Functions")) {
                assertThat(((Map<?, ?>) role.get("Properties")).get("ManagedPolicyArns")).as(id).isNull();
            }
        });
    }

    /** Returns the statements of the policies attached to the role whose logical id starts with the prefix. */
    private List<Map<?, ?>> statementsOf(String rolePrefix) {
        return statementsOf(template, rolePrefix);
    }

    private static List<Map<?, ?>> statementsOf(Template template, String rolePrefix) {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        List<Map<?, ?>> statements = new ArrayList<>();
        policies.forEach((id, policy) -> {
            Map<?, ?> properties = (Map<?, ?>) policy.get("Properties");
            if (properties.get("Roles").toString().contains(rolePrefix)) {
                Map<?, ?> document = (Map<?, ?>) properties.get("PolicyDocument");
                for (Object statement : (List<?>) document.get("Statement")) {
                    statements.add((Map<?, ?>) statement);
                }
            }
        });
        assertThat(statements).as("statements of role %s", rolePrefix).isNotEmpty();
        return statements;
    }

    private static List<String> resources(Map<?, ?> statement) {
        Object resource = statement.get("Resource");
        return resource instanceof List<?> list ? list.stream().map(Object::toString).toList()
                : List.of(resource.toString());
    }

    private static List<String> actions(Map<?, ?> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? list.stream().map(Object::toString).toList()
                : List.of(action.toString());
    }

    /**
     * Returns the object key patterns, after the bucket ARN, of the statements that allow s3:GetObject*, such as
     * {@code /runs/*}.
     */
    private static List<String> readResources(List<Map<?, ?>> statements) {
        List<String> patterns = new ArrayList<>();
        for (Map<?, ?> statement : statements) {
            if (!actions(statement).contains("s3:GetObject*")) {
                continue;
            }
            for (Object resource : (List<?>) statement.get("Resource")) {
                Matcher matcher = OBJECT_PATTERN.matcher(resource.toString());
                if (matcher.find()) {
                    patterns.add(matcher.group(1));
                }
            }
        }
        return patterns;
    }

    /** Returns the default policy document attached to the role whose logical id starts with the prefix. */
    private String policyOf(String rolePrefix) {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        StringBuilder documents = new StringBuilder();
        policies.forEach((id, policy) -> {
            Map<?, ?> properties = (Map<?, ?>) policy.get("Properties");
            if (properties.get("Roles").toString().contains(rolePrefix)) {
                documents.append(properties.get("PolicyDocument"));
            }
        });
        assertThat(documents).as("policy of role %s", rolePrefix).isNotEmpty();
        return documents.toString();
    }
}
