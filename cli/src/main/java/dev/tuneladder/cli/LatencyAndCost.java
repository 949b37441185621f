package dev.tuneladder.cli;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.metrics.LatencyState;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.PriceTable;
import dev.tuneladder.core.metrics.UsageCost;
import dev.tuneladder.core.metrics.UsageCostState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Adds the latency and cost sections of a run from the predictions that recorded latency and token usage. */
final class LatencyAndCost {

    private LatencyAndCost() {
    }

    /**
     * Returns {@code run} with the end-to-end latency percentiles and histogram of {@code predictions}, or
     * {@code run} itself when no prediction recorded a latency.
     */
    static MetricsDocument.Run withLatency(MetricsDocument.Run run, List<Prediction> predictions) {
        LatencyState state = new LatencyState();
        for (Prediction prediction : predictions) {
            if (prediction.latencyMillis() != null) {
                state.addEndToEnd(prediction.latencyMillis());
            }
        }
        if (state.isEmpty()) {
            return run;
        }
        return run.withLatency(state.result(), state.histogram(LatencyState.END_TO_END));
    }

    /**
     * Prices the token usage of the predictions of {@code rows}. A row without a prediction costs nothing and
     * counts as wrong.
     *
     * @param correctIds the ids of the rows the run got right, for the cost per correct answer
     * @throws IllegalArgumentException when a model that used tokens has no price in {@code prices}
     */
    static UsageCost cost(List<Interaction> rows, List<Prediction> predictions, Set<String> correctIds,
            PriceTable prices) {
        Map<String, Prediction> predictionById = new HashMap<>();
        predictions.forEach(prediction -> predictionById.put(prediction.id(), prediction));
        UsageCostState state = new UsageCostState();
        for (Interaction row : rows) {
            Prediction prediction = predictionById.get(row.id());
            boolean correct = correctIds.contains(row.id());
            if (prediction == null) {
                state.add(null, null, correct);
            } else {
                state.add(prediction.modelId(), prediction.usage(), correct);
            }
        }
        return state.result(prices);
    }
}
