package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Made-up labelled rows with predictions, about one in four wrong, as evaluate-batch items. */
final class EvaluationRows {

    private EvaluationRows() {
    }

    record Row(Interaction interaction, Prediction prediction) {
    }

    static List<Row> rows(int count, int labels) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "row-%04d", i);
            String gold = "intent_" + (i % labels);
            String predicted = i % 4 == 3 ? "intent_" + ((i + 1) % labels) : gold;
            rows.add(new Row(Interaction.ofUtterance(id, "question " + i, gold),
                    i % 17 == 16 ? null : Prediction.ofLabel(id, predicted, 0.9, 100 + i, "candidate")));
        }
        return rows;
    }

    static ArrayNode items(List<Row> rows) {
        ArrayNode items = Json.mapper().createArrayNode();
        for (Row row : rows) {
            ObjectNode item = items.addObject();
            item.set("interaction", Json.mapper().valueToTree(row.interaction()));
            item.set("prediction", Json.mapper().valueToTree(row.prediction()));
        }
        return items;
    }

    static ObjectNode batchInput(String runId, int replicates, List<Row> rows) {
        ObjectNode input = Json.mapper().createObjectNode();
        input.put("runId", runId);
        input.put("replicates", replicates);
        input.set("items", items(rows));
        return input;
    }

    /** The state of a single pass over all rows, as the reference for merged partials. */
    static RoutingMetricsState singlePass(List<Row> rows, int replicates) {
        RoutingMetricsState state = new RoutingMetricsState(replicates, RoutingMetricsState.DEFAULT_SEED);
        for (Row row : rows) {
            state.add(row.interaction().id(), row.interaction().intent(),
                    row.prediction() == null ? null : row.prediction().label());
        }
        return state;
    }
}
