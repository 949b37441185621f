package dev.tuneladder.core.evaluation;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores routing predictions against the intent labels of a dataset.
 *
 * <p>Every labelled dataset row is scored exactly once. A row with no prediction, or whose prediction carries an
 * error or no label, counts as wrong (a false negative for its gold label) and is reported, never dropped.
 */
public final class RoutingEvaluation {

    private RoutingEvaluation() {
    }

    /**
     * The metrics and the rows that could not be scored as predicted.
     *
     * @param missingPredictions dataset rows with no prediction at all
     * @param failedPredictions dataset rows whose prediction has an error or no label
     */
    public record Result(RoutingMetrics metrics, long missingPredictions, long failedPredictions) {
    }

    /**
     * Adds every dataset row to {@code state} and returns the result.
     *
     * @throws IllegalArgumentException when a dataset row has no intent or a prediction names an id that is not
     *     in the dataset
     */
    public static Result evaluate(List<Interaction> dataset, List<Prediction> predictions, RoutingMetricsState state) {
        Map<String, Prediction> predictionById = new HashMap<>();
        for (Prediction prediction : predictions) {
            predictionById.put(prediction.id(), prediction);
        }
        long missing = 0;
        long failed = 0;
        long matched = 0;
        for (Interaction row : dataset) {
            if (row.intent() == null) {
                throw new IllegalArgumentException("dataset row '" + row.id() + "' has no intent label, so its "
                        + "routing cannot be scored; label it or remove it from the dataset");
            }
            Prediction prediction = predictionById.get(row.id());
            String predicted = null;
            if (prediction == null) {
                missing++;
            } else {
                matched++;
                if (prediction.error() != null || prediction.label() == null) {
                    failed++;
                } else {
                    predicted = prediction.label();
                }
            }
            state.add(row.id(), row.intent(), predicted);
        }
        if (matched < predictionById.size()) {
            throw new IllegalArgumentException((predictionById.size() - matched) + " predictions name ids that are "
                    + "not in the dataset; evaluate them against the dataset they were made for");
        }
        return new Result(state.result(), missing, failed);
    }
}
