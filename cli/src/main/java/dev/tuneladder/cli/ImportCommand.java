package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.importers.Banking77Importer;
import dev.tuneladder.core.importers.BfclCategory;
import dev.tuneladder.core.importers.BfclImporter;
import dev.tuneladder.core.importers.ColumnMapping;
import dev.tuneladder.core.importers.ImportFormat;
import dev.tuneladder.core.importers.MappedTableImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Turns a public dataset format into interaction records. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
            "Converts a dataset into interactions.jsonl (one interaction per line) in the output folder.",
            "Formats: banking77 (CSV text,category), bfcl (a Berkeley Function Calling Leaderboard v3 question "
                    + "file plus --answers), csv and jsonl (any table, mapped with --text-column, --label-column "
                    + "and --id-column)."
        })
final class ImportCommand implements Callable<Integer> {

    static final String OUTPUT_FILE = "interactions.jsonl";

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "Input format: banking77, bfcl, csv or jsonl.")
    String format;

    @Parameters(index = "0", paramLabel = "INPUT", description = "The file to import.")
    Path input;

    @Option(names = "--answers", paramLabel = "FILE",
            description = "bfcl only: the possible_answer file with the same name as INPUT. "
                    + "Default: possible_answer/<INPUT file name> beside INPUT.")
    Path answers;

    @Option(names = "--categories", paramLabel = "FILE",
            description = "banking77 only: JSON array of valid categories; rows with another category are "
                    + "rejected. Default: categories.json beside INPUT when it exists.")
    Path categories;

    @Option(names = "--text-column", paramLabel = "NAME", defaultValue = "text",
            description = "csv and jsonl: column (field) with the user's text. Default: ${DEFAULT-VALUE}.")
    String textColumn;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "csv and jsonl: column with the intent label. Default: none (unlabelled rows).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "NAME",
            description = "csv and jsonl: column with a unique row id. Default: ids <file name>-<row number>.")
    String idColumn;

    @Override
    public Integer call() {
        ImportFormat importFormat = ImportFormat.parse(format);
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(input), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        run.recordInput("input", input);

        List<Interaction> rows = read(importFormat, run, badRows);

        run.writeJsonLines(OUTPUT_FILE, rows);
        run.writeRejects(badRows);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("format", importFormat.label());
        options.put("input", input.toString());
        options.put("answers", answers == null ? null : answers.toString());
        options.put("categories", categories == null ? null : categories.toString());
        options.put("textColumn", textColumn);
        options.put("labelColumn", labelColumn);
        options.put("idColumn", idColumn);
        options.put("maxBadRows", common.maxBadRows);
        run.writeConfig("import", options);
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Imported %,d interactions from %s into %s%n", rows.size(), input, run.root().resolve(OUTPUT_FILE));
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    private List<Interaction> read(ImportFormat importFormat, RunFolder run, BadRows badRows) {
        String idPrefix = ImportFormat.idPrefixOf(input.toString());
        switch (importFormat) {
            case BANKING77: {
                Path categoryFile = categories;
                if (categoryFile == null && input.toAbsolutePath().getParent() != null) {
                    Path beside = input.toAbsolutePath().getParent().resolve("categories.json");
                    categoryFile = beside.toFile().isFile() ? beside : null;
                }
                Set<String> allowed = null;
                if (categoryFile != null) {
                    allowed = InputFiles.readLabels(categoryFile, "--categories");
                    run.recordInput("categories", categoryFile);
                }
                return Banking77Importer.read(InputFiles.open(input, "INPUT"), input.toString(), idPrefix, allowed,
                        badRows);
            }
            case BFCL: {
                Path answerFile = answers;
                if (answerFile == null) {
                    Path parent = input.toAbsolutePath().getParent();
                    answerFile = parent.resolve("possible_answer").resolve(input.getFileName());
                }
                run.recordInput("answers", answerFile);
                return BfclImporter.read(InputFiles.open(input, "INPUT"), input.toString(),
                        InputFiles.open(answerFile, "--answers"), answerFile.toString(),
                        BfclCategory.ofFileName(input.toString()), badRows);
            }
            case CSV:
                return MappedTableImporter.readCsv(InputFiles.open(input, "INPUT"), input.toString(),
                        new ColumnMapping(textColumn, labelColumn, idColumn), idPrefix, badRows);
            case JSONL:
                return MappedTableImporter.readJsonLines(InputFiles.open(input, "INPUT"), input.toString(),
                        new ColumnMapping(textColumn, labelColumn, idColumn), idPrefix, badRows);
            default:
                throw new IllegalStateException("no importer for " + importFormat);
        }
    }
}
