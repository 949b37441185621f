package dev.tuneladder.core.evaluation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Expected;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.evaluation.toolcalls.AcceptedValues;
import dev.tuneladder.core.evaluation.toolcalls.ArgumentSimilarity;
import dev.tuneladder.core.evaluation.toolcalls.ArgumentSimilarityState;
import dev.tuneladder.core.evaluation.toolcalls.ArgumentSimilaritySummary;
import dev.tuneladder.core.evaluation.toolcalls.FailureReason;
import dev.tuneladder.core.evaluation.toolcalls.HardFail;
import dev.tuneladder.core.evaluation.toolcalls.PlanCheck;
import dev.tuneladder.core.evaluation.toolcalls.RowSimilarity;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetrics;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetricsState;
import dev.tuneladder.core.metrics.ToolCallSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Scores the tool calls of planner predictions against the expected calls of a dataset.
 *
 * <p>Every dataset row is scored exactly once. A row with no prediction, or whose prediction carries an error,
 * counts as a plan of no calls, so it fails unless the reference expects none; it is reported, never dropped.
 * The reference of a row is its expected accepted calls, or, when there are none, its expected concrete calls
 * taken as exact values.
 */
public final class ToolCallEvaluation {

    /** Rows per batch of argument-similarity scoring, so that memory stays bounded on large datasets. */
    private static final int SIMILARITY_BATCH_ROWS = 512;

    private ToolCallEvaluation() {
    }

    /**
     * One row that failed the structured check, as written to toolcall-failures.jsonl.
     *
     * @param id the row id
     * @param reason the primary failure reason
     * @param detail a sentence naming the call, function and argument at fault, without argument values
     */
    @JsonPropertyOrder({"id", "reason", "detail"})
    public record RowFailure(String id, FailureReason reason, String detail) {

        public RowFailure {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The metrics and the rows behind them.
     *
     * @param metrics the planner metrics
     * @param similarity the argument similarity, or null when it was not computed
     * @param failures the failed rows in dataset order
     * @param missingPredictions dataset rows with no prediction at all
     * @param failedPredictions dataset rows whose prediction has an error
     */
    public record Result(ToolCallMetrics metrics, ArgumentSimilaritySummary similarity, List<RowFailure> failures,
            long missingPredictions, long failedPredictions) {

        public Result {
            Objects.requireNonNull(metrics, "metrics");
            failures = List.copyOf(failures);
        }

        /**
         * Returns the tool-call section of metrics.json.
         *
         * @param similarityScorer the scorer behind {@link #similarity()}, for its threshold; ignored when that is
         *     null
         * @param embeddingModel the embedder's model id; ignored when {@link #similarity()} is null
         */
        public ToolCallSummary summary(ArgumentSimilarity similarityScorer, String embeddingModel) {
            Map<String, Long> reasons = new TreeMap<>();
            metrics.failureReasons().forEach((reason, count) -> reasons.put(reason.name(), count));
            List<ToolCallSummary.HardFail> hardFails = new ArrayList<>();
            for (HardFail hardFail : metrics.hardFails()) {
                hardFails.add(new ToolCallSummary.HardFail(hardFail.referenceTools(), hardFail.calledTool(),
                        hardFail.calls(), hardFail.rows(), hardFail.sampleRowIds()));
            }
            ToolCallSummary.ArgumentSimilarity argumentSimilarity = null;
            if (similarity != null) {
                Objects.requireNonNull(similarityScorer, "similarityScorer");
                Objects.requireNonNull(embeddingModel, "embeddingModel");
                argumentSimilarity = new ToolCallSummary.ArgumentSimilarity(embeddingModel,
                        similarityScorer.lowSimilarityThreshold(), similarity.rows(), similarity.scoredRows(),
                        similarity.meanRowCosine(), similarity.lowSimilarityRows(),
                        similarity.sampleLowSimilarityRowIds());
            }
            return new ToolCallSummary(metrics.rows(), metrics.exactMatches(), metrics.exactMatchRate(),
                    metrics.exactMatchRateCi95(), metrics.micro(), metrics.macro(), new TreeMap<>(reasons),
                    new TreeMap<>(metrics.perTool()), hardFails, argumentSimilarity);
        }
    }

    /** Returns whether {@code row} carries expected tool calls, either accepted-value calls or concrete ones. */
    public static boolean hasExpectedCalls(Interaction row) {
        Expected expected = row.expected();
        return expected != null && (!expected.acceptedCalls().isEmpty() || !expected.toolCalls().isEmpty());
    }

    /**
     * Adds every dataset row to {@code state} and returns the result.
     *
     * @param similarity scores argument similarity of the paired calls when not null
     * @param similaritySampleRowIds how many low-similarity row ids the summary keeps
     * @throws IllegalArgumentException when a row has no expected outcome, a function document is invalid, or a
     *     prediction names an id that is not in the dataset
     */
    public static Result evaluate(List<Interaction> dataset, List<Prediction> predictions, ToolCallMetricsState state,
            ArgumentSimilarity similarity, int similaritySampleRowIds) {
        Map<String, Prediction> predictionById = new HashMap<>();
        for (Prediction prediction : predictions) {
            predictionById.put(prediction.id(), prediction);
        }
        ArgumentSimilarityState similarityState = similarity == null ? null
                : new ArgumentSimilarityState(similaritySampleRowIds);
        List<ArgumentSimilarity.RowCalls> pending = new ArrayList<>();
        List<RowFailure> failures = new ArrayList<>();
        long missing = 0;
        long failed = 0;
        long matched = 0;
        for (Interaction row : dataset) {
            Prediction prediction = predictionById.get(row.id());
            if (prediction == null) {
                missing++;
            } else {
                matched++;
                if (prediction.error() != null) {
                    failed++;
                }
            }
            List<ToolCall> produced = prediction == null || prediction.error() != null ? List.of()
                    : prediction.toolCalls();
            List<AcceptedCall> reference = reference(row);
            PlanCheck check = state.add(row.id(), produced, reference, row.tools());
            if (!check.isExactMatch()) {
                failures.add(new RowFailure(row.id(), check.reason(), check.detail()));
            }
            if (similarityState != null) {
                pending.add(new ArgumentSimilarity.RowCalls(row.id(), produced, reference, check));
                if (pending.size() == SIMILARITY_BATCH_ROWS) {
                    scoreSimilarity(similarity, pending, similarityState);
                }
            }
        }
        if (matched < predictionById.size()) {
            throw new IllegalArgumentException((predictionById.size() - matched) + " predictions name ids that are "
                    + "not in the dataset; evaluate them against the dataset they were made for");
        }
        if (similarityState != null) {
            scoreSimilarity(similarity, pending, similarityState);
        }
        return new Result(state.result(), similarityState == null ? null : similarityState.result(), failures,
                missing, failed);
    }

    private static List<AcceptedCall> reference(Interaction row) {
        Expected expected = row.expected();
        if (expected == null) {
            throw new IllegalArgumentException("dataset row '" + row.id() + "' has no expected outcome, so its tool"
                    + " calls cannot be scored; add expected tool calls or remove the row");
        }
        return expected.acceptedCalls().isEmpty()
                ? expected.toolCalls().stream().map(AcceptedValues::exactly).toList()
                : expected.acceptedCalls();
    }

    private static void scoreSimilarity(ArgumentSimilarity similarity, List<ArgumentSimilarity.RowCalls> pending,
            ArgumentSimilarityState state) {
        if (pending.isEmpty()) {
            return;
        }
        for (RowSimilarity row : similarity.score(pending)) {
            state.add(row);
        }
        pending.clear();
    }
}
