package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.judging.calibration.CalibrationReport;
import dev.tuneladder.core.judging.calibration.CalibrationResult;
import dev.tuneladder.core.judging.calibration.CalibrationState;
import dev.tuneladder.core.judging.calibration.LlmBarFiles;
import dev.tuneladder.core.judging.calibration.Verdict;
import dev.tuneladder.core.judging.calibration.VerdictFile;
import dev.tuneladder.core.judging.calibration.VerdictScale;
import dev.tuneladder.core.report.CalibrationPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import picocli.CommandLine.Spec;

/** Compares recorded judge verdicts with gold labels and human reviewers. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {
            "Calibrates automatic judges against gold labels and human reviewers from recorded verdicts: accuracy "
                    + "per presentation order with 95%% bootstrap intervals, Cohen's kappa, swap consistency and "
                    + "positional preference for pairwise judges, and per-reviewer agreement, leniency and "
                    + "inter-reviewer kappa.",
            "Writes calibration.json, calibration.md, calibration.html (a self-contained page with charts of "
                    + "accuracy per judge and order and of swap consistency), config.json and run.json to the "
                    + "output folder.",
            "Formats: 'llmbar' reads LLMBar evaluator result.json files (gold from their 'label' field, or from "
                    + "the dataset.json given as --gold). 'jsonl' reads verdict JSON Lines "
                    + "{\"itemId\", \"judge\" or \"reviewer\", \"verdict\", \"swapped\"?, \"gold\"?}, where a "
                    + "swapped pairwise verdict names the position picked as shown; --gold then takes JSON Lines "
                    + "{\"itemId\", \"gold\"}."
        })
final class CalibrateCommand implements Callable<Integer> {

    static final String HTML_FILE = "calibration.html";

    /** Input formats of {@code --format}. */
    enum Format {
        LLMBAR,
        JSONL;

        static Format parse(String value) {
            for (Format format : values()) {
                if (format.optionValue().equals(value.toLowerCase(Locale.ROOT))) {
                    return format;
                }
            }
            throw new IllegalArgumentException("unknown --format '" + value + "'; use llmbar or jsonl");
        }

        String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--verdicts", required = true, paramLabel = "FILE",
            description = "Recorded verdicts; repeat the option for several judges. For llmbar, an evaluator's "
                    + "result.json; for jsonl, a verdict file.")
    List<Path> verdicts;

    @Option(names = "--gold", paramLabel = "FILE",
            description = "Gold labels. For llmbar, the dataset.json of the same subset (the result files must "
                    + "match it element by element); for jsonl, JSON Lines of {\"itemId\", \"gold\"}.")
    Path gold;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "llmbar or jsonl. Default: llmbar when every --verdicts file ends in .json, else jsonl.")
    String format;

    @Option(names = "--scale", paramLabel = "SCALE", defaultValue = "pairwise",
            description = "Verdict values for jsonl: pairwise (\"1\" or \"2\"), pass-fail, or score:MIN-MAX such as "
                    + "score:1-5. LLMBar files are always pairwise. Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--judge", paramLabel = "NAME",
            description = "Judge name of each llmbar --verdicts file, in the same order. Default: the evaluator "
                    + "folders, such as GPT-4/Vanilla for evaluators/GPT-4/Vanilla/result.json.")
    List<String> judges;

    @Option(names = "--bootstrap-replicates", paramLabel = "N", defaultValue = "1000",
            description = "Poisson bootstrap replicates for the 95%% accuracy intervals. Default: ${DEFAULT-VALUE}.")
    int replicates;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the bootstrap weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        Format chosen = format != null ? Format.parse(format) : inferFormat(verdicts);
        VerdictScale verdictScale = VerdictScale.parse(scale);
        if (chosen == Format.LLMBAR && !verdictScale.equals(VerdictScale.PAIRWISE)) {
            throw new IllegalArgumentException("--scale " + scale + " does not apply to LLMBar files, which are"
                    + " pairwise; drop --scale or use --format jsonl");
        }
        if (judges != null && chosen != Format.LLMBAR) {
            throw new IllegalArgumentException("--judge names LLMBar result files; a jsonl verdict file names its"
                    + " judges in each row");
        }
        RunFolder run = RunFolder.create(common.out, "calibration", Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        CalibrationState state = new CalibrationState(verdictScale, replicates, seed);

        if (chosen == Format.LLMBAR) {
            addLlmBar(state, badRows);
        } else {
            addJsonLines(state, verdictScale, badRows);
        }
        CalibrationResult result = state.result();

        String title = String.join(", ", verdicts.stream().map(Path::toString).toList());
        run.writeJson("calibration.json", result);
        run.writeText("calibration.md", CalibrationReport.markdown(result, title));
        run.writeText(HTML_FILE, CalibrationPage.render(result, title));
        for (int i = 0; i < verdicts.size(); i++) {
            run.recordInput(i == 0 ? "verdicts" : "verdicts-" + (i + 1), verdicts.get(i));
        }
        if (gold != null) {
            run.recordInput("gold", gold);
        }
        run.writeRejects(badRows);
        run.writeConfig("calibrate", options(chosen, verdictScale));
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        printSummary(out, result);
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    private void addLlmBar(CalibrationState state, BadRows badRows) {
        List<String> names = judgeNames();
        List<LlmBarFiles.Item> reference = null;
        String referenceSource = null;
        if (gold != null) {
            try (Reader reader = InputFiles.open(gold, "--gold")) {
                reference = LlmBarFiles.readDataset(reader, gold.toString(), badRows);
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read " + gold, e);
            }
            referenceSource = gold.toString();
            reference.forEach(item -> state.addGold(item.itemId(), item.label()));
        }

        for (int i = 0; i < verdicts.size(); i++) {
            Path file = verdicts.get(i);
            List<LlmBarFiles.Judgement> judgements;
            try (Reader reader = InputFiles.open(file, "--verdicts")) {
                judgements = LlmBarFiles.readResults(reader, file.toString(), badRows);
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read " + file, e);
            }
            if (reference == null) {
                reference = judgements.stream().map(LlmBarFiles.Judgement::item).toList();
                referenceSource = file.toString();
            }
            List<LlmBarFiles.Judgement> matched = LlmBarFiles.matchItems(judgements, file.toString(), reference,
                    referenceSource, badRows);
            matched.forEach(judgement -> state.addGold(judgement.item().itemId(), judgement.item().label()));
            LlmBarFiles.verdicts(names.get(i), matched).forEach(state::add);
        }
    }

    private void addJsonLines(CalibrationState state, VerdictScale verdictScale, BadRows badRows) {
        Map<String, Integer> knownGold = new HashMap<>();
        if (gold != null) {
            try (Reader reader = InputFiles.open(gold, "--gold")) {
                knownGold.putAll(VerdictFile.readGold(reader, gold.toString(), verdictScale, badRows));
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read " + gold, e);
            }
        }
        knownGold.forEach(state::addGold);

        for (Path file : verdicts) {
            VerdictFile.Contents contents;
            try (Reader reader = InputFiles.open(file, "--verdicts")) {
                contents = VerdictFile.read(reader, file.toString(), verdictScale, knownGold, badRows);
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read " + file, e);
            }
            contents.gold().forEach((itemId, code) -> {
                state.addGold(itemId, code);
                knownGold.putIfAbsent(itemId, code);
            });
            for (Verdict verdict : contents.verdicts()) {
                try {
                    state.add(verdict);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage()
                            + " (the verdict conflicts with an earlier --verdicts file)", e);
                }
            }
        }
    }

    /** Returns the judge name of each llmbar verdict file: --judge, else the evaluator folders. */
    private List<String> judgeNames() {
        if (judges != null && judges.size() != verdicts.size()) {
            throw new IllegalArgumentException("--judge was given " + judges.size() + " times for "
                    + verdicts.size() + " --verdicts files; give one name per file, in the same order");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            names.add(judges != null ? judges.get(i) : defaultJudgeName(verdicts.get(i)));
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("two --verdicts files have the judge name '" + name
                        + "'; name each with --judge");
            }
        }
        return names;
    }

    /** Returns "GPT-4/Vanilla" for .../evaluators/GPT-4/Vanilla/result.json, else the file name without extension. */
    static String defaultJudgeName(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path method = absolute.getParent();
        Path evaluator = method == null ? null : method.getParent();
        Path evaluators = evaluator == null ? null : evaluator.getParent();
        if (evaluators != null && evaluators.getFileName() != null
                && evaluators.getFileName().toString().equals("evaluators")) {
            return evaluator.getFileName() + "/" + method.getFileName();
        }
        return RunFolder.datasetName(file);
    }

    private static Format inferFormat(List<Path> files) {
        for (Path file : files) {
            if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
                return Format.JSONL;
            }
        }
        return Format.LLMBAR;
    }

    private Map<String, Object> options(Format chosen, VerdictScale verdictScale) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("verdicts", verdicts.stream().map(Path::toString).toList());
        options.put("gold", gold == null ? null : gold.toString());
        options.put("format", chosen.optionValue());
        options.put("scale", verdictScale.spec());
        options.put("judges", judges);
        options.put("bootstrapReplicates", replicates);
        options.put("seed", seed);
        options.put("maxBadRows", common.maxBadRows);
        return options;
    }

    /** Prints the judge table and one line per reviewer section, fixed-width, with {@link Locale#ROOT} numbers. */
    private static void printSummary(PrintWriter out, CalibrationResult result) {
        out.printf(Locale.ROOT, "Scale %s: %d items, %d with gold.%n", result.scale(), result.items(),
                result.itemsWithGold());
        if (!result.judges().isEmpty()) {
            List<List<String>> lines = new ArrayList<>();
            lines.add(CalibrationReport.JUDGE_HEADERS);
            lines.addAll(CalibrationReport.judgeRows(result));
            out.print(fixedWidth(lines));
        }
        if (!result.reviewers().isEmpty()) {
            String kappa = result.fleissKappa() == null ? "n/a"
                    : String.format(Locale.ROOT, "%.3f", result.fleissKappa());
            out.printf(Locale.ROOT, "%d reviewers; Fleiss' kappa %s over %d items. Per-reviewer agreement and "
                    + "leniency are in calibration.md.%n", result.reviewers().size(), kappa, result.fleissItems());
        }
    }

    private static String fixedWidth(List<List<String>> lines) {
        int columns = lines.get(0).size();
        int[] widths = new int[columns];
        for (List<String> line : lines) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }

        StringBuilder table = new StringBuilder();
        for (int row = 0; row < lines.size(); row++) {
            List<String> line = lines.get(row);
            for (int i = 0; i < columns; i++) {
                String padding = " ".repeat(widths[i] - line.get(i).length());
                table.append(i == 0 ? "" : "  ").append(i < 2 ? line.get(i) + padding : padding + line.get(i));
            }
            table.append(System.lineSeparator());
            if (row == 0) {
                int total = 2 * (columns - 1);
                for (int width : widths) {
                    total += width;
                }
                table.append("-".repeat(total)).append(System.lineSeparator());
            }
        }
        return table.toString();
    }
}
