package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class FunctionsTemplateTest {

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
    void bucketWritesAreLimitedToRuns() {
        String policy = policyOf("FunctionsAggregateRole");

        assertThat(policy).contains("s3:PutObject").contains("/runs/*").contains("s3:GetObject*");
        assertThat(policyOf("FunctionsGateRole")).doesNotContain("s3:PutObject");
        assertThat(policyOf("FunctionsFewShotSearchRole")).doesNotContain("s3:").contains("aoss:APIAccessAll");
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
