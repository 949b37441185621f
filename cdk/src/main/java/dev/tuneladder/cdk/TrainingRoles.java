package dev.tuneladder.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The roles that SageMaker and Bedrock assume for a fine-tuning run: the training job's role and the Custom Model
 * Import role. Only the fine-tuning state machine may pass them, each only to its service.
 *
 * <p>Object layout they rely on: the export step writes the training channels under {@value #TRAINING_DATA} of the
 * run, the job writes its output under {@value #TRAINING_OUTPUT} of the run, and the merged weights that Bedrock
 * imports lie under {@code runs/{runId}/}. The training job reads only the training channels, the training script's
 * source archive and, when {@code baseModelS3Prefix} is set, the base model weights under it.
 */
final class TrainingRoles extends Construct {

    /** Account that publishes the AWS Deep Learning Containers, the Hugging Face training images among them. */
    static final String DEEP_LEARNING_CONTAINERS_ACCOUNT = "763104351884";
    /** Suffix of the training job's output path under {@code runs/{runId}/}, as the fine-tuning definition sets it. */
    static final String TRAINING_OUTPUT = "training/";
    /**
     * Suffix of the export's folder under {@code runs/{runId}/} ({@code ExportTrainingDataHandler.FOLDER} in the
     * handlers jar; a test checks that the jar contains it).
     */
    static final String TRAINING_DATA = "training-data/";

    final Role training;
    final Role modelImport;

    TrainingRoles(Construct scope, String id, StackSettings settings, DataStorage storage, TrainingSource source) {
        super(scope, id);
        Stack stack = Stack.of(this);

        training = Role.Builder.create(this, "SageMakerTraining")
                .assumedBy(ServicePrincipal.Builder.create("sagemaker.amazonaws.com")
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                        .build())
                .description("Assumed by the SageMaker training jobs that fine-tuning runs start")
                .build();
        storage.bucket.grantRead(training, DataStorage.RUNS_PREFIX + "*/" + TRAINING_DATA + "*");
        storage.bucket.grantPut(training, DataStorage.RUNS_PREFIX + "*/" + TRAINING_OUTPUT + "*");
        source.grantRead(training);
        if (settings.baseModelS3Prefix() != null) {
            grantBaseModel(stack, settings.baseModelBucket(), settings.baseModelKeyPrefix());
        }
        training.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
                        "ecr:BatchCheckLayerAvailability"))
                .resources(List.of("arn:" + stack.getPartition() + ":ecr:" + stack.getRegion() + ":"
                        + DEEP_LEARNING_CONTAINERS_ACCOUNT + ":repository/huggingface-pytorch-training"))
                .build());
        // GetAuthorizationToken and PutMetricData have no resource-level permissions.
        training.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ecr:GetAuthorizationToken"))
                .resources(List.of("*"))
                .build());
        training.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringLike", Map.of("cloudwatch:namespace", "/aws/sagemaker/*")))
                .build());
        training.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                        "logs:DescribeLogStreams"))
                .resources(List.of("arn:" + stack.getPartition() + ":logs:" + stack.getRegion() + ":"
                        + stack.getAccount() + ":log-group:/aws/sagemaker/TrainingJobs:*"))
                .build());

        // Trust policy as Bedrock documents it for import roles: the service principal, limited to this account
        // and to its model import jobs, so no other account's job can use the role (confused deputy).
        modelImport = Role.Builder.create(this, "BedrockModelImport")
                .assumedBy(ServicePrincipal.Builder.create("bedrock.amazonaws.com")
                        .conditions(Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                                "ArnEquals", Map.of("aws:SourceArn", "arn:" + stack.getPartition() + ":bedrock:"
                                        + stack.getRegion() + ":" + stack.getAccount() + ":model-import-job/*")))
                        .build())
                .description("Assumed by Bedrock Custom Model Import to read merged weights of fine-tuning runs")
                .build();
        modelImport.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject"))
                .resources(List.of(storage.bucket.arnForObjects(DataStorage.RUNS_PREFIX + "*")))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceAccount", stack.getAccount())))
                .build());
        modelImport.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(storage.bucket.getBucketArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceAccount", stack.getAccount())))
                .build());
        storage.key.grantDecrypt(modelImport);
    }

    /**
     * Lets the training job copy base model weights from under the prefix (the {@code model} channel): list keys
     * with that prefix and get the objects.
     */
    // NOTE: the data bucket's key already allows decryption; weights in another bucket encrypted with a customer
    // managed key also need kms:Decrypt for this role on that key, which the stack does not grant.
    private void grantBaseModel(Stack stack, String bucket, String keyPrefix) {
        String bucketArn = "arn:" + stack.getPartition() + ":s3:::" + bucket;
        training.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject"))
                .resources(List.of(bucketArn + "/" + keyPrefix + "*"))
                .build());
        training.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucketArn))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", keyPrefix + "*")))
                .build());
    }
}
