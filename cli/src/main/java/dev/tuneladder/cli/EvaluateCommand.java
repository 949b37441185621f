package dev.tuneladder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.evaluation.RoutingEvaluation;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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

/** Scores routing predictions produced anywhere against a labelled dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {
            "Scores routing predictions against the intent labels of a dataset: per-label precision, recall, F1 "
                    + "and support; micro, macro and weighted averages; accuracy; top confusions; 95% bootstrap "
                    + "confidence intervals for accuracy and macro-F1.",
            "Writes metrics.json, report.md, outcomes.jsonl (one line per row: id, gold, predicted, correct, "
                    + "stratum, latency; the input of 'tuneladder compare'), config.json and run.json to the output "
                    + "folder. A dataset row with no prediction counts as wrong; it is never skipped."
        })
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Labelled interactions (JSON Lines, as written by 'tuneladder import').")
    Path dataset;

    @Option(names = "--predictions", required = true, paramLabel = "FILE",
            description = "Predictions (JSON Lines with id and label, as written by 'tuneladder route').")
    Path predictions;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "JSON array of every valid label. When given, rows whose label is not in it are "
                    + "rejected, and labels never seen still count in macro averages.")
    Path labels;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Run name in metrics.json and the report. Default: the predictions file name.")
    String name;

    @Option(names = "--bootstrap-replicates", paramLabel = "N", defaultValue = "1000",
            description = "Poisson bootstrap replicates for the 95% intervals. Default: ${DEFAULT-VALUE}.")
    int replicates;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the bootstrap weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stratum-field", paramLabel = "KEY",
            description = "Metadata key whose value is a row's stratum in outcomes.jsonl and in comparisons' "
                    + "per-stratum tables. Default: the gold intent. Rows without the key fall back to the intent.")
    String stratumField;

    @Override
    public Integer call() {
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(predictions), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        Set<String> labelSet = labels == null ? null : InputFiles.readLabels(labels, "--labels");

        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset",
                row -> checkGold(row, labelSet), badRows);
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.id()));
        List<Prediction> predicted = InputFiles.readPredictions(predictions, "--predictions",
                prediction -> checkPrediction(prediction, ids, labelSet), badRows);

        RoutingMetricsState state = new RoutingMetricsState(replicates, seed, labelSet == null ? List.of() : labelSet);
        RoutingEvaluation.Result result = RoutingEvaluation.evaluate(rows, predicted, state);

        String runName = name != null ? name : RunFolder.datasetName(predictions);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("missingPredictions", result.missingPredictions());
        extra.put("failedPredictions", result.failedPredictions());
        extra.put("rejectedRows", badRows.count());
        MetricsDocument document = MetricsDocument.of(MetricsDocument.Run.of(runName, result.metrics(), extra));
        Reports.write(run, document);
        List<RowOutcome> outcomes = RowOutcomes.of(rows, predicted, this::stratumOf);
        run.writeJsonLines(RowOutcomes.FILE_NAME, outcomes);

        run.recordInput("dataset", dataset);
        run.recordInput("predictions", predictions);
        if (labels != null) {
            run.recordInput("labels", labels);
        }
        run.writeRejects(badRows);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("dataset", dataset.toString());
        options.put("predictions", predictions.toString());
        options.put("labels", labels == null ? null : labels.toString());
        options.put("name", runName);
        options.put("bootstrapReplicates", replicates);
        options.put("seed", seed);
        options.put("stratumField", stratumField);
        options.put("maxBadRows", common.maxBadRows);
        run.writeConfig("evaluate", options);
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        out.print(SummaryTable.render(document));
        if (result.missingPredictions() > 0 || result.failedPredictions() > 0) {
            out.printf(Locale.ROOT, "%d rows had no prediction and %d had a failed prediction; both count as wrong.%n",
                    result.missingPredictions(), result.failedPredictions());
        }
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    /** Returns the row's value under --stratum-field as text, or null (meaning the gold intent) when absent. */
    private String stratumOf(Interaction row) {
        if (stratumField == null) {
            return null;
        }
        JsonNode value = row.metadata().get(stratumField);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String checkGold(Interaction row, Set<String> labelSet) {
        if (row.intent() == null) {
            return "row '" + row.id() + "' has no intent label; routing evaluation needs one on every row";
        }
        if (labelSet != null && !labelSet.contains(row.intent())) {
            return "intent '" + row.intent() + "' is not in the --labels file; fix the label or add it there";
        }
        return null;
    }

    private static String checkPrediction(Prediction prediction, Set<String> ids, Set<String> labelSet) {
        if (!ids.contains(prediction.id())) {
            return "prediction id '" + prediction.id() + "' is not in the --dataset file; predictions must answer "
                    + "rows of that dataset";
        }
        if (labelSet != null && prediction.label() != null && !labelSet.contains(prediction.label())) {
            return "predicted label '" + prediction.label() + "' is not in the --labels file; fix the prediction "
                    + "or add the label there";
        }
        return null;
    }
}
