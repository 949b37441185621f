package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.evaluation.ToolCallEvaluation;
import dev.tuneladder.core.evaluation.toolcalls.FunctionDoc;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetricsState;
import java.util.ArrayList;
import java.util.List;

/**
 * The tool-call side of one evaluate-batch call: collects the rows that carry expected tool calls with their
 * recorded predictions, scores them with {@link ToolCallEvaluation} into a {@link ToolCallMetricsState}, and writes
 * the state, the failed rows and the prediction counts into the partial object that the aggregate task merges.
 *
 * <p>Counts follow the command line's {@code evaluate}: a row with no prediction is missing, and a row whose
 * prediction is invalid or carries an error is failed. Both are scored as a plan of no calls.
 */
final class ToolCallBatch {

    /** Partial field of the {@link ToolCallMetricsState#toJson()} form; absent in routing-only partials. */
    static final String STATE_FIELD = "toolCallState";
    /** Partial field of the rows that failed the plan check, as {@link ToolCallEvaluation.RowFailure} objects. */
    static final String FAILURES_FIELD = "toolCallFailures";
    static final String MISSING_FIELD = "toolCallMissingPredictions";
    static final String FAILED_FIELD = "toolCallFailedPredictions";
    /** Partial field of the scored rows' ids, so aggregate can reject a row that two batches scored. */
    static final String ROW_IDS_FIELD = "toolCallRowIds";

    private final int replicates;
    private final long seed;
    private final List<Interaction> rows = new ArrayList<>();
    private final List<Prediction> predictions = new ArrayList<>();
    private long missingPredictions;
    private long failedPredictions;

    ToolCallBatch(int replicates, long seed) {
        this.replicates = replicates;
        this.seed = seed;
    }

    /** Returns whether the row carries expected tool calls, so this batch scores it. */
    static boolean covers(Interaction interaction) {
        return ToolCallEvaluation.hasExpectedCalls(interaction);
    }

    /**
     * Returns why the row's offered function documents cannot be read, or null when they can. The plan check
     * reads them, so a row that fails here would fail the whole batch instead of being rejected alone.
     */
    static String invalidTools(Interaction interaction) {
        try {
            FunctionDoc.byName(interaction.tools());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Adds a row whose item has no prediction. */
    void addMissing(Interaction interaction) {
        missingPredictions++;
        rows.add(interaction);
    }

    /** Adds a row whose recorded prediction is invalid or names another id, so it is scored with none. */
    void addInvalid(Interaction interaction) {
        failedPredictions++;
        rows.add(interaction);
    }

    /** Adds a row with its prediction; a prediction that carries an error counts as failed. */
    void add(Interaction interaction, Prediction prediction) {
        if (prediction.error() != null) {
            failedPredictions++;
        }
        rows.add(interaction);
        predictions.add(prediction);
    }

    long rows() {
        return rows.size();
    }

    /**
     * Scores the collected rows and writes the state, failures and counts into {@code partial}. A batch without
     * tool-call rows writes an empty state, which merges as zero rows, because the metrics of no rows are undefined.
     */
    void describe(ObjectNode partial) {
        ToolCallMetricsState state = new ToolCallMetricsState(replicates, seed,
                ToolCallMetricsState.DEFAULT_SAMPLE_ROW_IDS);
        List<ToolCallEvaluation.RowFailure> rowFailures = List.of();
        if (!rows.isEmpty()) {
            rowFailures = ToolCallEvaluation.evaluate(rows, predictions, state, null,
                    ToolCallMetricsState.DEFAULT_SAMPLE_ROW_IDS).failures();
        }
        partial.put(MISSING_FIELD, missingPredictions);
        partial.put(FAILED_FIELD, failedPredictions);
        partial.set(STATE_FIELD, state.toJson());
        ArrayNode ids = partial.putArray(ROW_IDS_FIELD);
        for (Interaction row : rows) {
            ids.add(row.id());
        }
        ArrayNode failures = partial.putArray(FAILURES_FIELD);
        for (ToolCallEvaluation.RowFailure failure : rowFailures) {
            JsonNode node = StepTaskHandler.MAPPER.valueToTree(failure);
            failures.add(node);
        }
    }
}
