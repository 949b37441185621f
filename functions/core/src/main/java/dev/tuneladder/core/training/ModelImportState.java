package dev.tuneladder.core.training;

/**
 * The status values of Bedrock's GetModelImportJob. The user guide writes "Complete", but the API returns
 * {@code Completed}.
 */
public enum ModelImportState {
    IN_PROGRESS("InProgress", false),
    COMPLETED("Completed", true),
    FAILED("Failed", true);

    private final String apiValue;
    private final boolean terminal;

    ModelImportState(String apiValue, boolean terminal) {
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
    public static ModelImportState fromApiValue(String value) {
        return JobStates.fromApiValue(values(), ModelImportState::apiValue, value, "model import job status");
    }
}
