package dev.tuneladder.aws.sagemaker;

import dev.tuneladder.aws.bedrock.BedrockErrors;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.training.AwsConstraints;
import dev.tuneladder.core.training.LaunchedTrainingJob;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.RequestDocuments;
import dev.tuneladder.core.training.TrainingBackend;
import dev.tuneladder.core.training.TrainingJobState;
import dev.tuneladder.core.training.TrainingJobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.OutputDataConfig;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.StoppingCondition;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * A {@link TrainingBackend} over SageMaker training jobs: CreateTrainingJob, DescribeTrainingJob and
 * StopTrainingJob.
 *
 * <p>The request carries the same fields, with the same values, as {@link RequestDocuments#createTrainingJob}, so a
 * dry run's recorded request is what this class sends. One attempt per call: failures are thrown as
 * {@link ModelCallException} with a kind for the caller's retry layer, mapped by {@link BedrockErrors}. SageMaker's
 * JSON protocol reports throttling as HTTP 400 with the error code {@code ThrottlingException}, which the SDK
 * recognizes, so it maps to {@link Kind#THROTTLED} and not to a client error. Thread-safe. The SDK client is the
 * caller's to close.
 */
public final class SageMakerTrainingBackend implements TrainingBackend {

    private static final Logger LOG = LoggerFactory.getLogger(SageMakerTrainingBackend.class);

    private static final String CLIENT_ERROR_HINT = "; check the job name, the Region, the role and the IAM"
            + " permissions sagemaker:CreateTrainingJob, DescribeTrainingJob, StopTrainingJob and iam:PassRole";

    private final SageMakerClient client;

    /** @param client a client built with {@code AwsClientFactory.configure(SageMakerClient.builder())} */
    public SageMakerTrainingBackend(SageMakerClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public LaunchedTrainingJob launch(LoraTrainingSpec spec) {
        Objects.requireNonNull(spec, "spec");
        CreateTrainingJobResponse response;
        try {
            response = client.createTrainingJob(toRequest(spec));
        } catch (SdkException e) {
            throw toModelCallException("CreateTrainingJob", spec.jobName(), e);
        }
        if (response.trainingJobArn() == null) {
            throw new ModelCallException(Kind.MALFORMED_RESPONSE, 200, "SageMaker CreateTrainingJob for training job '"
                    + spec.jobName() + "' returned no TrainingJobArn; describe the job to see whether it started");
        }
        LOG.info("started SageMaker training job {} ({}), request id {}", spec.jobName(),
                response.trainingJobArn(), response.responseMetadata().requestId());
        return new LaunchedTrainingJob(spec.jobName(), response.trainingJobArn());
    }

    @Override
    public TrainingJobStatus describe(String jobName) {
        AwsConstraints.requireTrainingJobName(jobName);
        DescribeTrainingJobResponse response;
        try {
            response = client.describeTrainingJob(request -> request.trainingJobName(jobName));
        } catch (SdkException e) {
            throw toModelCallException("DescribeTrainingJob", jobName, e);
        }
        return toStatus(jobName, response);
    }

    @Override
    public void stop(String jobName) {
        AwsConstraints.requireTrainingJobName(jobName);
        try {
            client.stopTrainingJob(request -> request.trainingJobName(jobName));
        } catch (SdkException e) {
            throw toModelCallException("StopTrainingJob", jobName, e);
        }
        LOG.info("asked SageMaker to stop training job {}", jobName);
    }

    /** Builds the SDK request; its JSON body equals {@link RequestDocuments#createTrainingJob}. */
    static CreateTrainingJobRequest toRequest(LoraTrainingSpec spec) {
        List<Channel> channels = new ArrayList<>();
        spec.channels().forEach((name, uri) -> channels.add(Channel.builder()
                .channelName(name)
                .dataSource(DataSource.builder().s3DataSource(S3DataSource.builder()
                        .s3DataType(RequestDocuments.S3_DATA_TYPE)
                        .s3Uri(uri)
                        .s3DataDistributionType(RequestDocuments.S3_DATA_DISTRIBUTION)
                        .build()).build())
                .build()));

        CreateTrainingJobRequest.Builder builder = CreateTrainingJobRequest.builder()
                .trainingJobName(spec.jobName())
                .roleArn(spec.roleArn())
                .algorithmSpecification(AlgorithmSpecification.builder()
                        .trainingImage(spec.trainingImageUri())
                        .trainingInputMode(RequestDocuments.TRAINING_INPUT_MODE)
                        .build())
                .hyperParameters(spec.hyperParameters())
                .inputDataConfig(channels)
                .outputDataConfig(OutputDataConfig.builder()
                        .s3OutputPath(spec.outputUri())
                        .kmsKeyId(spec.outputKmsKeyId())
                        .compressionType(RequestDocuments.OUTPUT_COMPRESSION)
                        .build())
                .resourceConfig(ResourceConfig.builder()
                        .instanceType(spec.instanceType())
                        .instanceCount(spec.instanceCount())
                        .volumeSizeInGB(spec.volumeSizeInGb())
                        .build())
                .stoppingCondition(StoppingCondition.builder()
                        .maxRuntimeInSeconds(spec.maxRuntimeSeconds())
                        .build());
        // An empty list set on the builder is sent as "Tags": [], so tags are set only when there are some.
        if (!spec.tags().isEmpty()) {
            builder.tags(spec.tags().entrySet().stream()
                    .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                    .toList());
        }
        return builder.build();
    }

    static TrainingJobStatus toStatus(String jobName, DescribeTrainingJobResponse response) {
        String statusValue = response.trainingJobStatusAsString();
        TrainingJobState state;
        try {
            state = TrainingJobState.fromApiValue(Objects.requireNonNullElse(statusValue, "(none)"));
        } catch (IllegalArgumentException e) {
            throw new ModelCallException(Kind.MALFORMED_RESPONSE, 200, "SageMaker DescribeTrainingJob for training"
                    + " job '" + jobName + "' returned " + e.getMessage() + "; update the SageMaker adapter for the"
                    + " new status", e);
        }
        String artifacts = response.modelArtifacts() == null ? null : response.modelArtifacts().s3ModelArtifacts();
        Long billableSeconds = response.billableTimeInSeconds() == null ? null
                : response.billableTimeInSeconds().longValue();
        String arn = response.trainingJobArn() == null ? "" : response.trainingJobArn();
        return new TrainingJobStatus(jobName, arn, state, response.secondaryStatusAsString(),
                response.failureReason(), artifacts, billableSeconds, null);
    }

    private static ModelCallException toModelCallException(String operation, String jobName, SdkException error) {
        return BedrockErrors.toModelCallException(error, "SageMaker",
                "SageMaker " + operation + " call for training job '" + jobName + "'", CLIENT_ERROR_HINT, "");
    }
}
