package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ApiTemplateTest {

    private final Template template = TestStacks.serverlessTemplate();

    @Test
    void everyMethodRequiresIam() {
        Map<String, Map<String, Object>> methods = template.findResources("AWS::ApiGateway::Method");

        // 3 StartExecution POSTs, 3 run-status GETs, judgments, few-shot upsert and search.
        assertThat(methods).hasSize(9);
        methods.forEach((id, method) -> assertThat(((Map<?, ?>) method.get("Properties")).get("AuthorizationType"))
                .as(id).isEqualTo("AWS_IAM"));
    }

    @Test
    void requestBodiesAreValidatedWithInlinedModels() {
        template.resourceCountIs("AWS::ApiGateway::RequestValidator", 1);
        template.hasResourceProperties("AWS::ApiGateway::RequestValidator", Map.of(
                "ValidateRequestBody", true, "ValidateRequestParameters", true));
        template.resourceCountIs("AWS::ApiGateway::Model", 6);
        Map<String, Map<String, Object>> models = template.findResources("AWS::ApiGateway::Model");
        for (Map<String, Object> model : models.values()) {
            assertThat(((Map<?, ?>) model.get("Properties")).get("Schema").toString()).doesNotContain("$ref");
        }
        template.hasResourceProperties("AWS::ApiGateway::Method", Map.of(
                "HttpMethod", "POST",
                "RequestModels", Map.of("application/json", Map.of("Ref", Match.stringLikeRegexp(
                        "ApiJudgmentRequestModel.*"))),
                "RequestValidatorId", Match.anyValue()));
    }

    @Test
    void longWorkRoutesStartExecutions() {
        Map<String, Map<String, Object>> methods = template.findResources("AWS::ApiGateway::Method",
                Map.of("Properties", Map.of("Integration", Map.of("Type", "AWS"))));
        assertThat(methods).hasSize(3);
        for (Map<String, Object> method : methods.values()) {
            Map<?, ?> integration = (Map<?, ?>) ((Map<?, ?>) method.get("Properties")).get("Integration");
            String template = integration.get("RequestTemplates").toString();
            assertThat(integration.get("Uri").toString()).contains("states:action/StartExecution");
            assertThat(integration.get("PassthroughBehavior")).isEqualTo("NEVER");
            assertThat(integration.get("Credentials").toString()).contains("ApiStartExecutionRole");
            assertThat(template).doesNotContain("${StateMachineArn}").contains("Ref=StateMachines");
            assertThat(integration.get("IntegrationResponses").toString()).contains("StatusCode=202")
                    .contains("SelectionPattern=4\\d{2}").contains("SelectionPattern=5\\d{2}");
        }
    }

    @Test
    void synchronousRoutesUseAliasProxies() {
        Map<String, Map<String, Object>> methods = template.findResources("AWS::ApiGateway::Method",
                Map.of("Properties", Map.of("Integration", Map.of("Type", "AWS_PROXY"))));
        assertThat(methods).hasSize(6);
        for (Map<String, Object> method : methods.values()) {
            String uri = ((Map<?, ?>) ((Map<?, ?>) method.get("Properties")).get("Integration")).get("Uri").toString();
            assertThat(uri).containsPattern("Ref=Functions[A-Za-z]+Alias");
        }
        Map<String, Map<String, Object>> permissions = template.findResources("AWS::Lambda::Permission");
        permissions.values().forEach(permission -> assertThat(((Map<?, ?>) permission.get("Properties"))
                .get("FunctionName").toString()).containsPattern("Ref=Functions[A-Za-z]+Alias"));
    }

    @Test
    void stageThrottlesLogsAndTraces() {
        template.hasResourceProperties("AWS::ApiGateway::Stage", Map.of(
                "StageName", "prod",
                "TracingEnabled", true,
                "AccessLogSetting", Map.of("DestinationArn", Match.anyValue(), "Format", Match.anyValue()),
                "MethodSettings", List.of(Map.of(
                        "DataTraceEnabled", false,
                        "HttpMethod", "*",
                        "LoggingLevel", "ERROR",
                        "MetricsEnabled", true,
                        "ResourcePath", "/*",
                        "ThrottlingBurstLimit", 100,
                        "ThrottlingRateLimit", 50))));
        template.hasResourceProperties("AWS::ApiGateway::UsagePlan", Map.of(
                "Throttle", Map.of("BurstLimit", 100, "RateLimit", 50),
                "Quota", Map.of("Limit", 100000, "Period", "DAY")));
    }

    @Test
    void gatewayErrorsUseTheErrorShape() {
        template.resourceCountIs("AWS::ApiGateway::GatewayResponse", 6);
        Map<String, Map<String, Object>> responses = template.findResources("AWS::ApiGateway::GatewayResponse");
        for (Map<String, Object> response : responses.values()) {
            assertThat(((Map<?, ?>) response.get("Properties")).get("ResponseTemplates").toString())
                    .contains("application/json").contains("error");
        }
    }

    @Test
    void startExecutionRoleMayStartOnlyTheThreeMachines() {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        String document = policies.entrySet().stream()
                .filter(e -> e.getKey().startsWith("ApiStartExecutionRole"))
                .map(e -> ((Map<?, ?>) e.getValue().get("Properties")).get("PolicyDocument").toString())
                .findFirst().orElseThrow();

        assertThat(document).contains("states:StartExecution").doesNotContain("states:*");
        assertThat(document.split("Ref=StateMachines", -1)).hasSize(4);
    }
}
