package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {

    private static final List<String> COMMANDS = List.of("import", "split", "index", "route", "evaluate", "ladder",
            "compare", "calibrate", "judge");

    /** Returns every subcommand that TuneladderCommand lists, except picocli's own help command. */
    static Stream<String> subcommands() {
        return TuneladderCommand.newCommandLine().getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help"));
    }

    /** Returns the subcommands checked for a quiet --help: all of them. */
    static Stream<String> quietSubcommands() {
        return subcommands();
    }

    @ParameterizedTest
    @MethodSource("subcommands")
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
        for (String command : COMMANDS) {
            assertThat(run.out()).contains(command);
        }
    }

    /** A new subcommand must be added to the lists above, so its help is checked too. */
    @ParameterizedTest
    @MethodSource("subcommands")
    void help_listedSubcommand_coveredByTests(String command) {
        assertThat(COMMANDS).contains(command);
    }

    /**
     * picocli formats descriptions with String.format, so a bare "%" makes it print a warning through its tracer.
     * The tracer writes to System.err, not to the command line's error writer, so the test captures both.
     */
    @ParameterizedTest
    @MethodSource("quietSubcommands")
    void help_subcommand_writesNothingToStandardError(String command) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CliRun run;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            run = CliRun.of(command, "--help");
        } finally {
            System.setErr(original);
        }

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(run.out()).doesNotContain("%%");
    }
}
