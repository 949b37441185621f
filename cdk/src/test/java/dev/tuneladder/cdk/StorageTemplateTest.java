package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class StorageTemplateTest {

    private final Template template = TestStacks.serverlessTemplate();

    @Test
    void keyRotates() {
        template.resourceCountIs("AWS::KMS::Key", 1);
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void dataBucketIsEncryptedVersionedPrivateAndLogged() {
        template.resourceCountIs("AWS::S3::Bucket", 2);
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "BucketKeyEnabled", true,
                        "ServerSideEncryptionByDefault", Map.of(
                                "SSEAlgorithm", "aws:kms",
                                "KMSMasterKeyID", Match.anyValue())))),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true,
                        "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true,
                        "RestrictPublicBuckets", true),
                "LoggingConfiguration", Map.of(
                        "DestinationBucketName", Match.anyValue(),
                        "LogFilePrefix", "data-bucket/")));
    }

    @Test
    void dataBucketArchivesRunsAndExpiresOldVersions() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Id", "ArchiveOldRunOutputs",
                                "Prefix", "runs/",
                                "Transitions", List.of(Map.of(
                                        "StorageClass", "STANDARD_IA",
                                        "TransitionInDays", 90)))),
                        Match.objectLike(Map.of(
                                "Id", "ExpireReplacedVersions",
                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30),
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 7))))))));
    }

    @Test
    void bothBucketPoliciesDenyPlainHttp() {
        template.resourceCountIs("AWS::S3::BucketPolicy", 2);
        Map<String, Map<String, Object>> policies = template.findResources("AWS::S3::BucketPolicy");
        for (Map<String, Object> policy : policies.values()) {
            assertThat(policy.toString()).contains("aws:SecureTransport=false").contains("Effect=Deny");
        }
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)))))))));
    }

    @Test
    void alarmTopicIsEncryptedWithTheKey() {
        template.resourceCountIs("AWS::SNS::Topic", 1);
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Match.anyValue()));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))));
    }

    @Test
    void keyAllowsCloudWatchLogsOfThisAccount() {
        template.hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "logs.us-east-1.amazonaws.com"),
                        // The CDK sorts the actions because cdk.json sets @aws-cdk/aws-iam:minimizePolicies.
                        "Action", List.of("kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*",
                                "kms:ReEncrypt*"),
                        "Resource", "*",
                        "Condition", Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                                "arn:aws:logs:us-east-1:123456789012:log-group:*")))))))));
    }
}
