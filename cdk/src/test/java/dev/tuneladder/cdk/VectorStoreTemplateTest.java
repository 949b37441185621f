package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class VectorStoreTemplateTest {

    @Test
    void serverlessCollectionHasItsThreePolicies() {
        Template template = TestStacks.serverlessTemplate();

        template.resourceCountIs("AWS::OpenSearchServerless::Collection", 1);
        template.hasResourceProperties("AWS::OpenSearchServerless::Collection", Map.of(
                "Name", "tuneladder-fewshot",
                "Type", "VECTORSEARCH"));
        template.resourceCountIs("AWS::OpenSearchServerless::SecurityPolicy", 2);
        template.hasResourceProperties("AWS::OpenSearchServerless::SecurityPolicy", Map.of(
                "Type", "encryption",
                "Policy", Match.serializedJson(Map.of(
                        "Rules", List.of(Map.of("ResourceType", "collection",
                                "Resource", List.of("collection/tuneladder-fewshot"))),
                        "AWSOwnedKey", true))));
        template.hasResourceProperties("AWS::OpenSearchServerless::SecurityPolicy", Map.of("Type", "network"));
        template.resourceCountIs("AWS::OpenSearchServerless::AccessPolicy", 1);
        template.resourceCountIs("AWS::OpenSearchService::Domain", 0);
    }

    @Test
    void dataAccessPolicyNamesOnlyFewShotRoles() {
        Map<String, Map<String, Object>> policies = TestStacks.serverlessTemplate()
                .findResources("AWS::OpenSearchServerless::AccessPolicy");
        String policy = ((Map<?, ?>) policies.values().iterator().next().get("Properties")).get("Policy").toString();

        assertThat(policy).contains("FunctionsFewShotSearchRole").contains("FunctionsFewShotUpsertRole")
                .contains("index/tuneladder-fewshot/*").contains("aoss:CreateIndex");
        assertThat(policy.split("FunctionsFewShot", -1)).hasSize(3);
        // Only the upsert role's rule grants writes.
        assertThat(policy.split("aoss:WriteDocument", -1)).hasSize(2);
    }

    @Test
    void collectionWaitsForItsPolicies() {
        Map<String, Map<String, Object>> collections = TestStacks.serverlessTemplate()
                .findResources("AWS::OpenSearchServerless::Collection");
        List<?> dependsOn = (List<?>) collections.values().iterator().next().get("DependsOn");

        assertThat(dependsOn).hasSize(3);
    }

    @Test
    void domainIsEncryptedHttpsOnlyAndLimitedToFewShotRoles() {
        Template template = TestStacks.domainTemplate();

        template.resourceCountIs("AWS::OpenSearchServerless::Collection", 0);
        template.resourceCountIs("AWS::OpenSearchService::Domain", 1);
        template.hasResourceProperties("AWS::OpenSearchService::Domain", Map.of(
                "DomainName", "tuneladder-fewshot",
                "EngineVersion", "OpenSearch_2.19",
                "ClusterConfig", Match.objectLike(Map.of("InstanceCount", 1, "InstanceType", "t3.small.search")),
                "EncryptionAtRestOptions", Map.of("Enabled", true, "KmsKeyId", Match.anyValue()),
                "NodeToNodeEncryptionOptions", Map.of("Enabled", true),
                "DomainEndpointOptions", Map.of("EnforceHTTPS", true,
                        "TLSSecurityPolicy", "Policy-Min-TLS-1-2-2019-07"),
                "AccessPolicies", Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("AWS", List.of(
                                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("FunctionsFewShotSearchRole.*"),
                                        "Arn")),
                                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("FunctionsFewShotUpsertRole.*"),
                                        "Arn")))),
                        "Resource", List.of(
                                "arn:aws:es:us-east-1:123456789012:domain/tuneladder-fewshot/golden",
                                "arn:aws:es:us-east-1:123456789012:domain/tuneladder-fewshot/golden/*")))))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", Match.stringLikeRegexp(".*FewShotUpsertHandler.*"),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "TUNELADDER_OPENSEARCH_SERVICE", "es")))));
    }
}
