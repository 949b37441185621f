package dev.tuneladder.cli;

import dev.tuneladder.core.comparison.ComparisonDocument;
import dev.tuneladder.core.comparison.ComparisonMarkdown;
import dev.tuneladder.core.comparison.MetricDifference;
import dev.tuneladder.core.comparison.PairedComparison;
import dev.tuneladder.core.comparison.PairedComparisonState;
import dev.tuneladder.core.comparison.RegressionVerdict;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.metrics.LatencyState;
import dev.tuneladder.core.metrics.LatencySummary;
import dev.tuneladder.core.metrics.PriceTable;
import dev.tuneladder.core.metrics.UsageCost;
import dev.tuneladder.core.metrics.UsageCostState;
import dev.tuneladder.core.report.ComparisonPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Compares two runs on the same rows and fails when the candidate is significantly worse. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
            "Compares a candidate run with a baseline run on the same rows: the difference candidate - baseline "
                    + "in accuracy and macro-F1 with 95%% paired Poisson-bootstrap intervals, the exact McNemar test "
                    + "on per-row correctness, the rows that flipped each way, a per-stratum table, and latency "
                    + "and token cost where the runs recorded them.",
            "Writes comparison.json, comparison.md, comparison.html (a self-contained page with a forest plot of "
                    + "the differences), config.json and run.json to the output folder.",
            "Exit codes: 0 when the candidate passes; 3 when it regressed, that is when the upper end of the "
                    + "interval of candidate - baseline on --metric is below -(--max-regression); 1 when the "
                    + "inputs are invalid (for example the runs cover different rows); 2 for a usage error."
        })
final class CompareCommand implements Callable<Integer> {

    /** Exit code of a comparison whose candidate regressed beyond the tolerance. */
    static final int EXIT_REGRESSION = 3;

    static final String JSON_FILE = "comparison.json";
    static final String MARKDOWN_FILE = "comparison.md";
    static final String HTML_FILE = "comparison.html";

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(index = "0", paramLabel = "BASELINE",
            description = "The baseline run: an evaluate output folder (its outcomes.jsonl), FOLDER#RUN_NAME for "
                    + "one run of a folder that holds several (the ladder's outcomes/RUN_NAME.jsonl), or an "
                    + "outcomes JSON Lines file.")
    String baseline;

