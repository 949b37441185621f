package dev.tuneladder.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobStatesTest {

    @ParameterizedTest
    @CsvSource({"InProgress, IN_PROGRESS, false", "Completed, COMPLETED, true", "Failed, FAILED, true",
            "Stopping, STOPPING, false", "Stopped, STOPPED, true"})
    void trainingState_apiValue_parsedWithTerminalFlag(String value, TrainingJobState state, boolean terminal) {
        assertThat(TrainingJobState.fromApiValue(value)).isEqualTo(state);
        assertThat(state.apiValue()).isEqualTo(value);
        assertThat(state.terminal()).isEqualTo(terminal);
    }

    @ParameterizedTest
    @CsvSource({"InProgress, IN_PROGRESS, false", "Completed, COMPLETED, true", "Failed, FAILED, true"})
    void importState_apiValue_parsedWithTerminalFlag(String value, ModelImportState state, boolean terminal) {
        assertThat(ModelImportState.fromApiValue(value)).isEqualTo(state);
        assertThat(state.apiValue()).isEqualTo(value);
        assertThat(state.terminal()).isEqualTo(terminal);
    }

    @Test
    void fromApiValue_unknownValue_rejected() {
        assertThatThrownBy(() -> ModelImportState.fromApiValue("Complete"))
                .hasMessage("model import job status 'Complete' is not one of InProgress, Completed, Failed");
        assertThatThrownBy(() -> TrainingJobState.fromApiValue("inprogress"))
                .hasMessageContaining("'inprogress' is not one of InProgress, Completed, Failed, Stopping, Stopped");
    }
}
