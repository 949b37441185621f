package dev.tuneladder.cli;

import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.embedding.EmbeddingException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tuneladder} command line: every use case of the platform on the embedded local defaults. */
@Command(
        name = "tuneladder",
        mixinStandardHelpOptions = true,
        versionProvider = TuneladderCommand.Version.class,
        description = {
            "Measures an agent stage on real data, then climbs the tuning ladder only as far as the numbers say.",
            "Runs locally with no AWS account: in-process embeddings, a Lucene HNSW index and a retrieval router."
        },
        subcommands = {
            ImportCommand.class,
            SplitCommand.class,
            IndexCommand.class,
            RouteCommand.class,
            EvaluateCommand.class,
            CalibrateCommand.class,
            JudgeCommand.class,
            LadderCommand.class,
            CompareCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TuneladderCommand {

    static final String VERSION = "0.1.0-SNAPSHOT";

    /** Exit code of a command that failed on its input or environment. */
    static final int EXIT_FAILED = 1;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** Builds the command line with the error handling every subcommand shares. */
    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new TuneladderCommand());
        commandLine.setExecutionExceptionHandler(TuneladderCommand::handleFailure);
        commandLine.setUsageHelpAutoWidth(true);
        return commandLine;
    }

    /**
     * Prints a failure as one line that states what failed and what to do. The stack trace is printed only for
     * failures that are not about the user's input, or when TUNELADDER_DEBUG is set.
     */
    private static int handleFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean inputProblem = e instanceof DatasetFormatException
                || e instanceof IllegalArgumentException
                || e instanceof NoSuchFileException
                || e instanceof UncheckedIOException
                || e instanceof EmbeddingException;
        err.println("tuneladder " + commandLine.getCommandName() + ": error: " + messageOf(e));
        if (!inputProblem || System.getenv("TUNELADDER_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILED;
    }

    private static String messageOf(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return e.getMessage() + ": " + e.getCause();
        }
        if (e instanceof NoSuchFileException missing) {
            return "file not found: " + missing.getFile();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tuneladder " + VERSION};
        }
    }
}
