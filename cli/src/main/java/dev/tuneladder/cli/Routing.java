package dev.tuneladder.cli;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.routing.RetrievalRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs the retrieval router over many rows with progress. */
final class Routing {

    private Routing() {
    }

    static String modelId(int k, String embeddingModelId) {
        return String.format(Locale.ROOT, "retrieval-router(k=%d, %s)", k, embeddingModelId);
    }

    static List<Prediction> predictAll(
            RetrievalRouter router, List<Interaction> rows, List<float[]> vectors, String modelId, String task) {
        List<Prediction> predictions = new ArrayList<>(rows.size());
        try (Progress progress = Progress.start(task, rows.size())) {
            for (int i = 0; i < rows.size(); i++) {
                predictions.add(router.predict(rows.get(i).id(), vectors.get(i), modelId));
                progress.advance(1);
            }
        }
        return predictions;
    }
}
