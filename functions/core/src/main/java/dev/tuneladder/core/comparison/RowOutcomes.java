package dev.tuneladder.core.comparison;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.data.Prediction;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds, reads, writes and pairs the per-row outcomes of runs. */
public final class RowOutcomes {

    /** The file an evaluation writes its outcomes to, one {@link RowOutcome} per line. */
    public static final String FILE_NAME = "outcomes.jsonl";

    /** Row ids listed in a mismatch message per side. */
    private static final int LISTED_IDS = 5;

    private RowOutcomes() {
    }

    /**
     * Scores every labelled dataset row as {@link dev.tuneladder.core.evaluation.RoutingEvaluation} does: a row
     * with no prediction, or with a failed or unlabelled one, gets a null predicted label and counts as wrong.
     *
     * @param stratumOf the stratum of a row; null or blank falls back to the gold label
     * @throws IllegalArgumentException when a dataset row has no intent label
     */
    public static List<RowOutcome> of(List<Interaction> dataset, List<Prediction> predictions,
            Function<Interaction, String> stratumOf) {
        Map<String, Prediction> predictionById = new HashMap<>();
        for (Prediction prediction : predictions) {
            predictionById.put(prediction.id(), prediction);
        }
        List<RowOutcome> outcomes = new ArrayList<>(dataset.size());
        for (Interaction row : dataset) {
            if (row.intent() == null) {
                throw new IllegalArgumentException("dataset row '" + row.id() + "' has no intent label, so its"
                        + " outcome cannot be scored; label it or remove it from the dataset");
            }
            Prediction prediction = predictionById.get(row.id());
            String predicted = prediction == null || prediction.error() != null ? null : prediction.label();
            String label = predicted == null || predicted.isBlank() ? null : predicted;
            outcomes.add(new RowOutcome(row.id(), row.intent(), label, row.intent().equals(label),
                    stratumOf.apply(row), prediction == null ? null : prediction.latencyMillis(),
                    prediction == null ? null : prediction.usage(), prediction == null ? null : prediction.modelId()));
        }
        return outcomes;
    }

    /** Writes outcomes as JSON Lines. */
    public static void write(Writer output, List<RowOutcome> outcomes) {
        JsonLines.write(output, outcomes);
    }

    /**
     * Reads outcomes written by {@link #write}, rejecting a row whose id was already seen.
     *
     * @param source the file name used in messages
     */
    public static List<RowOutcome> read(Reader input, String source, BadRows badRows) {
        return JsonLines.readUnique(input, source, RowOutcome.class, RowOutcome::id, row -> null, badRows);
    }

    /**
     * Adds every row of the two runs to {@code state}, pairing them by id.
     *
     * @throws RowMismatchException when the runs do not cover the same row ids
     * @throws IllegalArgumentException when a row has different gold labels in the two runs
     */
    public static PairedComparisonState pair(List<RowOutcome> baseline, List<RowOutcome> candidate,
            PairedComparisonState state) {
        Map<String, RowOutcome> candidateById = new LinkedHashMap<>();
        for (RowOutcome outcome : candidate) {
            if (candidateById.put(outcome.id(), outcome) != null) {
                throw new IllegalArgumentException("the candidate lists row '" + outcome.id() + "' twice; give"
                        + " each row one outcome");
            }
        }
        List<String> onlyInBaseline = new ArrayList<>();
        Map<String, RowOutcome> baselineById = new HashMap<>();
        for (RowOutcome outcome : baseline) {
            if (baselineById.put(outcome.id(), outcome) != null) {
                throw new IllegalArgumentException("the baseline lists row '" + outcome.id() + "' twice; give"
                        + " each row one outcome");
            }
            if (!candidateById.containsKey(outcome.id())) {
                onlyInBaseline.add(outcome.id());
            }
        }
        List<String> onlyInCandidate = new ArrayList<>();
        for (String id : candidateById.keySet()) {
            if (!baselineById.containsKey(id)) {
                onlyInCandidate.add(id);
            }
        }
        if (!onlyInBaseline.isEmpty() || !onlyInCandidate.isEmpty()) {
            throw new RowMismatchException(mismatchMessage(baseline.size(), candidate.size(), onlyInBaseline,
                    onlyInCandidate));
        }

        for (RowOutcome outcome : baseline) {
            state.add(outcome, candidateById.get(outcome.id()));
        }
        return state;
    }

    private static String mismatchMessage(int baselineRows, int candidateRows, List<String> onlyInBaseline,
            List<String> onlyInCandidate) {
        StringBuilder message = new StringBuilder("the runs were not made on the same rows: the baseline has ")
                .append(baselineRows).append(" rows and the candidate ").append(candidateRows).append(". ");
        if (!onlyInBaseline.isEmpty()) {
            message.append(onlyInBaseline.size()).append(" rows are only in the baseline (")
                    .append(firstIds(onlyInBaseline)).append("). ");
        }
        if (!onlyInCandidate.isEmpty()) {
            message.append(onlyInCandidate.size()).append(" rows are only in the candidate (")
                    .append(firstIds(onlyInCandidate)).append("). ");
        }
        return message.append("A paired comparison needs both runs on the same rows: evaluate both on the same")
                .append(" dataset file, with every row predicted or counted as missing.").toString();
    }

    private static String firstIds(List<String> ids) {
        List<String> first = ids.subList(0, Math.min(LISTED_IDS, ids.size()));
        String listed = "'" + String.join("', '", first) + "'";
        return ids.size() > LISTED_IDS ? "first: " + listed + ", ..." : listed;
    }
}
