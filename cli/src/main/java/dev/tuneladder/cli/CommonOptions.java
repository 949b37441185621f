package dev.tuneladder.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that writes results shares. */
final class CommonOptions {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder for config, manifest, outputs and reports. "
                    + "Default: runs/<dataset>-<UTC timestamp>.")
    Path out;

    @Option(names = "--max-bad-rows", paramLabel = "N", defaultValue = "0",
            description = "Number of malformed input rows to skip into rejects.jsonl in the output folder before "
                    + "failing. 0 fails on the first bad row. Default: ${DEFAULT-VALUE}.")
    int maxBadRows;
}
