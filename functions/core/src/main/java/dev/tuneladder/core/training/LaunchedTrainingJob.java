package dev.tuneladder.core.training;

import java.util.Objects;

/**
 * A training job that {@link TrainingBackend#launch} started.
 *
 * @param jobName the TrainingJobName, for {@link TrainingBackend#describe} and {@link TrainingBackend#stop}
 * @param jobArn the job's ARN as the backend returned it
 */
public record LaunchedTrainingJob(String jobName, String jobArn) {

    public LaunchedTrainingJob {
        AwsConstraints.requireTrainingJobName(jobName);
        Objects.requireNonNull(jobArn, "jobArn");
        if (jobArn.isBlank()) {
            throw new IllegalArgumentException("jobArn of training job '" + jobName + "' is blank");
        }
    }
}
