package dev.tuneladder.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.opensearchserverless.CfnAccessPolicy;
import software.amazon.awscdk.services.opensearchserverless.CfnCollection;
import software.amazon.awscdk.services.opensearchserverless.CfnSecurityPolicy;
import software.amazon.awscdk.services.opensearchservice.CapacityConfig;
import software.amazon.awscdk.services.opensearchservice.CfnDomain;
import software.amazon.awscdk.services.opensearchservice.Domain;
import software.amazon.awscdk.services.opensearchservice.EbsOptions;
import software.amazon.awscdk.services.opensearchservice.EncryptionAtRestOptions;
import software.amazon.awscdk.services.opensearchservice.EngineVersion;
import software.amazon.awscdk.services.opensearchservice.TLSSecurityPolicy;
import software.constructs.Construct;

/**
 * The OpenSearch deployment that stores the few-shot indexes: a Serverless VECTORSEARCH collection, or a managed
 * domain (one node, no Serverless OCU floor) when {@link StackSettings#vectorIndex()} is DOMAIN.
 *
 * <p>The stack creates no index and no mapping. The few-shot functions create each index with its k-NN mapping on
 * first use ({@code OpenSearchVectorIndex.open} in the AWS adapters), and they record the embedding model and
 * dimension in the mapping's {@code _meta}, which they check on every later open. A CloudFormation-made index
 * could not carry that {@code _meta}, so the functions would reject it. The functions' roles are therefore allowed
 * to create indexes.
 *
 * <p>Deleting the stack deletes the collection or domain with its indexes, because either one keeps billing while
 * it exists; the examples must then be upserted again.
 */
final class VectorStore extends Construct {

    private final String endpoint;
    private final String signingService;

    /**
     * @param searchers roles that search the indexes (and create one that does not exist yet)
     * @param writers roles that also write examples
     */
    VectorStore(Construct scope, String id, StackSettings settings, Key key, List<Role> searchers,
            List<Role> writers) {
        super(scope, id);
        String name = resourceName(Stack.of(this).getStackName(), "-fewshot");
        if (settings.vectorIndex() == StackSettings.VectorIndexKind.SERVERLESS) {
            CfnCollection collection = serverless(name, searchers, writers);
            endpoint = collection.getAttrCollectionEndpoint();
            signingService = "aoss";
        } else {
            Domain domain = domain(name, settings, key, searchers, writers);
            endpoint = "https://" + domain.getDomainEndpoint();
            signingService = "es";
        }
    }

    /** Returns the HTTPS endpoint the functions send to. */
    String endpoint() {
        return endpoint;
    }

    /** Returns the SigV4 service name: {@code aoss} for Serverless, {@code es} for a domain. */
    String signingService() {
        return signingService;
    }

