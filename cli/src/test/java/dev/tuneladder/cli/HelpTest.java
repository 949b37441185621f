package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"import", "split", "index", "route", "evaluate", "ladder"})
    void help_everyCommandExplainsOptions(String command) {
        CliRun run = CliRun.of(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: tuneladder " + command).contains("--out").contains("Default:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "help"})
    void help_topLevelListsCommands(String argument) {
        CliRun run = CliRun.of(argument);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("import").contains("split").contains("index").contains("route")
                .contains("evaluate").contains("ladder");
    }
}