    @Parameters(index = "1", paramLabel = "CANDIDATE", description = "The candidate run, in the same forms.")
    String candidate;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "macroF1",
            description = "Metric that decides the exit code: accuracy or macroF1. Default: ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--max-regression", paramLabel = "DELTA", defaultValue = "0.0",
            description = "Tolerated loss on --metric, in the metric's units (0.01 is one point of accuracy). The "
                    + "command exits 3 when the whole 95%% interval of candidate - baseline is below -DELTA. "
                    + "Default: ${DEFAULT-VALUE}.")
    double maxRegression;

    @Option(names = "--bootstrap-replicates", paramLabel = "N", defaultValue = "1000",
            description = "Poisson bootstrap replicates for the intervals. Default: ${DEFAULT-VALUE}.")
    int replicates;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the bootstrap weights; the runs' own seed gives the same resamples as their "
                    + "reports. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-listed-flips", paramLabel = "N", defaultValue = "1000",
            description = "Flipped row ids listed per direction in comparison.json (the first N by id); the "
                    + "counts are always exact. Default: ${DEFAULT-VALUE}.")
    int maxListedFlips;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "Price table (JSON: currency and per-million-token prices per model id) to report each "
                    + "run's token cost and cost per correct answer.")
    Path prices;

    @Override
    public Integer call() {
        if (!metric.equals("accuracy") && !metric.equals("macroF1")) {
            throw new IllegalArgumentException("--metric " + metric + " is not a metric; use accuracy or macroF1");
        }
        if (!(maxRegression >= 0) || Double.isInfinite(maxRegression)) {
            throw new IllegalArgumentException("--max-regression must be a finite number 0 or more, got "
                    + maxRegression);
        }
        PriceTable priceTable = prices == null ? null : readPrices(prices);

        RunFolder run = RunFolder.create(common.out, "compare", Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        Path baselineFile = outcomesFile(baseline, "BASELINE");
        Path candidateFile = outcomesFile(candidate, "CANDIDATE");
        List<RowOutcome> baselineRows = readOutcomes(baselineFile, badRows);
        List<RowOutcome> candidateRows = readOutcomes(candidateFile, badRows);

        // NOTE: outcome files do not carry the run's --labels list, so macro-F1 here averages over the gold and
        // predicted labels of both runs. It can differ slightly from a run's own report when that run was given
        // labels no row uses, or when only the other run predicted some label.
        PairedComparisonState state = new PairedComparisonState(replicates, seed, List.of(), maxListedFlips);
        PairedComparison comparison = RowOutcomes.pair(baselineRows, candidateRows, state).result();
        RegressionVerdict verdict = RegressionVerdict.judge(comparison, metric, maxRegression);
        ComparisonDocument document = new ComparisonDocument(baseline, candidate, verdict, comparison,
                latency(baselineRows, candidateRows), cost(baselineRows, candidateRows, priceTable));

        run.writeText(JSON_FILE, document.toJson());
        run.writeText(MARKDOWN_FILE, ComparisonMarkdown.render(document));
        run.writeText(HTML_FILE, ComparisonPage.render(document));
        run.recordInput("baseline", baselineFile);
        run.recordInput("candidate", candidateFile);
        if (prices != null) {
            run.recordInput("prices", prices);
        }
        run.writeRejects(badRows);
        run.writeConfig("compare", options());
        run.writeRunManifest();

        printSummary(spec.commandLine().getOut(), comparison, verdict);
        Reports.printFooter(spec.commandLine().getOut(), run, badRows);
        return verdict.regressed() ? EXIT_REGRESSION : 0;
    }

    /**
     * Resolves a run reference: FOLDER#RUN_NAME names FOLDER/outcomes/RUN_NAME.jsonl; a folder means its
     * outcomes.jsonl, or its only file in outcomes/; a file is read as it is.
     */
    static Path outcomesFile(String reference, String role) {
        int hash = reference.lastIndexOf('#');
        if (hash > 0) {
            Path folder = Path.of(reference.substring(0, hash));
            String runName = reference.substring(hash + 1);
            Path file = folder.resolve("outcomes").resolve(runName + ".jsonl");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(role + " " + reference + ": " + file + " does not exist; "
                        + describeRuns(folder));
            }
            return file;
        }

        Path path = Path.of(reference);
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(role + " " + reference + " does not exist; give a run folder, "
                    + "FOLDER#RUN_NAME or an outcomes file");
        }
        Path single = path.resolve(RowOutcomes.FILE_NAME);
        if (Files.isRegularFile(single)) {
            return single;
        }
        List<String> names = runNames(path);
        if (names.size() == 1) {
            return path.resolve("outcomes").resolve(names.get(0) + ".jsonl");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(role + " " + reference + " has no " + RowOutcomes.FILE_NAME
                    + " and no outcomes/ folder; give the output folder of 'tuneladder evaluate' or 'tuneladder "
                    + "ladder', and re-run it if it was written by a version that did not write outcomes");
        }
        throw new IllegalArgumentException(role + " " + reference + " contains several runs " + names + "; name one"
                + " as " + reference + "#RUN_NAME");
    }

    private static String describeRuns(Path folder) {
        List<String> names = runNames(folder);
        return names.isEmpty() ? "that folder has no outcomes/ files" : "the runs there are " + names;
    }

    private static List<String> runNames(Path folder) {
        Path outcomes = folder.resolve("outcomes");
        if (!Files.isDirectory(outcomes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(outcomes)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".jsonl"))
                    .map(name -> name.substring(0, name.length() - ".jsonl".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to list " + outcomes, e);
        }
    }

    private static List<RowOutcome> readOutcomes(Path file, BadRows badRows) {
        try (Reader reader = InputFiles.open(file, "outcomes file")) {
            return RowOutcomes.read(reader, file.toString(), badRows);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        }
    }

    private static PriceTable readPrices(Path file) {
        try (Reader reader = InputFiles.open(file, "--prices")) {
            return PriceTable.read(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        }
    }

    private static Map<String, LatencySummary> latency(List<RowOutcome> baselineRows, List<RowOutcome> candidateRows) {
        Map<String, LatencySummary> latency = new LinkedHashMap<>();
        putLatency(latency, "baseline", baselineRows);
        putLatency(latency, "candidate", candidateRows);
        return latency;
    }

    private static void putLatency(Map<String, LatencySummary> latency, String role, List<RowOutcome> rows) {
        LatencyState state = new LatencyState();
        for (RowOutcome row : rows) {
            if (row.latencyMillis() != null) {
                state.addEndToEnd(row.latencyMillis());
            }
        }
        if (!state.isEmpty()) {
            latency.put(role, state.result().get(LatencyState.END_TO_END));
        }
    }

    private static Map<String, UsageCost> cost(List<RowOutcome> baselineRows, List<RowOutcome> candidateRows,
            PriceTable priceTable) {
        Map<String, UsageCost> cost = new LinkedHashMap<>();
        if (priceTable == null) {
            return cost;
        }
        cost.put("baseline", usageCost(baselineRows, priceTable));
        cost.put("candidate", usageCost(candidateRows, priceTable));
        return cost;
    }

    private static UsageCost usageCost(List<RowOutcome> rows, PriceTable priceTable) {
        UsageCostState state = new UsageCostState();
        for (RowOutcome row : rows) {
            state.add(row.modelId(), row.usage(), row.correct());
        }
        return state.result(priceTable);
    }

    private static void printSummary(PrintWriter out, PairedComparison comparison, RegressionVerdict verdict) {
        out.printf(Locale.ROOT, "Compared %,d rows.%n", comparison.rows());
        out.printf(Locale.ROOT, "%-10s %9s %9s %10s  %s%n", "metric", "baseline", "candidate", "difference",
                "95% CI of difference");
        for (MetricDifference difference : comparison.metrics().values()) {
            out.printf(Locale.ROOT, "%-10s %9.4f %9.4f %+10.4f  [%+.4f, %+.4f]%n", difference.metric(),
                    difference.baseline(), difference.candidate(), difference.difference(),
                    difference.ci95().low(), difference.ci95().high());
        }
        out.printf(Locale.ROOT, "McNemar (exact): b=%d right only in baseline, c=%d right only in candidate, "
                + "p=%.4g%n", comparison.mcNemar().baselineOnlyCorrect(), comparison.mcNemar().candidateOnlyCorrect(),
                comparison.mcNemar().pValue());
        out.printf(Locale.ROOT, "Flipped rows: %d fixed, %d broken.%n", comparison.fixed().count(),
                comparison.broken().count());
        out.println(verdict.describe());
    }

    private Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("baseline", baseline);
        options.put("candidate", candidate);
        options.put("metric", metric);
        options.put("maxRegression", maxRegression);
        options.put("bootstrapReplicates", replicates);
        options.put("seed", seed);
        options.put("maxListedFlips", maxListedFlips);
        options.put("prices", prices == null ? null : prices.toString());
        options.put("maxBadRows", common.maxBadRows);
        return options;
    }
}
