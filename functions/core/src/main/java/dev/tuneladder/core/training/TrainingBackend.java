package dev.tuneladder.core.training;

/**
 * Runs LoRA training jobs: SageMaker in AWS, a dry run that writes the request locally.
 *
 * <p>Each method makes one attempt. A failed service call throws
 * {@link dev.tuneladder.core.model.ModelCallException}. Its kind decides whether a retry layer such as
 * {@link dev.tuneladder.core.model.resilience.ResilientCaller} makes another attempt, and an unknown job name is a
 * {@code CLIENT_ERROR}. An invalid job name throws {@link IllegalArgumentException} before any call.
 */
public interface TrainingBackend {

    /** Starts the job that {@code spec} describes and returns its name and ARN. */
    LaunchedTrainingJob launch(LoraTrainingSpec spec);

    /** Returns the current status of the job named {@code jobName}. */
    TrainingJobStatus describe(String jobName);

    /**
     * Asks the backend to stop the job named {@code jobName}. The job passes through {@code Stopping} to
     * {@code Stopped}; poll {@link #describe} to see it end.
     */
    void stop(String jobName);
}
