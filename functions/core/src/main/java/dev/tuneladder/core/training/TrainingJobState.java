package dev.tuneladder.core.training;

/** The TrainingJobStatus values of SageMaker's DescribeTrainingJob. */
public enum TrainingJobState {
    IN_PROGRESS("InProgress", false),
    COMPLETED("Completed", true),
    FAILED("Failed", true),
    STOPPING("Stopping", false),
    STOPPED("Stopped", true);

    private final String apiValue;
    private final boolean terminal;

    TrainingJobState(String apiValue, boolean terminal) {
        this.apiValue = apiValue;
        this.terminal = terminal;
    }

    /** Returns the value as the API spells it, such as {@code InProgress}. */
    public String apiValue() {
        return apiValue;
    }

    /** Returns whether the job has ended and its status will not change again. */
    public boolean terminal() {
        return terminal;
    }

    /**
     * Returns the state that the API spells {@code value}.
     *
     * @throws IllegalArgumentException for a value this version does not know, naming the known ones
     */
    public static TrainingJobState fromApiValue(String value) {
        return JobStates.fromApiValue(values(), TrainingJobState::apiValue, value, "training job status");
    }
}
