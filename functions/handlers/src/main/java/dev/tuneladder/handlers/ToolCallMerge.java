package dev.tuneladder.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.evaluation.ToolCallEvaluation;
import dev.tuneladder.core.evaluation.toolcalls.ToolCallMetricsState;
import dev.tuneladder.core.metrics.MetricsFormatException;
import dev.tuneladder.core.metrics.ToolCallSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool-call side of the aggregate task: merges the {@link ToolCallBatch} fields of a run's partial states into
 * one {@link ToolCallMetricsState}, whose result equals a single pass over all rows, and builds the tool-call
 * section of metrics.json as the command line's {@code evaluate} does.
 *
 * <p>Either every partial of a run carries a tool-call state or none does, because every batch of a run gets the
 * same {@code metrics} setting; a mix fails the task.
 */
final class ToolCallMerge {

    private String firstSource;
    private boolean present;
    private ToolCallMetricsState merged;
    private final List<ToolCallEvaluation.RowFailure> failures = new ArrayList<>();
    private final Map<String, String> rowSources = new HashMap<>();
    private long missingPredictions;
    private long failedPredictions;
    private ToolCallSummary summary;

    /** Merges the tool-call fields of one partial state, if it has them. */
    void add(JsonNode partial, String source) {
        boolean has = partial.has(ToolCallBatch.STATE_FIELD);
        if (firstSource == null) {
            firstSource = source;
            present = has;
        } else if (has != present) {
            throw new InvalidTaskInput("partialKeys", (has ? source : firstSource) + " has a tool-call state but "
                    + (has ? firstSource : source) + " has none, so the batches of this run were scored with"
                    + " different metrics; evaluate every batch of a run with the same 'metrics' setting");
        }
        if (!has) {
            return;
        }

        ToolCallMetricsState state;
        try {
            state = ToolCallMetricsState.fromJson(partial.get(ToolCallBatch.STATE_FIELD), source);
        } catch (MetricsFormatException e) {
            throw new InvalidTaskInput("partialKeys", e.getMessage());
        }
        try {
            merged = merged == null ? state : merged.merge(state);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput("partialKeys", source + ": " + e.getMessage());
        }
        readRowIds(partial, source);
        readFailures(partial, source);
        missingPredictions += partial.path(ToolCallBatch.MISSING_FIELD).asLong();
        failedPredictions += partial.path(ToolCallBatch.FAILED_FIELD).asLong();
    }

    /** Records the partial's row ids; a row in two partials would be counted twice, so it fails the task. */
    private void readRowIds(JsonNode partial, String source) {
        JsonNode array = partial.get(ToolCallBatch.ROW_IDS_FIELD);
        if (array == null || !array.isArray()) {
            throw new InvalidTaskInput("partialKeys", source + " has a tool-call state but no '"
                    + ToolCallBatch.ROW_IDS_FIELD + "' array; run evaluate-batch again for this batch");
        }
        for (JsonNode id : array) {
            String previous = rowSources.putIfAbsent(id.asText(), source);
            if (previous != null) {
                throw new InvalidTaskInput("partialKeys", "tool-call row '" + id.asText() + "' was scored in both "
                        + previous + " and " + source + "; give every row to one batch only");
            }
        }
    }

    private void readFailures(JsonNode partial, String source) {
        JsonNode array = partial.get(ToolCallBatch.FAILURES_FIELD);
        if (array == null || !array.isArray()) {
            throw new InvalidTaskInput("partialKeys", source + " has a tool-call state but no '"
                    + ToolCallBatch.FAILURES_FIELD + "' array; run evaluate-batch again for this batch");
        }
        for (int i = 0; i < array.size(); i++) {
            try {
                failures.add(StepTaskHandler.MAPPER.treeToValue(array.get(i), ToolCallEvaluation.RowFailure.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new InvalidTaskInput("partialKeys", source + ": " + ToolCallBatch.FAILURES_FIELD + "[" + i
                        + "] is not a tool-call row failure; run evaluate-batch again for this batch");
            }
        }
    }

    /** Returns whether the run's partial states carry tool-call states. */
    boolean present() {
        return present;
    }

    long rows() {
        return merged.rows();
    }

    /** Returns the failed rows, in the order of the partial keys and, within a partial, of its items. */
    List<ToolCallEvaluation.RowFailure> failures() {
        return failures;
    }

    /** Returns the tool-call section of metrics.json over the merged rows. */
    ToolCallSummary summary() {
        if (summary == null) {
            summary = new ToolCallEvaluation.Result(merged.result(), null, failures, missingPredictions,
                    failedPredictions).summary(null, null);
        }
        return summary;
    }

    /** Adds the counts that the command line's evaluate puts into the run's {@code extra} object. */
    void describe(Map<String, Object> extra) {
        extra.put(ToolCallBatch.MISSING_FIELD, missingPredictions);
        extra.put(ToolCallBatch.FAILED_FIELD, failedPredictions);
    }
}
