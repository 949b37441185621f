package dev.tuneladder.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * The customer managed KMS key, the datasets-and-runs bucket encrypted with it, and the bucket that receives the
 * data bucket's server access logs. Both buckets and the key are retained when the stack is deleted, because they
 * hold the runs and the promotion history. The key also encrypts the stack's log groups and alarm topic.
 */
final class DataStorage extends Construct {

    /** Prefix of every run's outputs; the only prefix the functions write to. */
    static final String RUNS_PREFIX = "runs/";
    /** Prefix of the uploaded datasets that runs read. */
    static final String DATASETS_PREFIX = "datasets/";
    /** Prefix under which the evaluation Distributed Map's ResultWriter stores child results. */
    static final String MAP_RESULTS_PREFIX = "evaluation-map-runs/";

    /** Actions that CloudWatch Logs needs on the key of an encrypted log group. */
    static final List<String> LOGS_KEY_ACTIONS = List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
            "kms:GenerateDataKey*", "kms:Describe*");
    /** The encryption context key whose value is the ARN of the log group that CloudWatch Logs encrypts for. */
    static final String LOGS_ENCRYPTION_CONTEXT = "kms:EncryptionContext:aws:logs:arn";

    final Key key;
    final Bucket bucket;
    final Bucket accessLogs;

    DataStorage(Construct scope, String id, StackSettings settings) {
        super(scope, id);

        key = Key.Builder.create(this, "Key")
                .description("Encrypts the tuneladder datasets, runs and alarm topic")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        allowCloudWatchLogs();

        // Server access log delivery writes only to buckets encrypted with SSE-S3, not SSE-KMS.
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireAccessLogs")
                        .expiration(Duration.days(365))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        bucket = Bucket.Builder.create(this, "Data")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .versioned(true)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("data-bucket/")
                .lifecycleRules(List.of(
                        // Run outputs are kept (the promotion history lives under runs/ too) but move to
                        // Standard-IA once they are rarely read.
                        LifecycleRule.builder()
                                .id("ArchiveOldRunOutputs")
                                .prefix(RUNS_PREFIX)
                                .transitions(List.of(Transition.builder()
                                        .storageClass(StorageClass.INFREQUENT_ACCESS)
                                        .transitionAfter(Duration.days(settings.runTransitionDays()))
                                        .build()))
                                .build(),
                        LifecycleRule.builder()
                                .id("ExpireDistributedMapResults")
                                .prefix(MAP_RESULTS_PREFIX)
                                .expiration(Duration.days(30))
                                .build(),
                        LifecycleRule.builder()
                                .id("ExpireReplacedVersions")
                                .noncurrentVersionExpiration(Duration.days(settings.noncurrentVersionDays()))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                                .expiredObjectDeleteMarker(true)
                                .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /**
     * Allows CloudWatch Logs in the stack's Region to use the key for this account's log groups there. The statement
     * is the one in the CloudWatch Logs User Guide ("Encrypt log data in CloudWatch Logs using AWS KMS"), with its
     * account-wide condition narrowed to log group ARNs, which CloudWatch Logs sends as the encryption context.
     */
    private void allowCloudWatchLogs() {
        Stack stack = Stack.of(this);
        // NOTE: the principal follows the guide's logs.<region>.amazonaws.com form, which is not checked for the
        // China partition.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchLogsOfThisAccount")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("logs." + stack.getRegion() + ".amazonaws.com")))
                .actions(LOGS_KEY_ACTIONS)
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of(LOGS_ENCRYPTION_CONTEXT, "arn:" + stack.getPartition()
                        + ":logs:" + stack.getRegion() + ":" + stack.getAccount() + ":log-group:*")))
                .build());
    }
}