    private CfnCollection serverless(String name, List<Role> searchers, List<Role> writers) {
        Stack stack = Stack.of(this);
        List<Map<String, Object>> collectionRule = List.of(Map.of("ResourceType", "collection",
                "Resource", List.of("collection/" + name)));

        // An AWS owned key keeps the collection on the account's shared OCUs. A collection with its own KMS key
        // gets OCUs of its own, which raises the cost floor.
        CfnSecurityPolicy encryption = CfnSecurityPolicy.Builder.create(this, "EncryptionPolicy")
                .name(name)
                .type("encryption")
                .description("Encrypts the few-shot collection with an AWS owned key")
                .policy(stack.toJsonString(Map.of("Rules", collectionRule, "AWSOwnedKey", true)))
                .build();
        // NOTE: the functions run outside a VPC, so the collection endpoint is public. Every request still needs
        // SigV4 credentials that the data access policy below names.
        CfnSecurityPolicy network = CfnSecurityPolicy.Builder.create(this, "NetworkPolicy")
                .name(name)
                .type("network")
                .description("Lets the few-shot functions reach the collection endpoint over HTTPS")
                .policy(stack.toJsonString(List.of(Map.of("Rules", collectionRule, "AllowFromPublic", true))))
                .build();

        List<Object> rules = new ArrayList<>();
        rules.add(dataRule(name, searchers, List.of("aoss:CreateIndex", "aoss:DescribeIndex", "aoss:ReadDocument")));
        rules.add(dataRule(name, writers, List.of("aoss:CreateIndex", "aoss:DescribeIndex", "aoss:ReadDocument",
                "aoss:WriteDocument")));
        CfnAccessPolicy access = CfnAccessPolicy.Builder.create(this, "DataAccessPolicy")
                .name(name)
                .type("data")
                .description("Lets the few-shot functions create, read and write the few-shot indexes")
                .policy(stack.toJsonString(rules))
                .build();

        CfnCollection collection = CfnCollection.Builder.create(this, "Collection")
                .name(name)
                .type("VECTORSEARCH")
                .description("Few-shot example indexes of tuneladder")
                .build();
        collection.getNode().addDependency(encryption, network, access);

        List<Role> all = new ArrayList<>(searchers);
        all.addAll(writers);
        for (Role role : all) {
            role.addToPolicy(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("aoss:APIAccessAll"))
                    .resources(List.of(collection.getAttrArn()))
                    .build());
        }
        return collection;
    }

    private static Map<String, Object> dataRule(String collection, List<Role> roles, List<String> permissions) {
        return Map.of(
                "Description", "few-shot functions",
                "Rules", List.of(
                        Map.of("ResourceType", "index", "Resource", List.of("index/" + collection + "/*"),
                                "Permission", permissions),
                        Map.of("ResourceType", "collection", "Resource", List.of("collection/" + collection),
                                "Permission", List.of("aoss:DescribeCollectionItems"))),
                "Principal", roles.stream().map(Role::getRoleArn).toList());
    }

    private Domain domain(String name, StackSettings settings, Key key, List<Role> searchers, List<Role> writers) {
        Domain domain = Domain.Builder.create(this, "Domain")
                .domainName(name)
                .version(EngineVersion.OPENSEARCH_2_19)
                .capacity(CapacityConfig.builder()
                        .dataNodes(1)
                        .dataNodeInstanceType(settings.domainInstanceType())
                        .multiAzWithStandbyEnabled(false)
                        .build())
                .ebs(EbsOptions.builder()
                        .volumeSize(10)
                        .volumeType(EbsDeviceVolumeType.GP3)
                        .build())
                .encryptionAtRest(EncryptionAtRestOptions.builder().enabled(true).kmsKey(key).build())
                .nodeToNodeEncryption(true)
                .enforceHttps(true)
                .tlsSecurityPolicy(TLSSecurityPolicy.TLS_1_2)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        Stack stack = Stack.of(this);
        String domainArn = "arn:" + stack.getPartition() + ":es:" + stack.getRegion() + ":" + stack.getAccount()
                + ":domain/" + name;
        List<String> indexResources = new ArrayList<>();
        for (String index : settings.fewShotIndexes()) {
            indexResources.add(domainArn + "/" + index);
            indexResources.add(domainArn + "/" + index + "/*");
        }
        List<Role> all = new ArrayList<>(searchers);
        all.addAll(writers);

        // The resource policy allows the two roles and no anonymous access. It does not stop other principals of
        // the account whose own IAM policies allow es:ESHttp* actions, because it has no Deny. It is set on the L1
        // resource from the domain's name: the L2 accessPolicies property would add a custom-resource Lambda function.
        CfnDomain cfn = (CfnDomain) domain.getNode().getDefaultChild();
        cfn.setAccessPolicies(Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("AWS", all.stream().map(Role::getRoleArn).toList()),
                        "Action", List.of("es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut",
                                "es:ESHttpDelete"),
                        "Resource", indexResources))));

        for (Role role : searchers) {
            role.addToPolicy(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"))
                    .resources(indexResources)
                    .build());
        }
        for (Role role : writers) {
            role.addToPolicy(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut",
                            "es:ESHttpDelete"))
                    .resources(indexResources)
                    .build());
        }
        return domain;
    }

    /**
     * Returns a name for a collection, its policies or a domain: lowercase letters, digits and hyphens, starting
     * with a letter, at most 28 characters. That is the domain limit, because collections and policies allow 32.
     */
    static String resourceName(String stackName, String suffix) {
        String base = stackName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "t" + base;
        }
        int room = 28 - suffix.length();
        if (base.length() > room) {
            base = base.substring(0, room);
        }
        return base + suffix;
    }
}
