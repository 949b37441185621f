package dev.tuneladder.core.training;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

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
        Objects.requireNonNull(value, "value");
        for (ModelImportState state : values()) {
            if (state.apiValue.equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("model import job status '" + value + "' is not one of "
                + Arrays.stream(values()).map(ModelImportState::apiValue).collect(Collectors.joining(", ")));
    }
}
