package dev.tuneladder.core.training;

import java.util.Objects;

/**
 * A training job's status as {@link TrainingBackend#describe} read it.
 *
 * @param jobName the TrainingJobName
 * @param jobArn the job's ARN
 * @param state the primary status
 * @param secondaryStatus SageMaker's finer status, such as {@code Downloading}, {@code Training} or
 *     {@code MaxRuntimeExceeded}, or null when the response has none
 * @param failureReason why the job failed, or null unless it failed
 * @param modelArtifactsUri the S3 URI of the output model archive, or null before the job has one
 * @param billableSeconds the instance time billed, in seconds, or null before SageMaker reports it
 * @param note a remark from the backend, such as a dry run saying that no job ran; null when there is none
 */
public record TrainingJobStatus(
        String jobName,
        String jobArn,
        TrainingJobState state,
        String secondaryStatus,
        String failureReason,
        String modelArtifactsUri,
        Long billableSeconds,
        String note) {

    public TrainingJobStatus {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(jobArn, "jobArn");
        Objects.requireNonNull(state, "state");
        if (billableSeconds != null && billableSeconds < 0) {
            throw new IllegalArgumentException("billableSeconds of training job '" + jobName
                    + "' must be 0 or more, got " + billableSeconds);
        }
    }
}
