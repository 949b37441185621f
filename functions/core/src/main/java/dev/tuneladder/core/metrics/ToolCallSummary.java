package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tool-call section of one run in metrics.json: planner metrics over the produced tool calls of rows that
 * carry expected calls. Its JSON keys and their order are a stable contract.
 *
 * <p>A row is an exact plan match when its produced calls pass the structured, order-insensitive check against the
 * reference calls with their accepted values, in the manner of the Berkeley Function Calling Leaderboard checker.
 * Per-tool scores count calls by tool name only: for a tool called p times where the reference calls it r times,
 * tp = min(p, r), fp = p − tp and fn = r − tp.
 *
 * @param rows rows scored
 * @param exactMatches rows whose plan matches the reference exactly
 * @param exactMatchRate exactMatches / rows
 * @param exactMatchRateCi95 the 95% Poisson bootstrap interval of exactMatchRate
 * @param micro precision, recall and F1 from the call counts summed over tools
 * @param macro the unweighted mean of the per-tool scores
 * @param failureReasons failed rows per primary reason (CALL_COUNT, WRONG_FUNCTION, MISSING_REQUIRED_ARGUMENT,
 *     UNEXPECTED_ARGUMENT, WRONG_TYPE, VALUE_NOT_ACCEPTED), every reason present; they add up to rows −
 *     exactMatches
 * @param perTool scores per tool over calls, sorted by tool name; support is the reference calls of the tool
 * @param hardFails calls to tools that the row's reference does not call at all, most calls first
 * @param argumentSimilarity the embedding similarity of produced to reference argument values, or null when it
 *     was not computed
 */
@JsonPropertyOrder({"rows", "exactMatches", "exactMatchRate", "exactMatchRateCi95", "micro", "macro",
    "failureReasons", "perTool", "hardFails", "argumentSimilarity"})
public record ToolCallSummary(
        @JsonProperty(required = true) long rows,
        @JsonProperty(required = true) long exactMatches,
        @JsonProperty(required = true) double exactMatchRate,
        ConfidenceInterval exactMatchRateCi95,
        AveragedScores micro,
        AveragedScores macro,
        SortedMap<String, Long> failureReasons,
        SortedMap<String, LabelScores> perTool,
        List<HardFail> hardFails,
        @JsonInclude(JsonInclude.Include.NON_NULL) ArgumentSimilarity argumentSimilarity) {

    public ToolCallSummary {
        Rates.requireCount("toolCalls rows", rows);
        if (rows < 1 || exactMatches < 0 || exactMatches > rows) {
            throw new IllegalArgumentException("toolCalls needs rows >= 1 and 0 <= exactMatches <= rows, got "
                    + rows + " rows and " + exactMatches + " exact matches");
        }
        Rates.requireRate("exactMatchRate", exactMatchRate);
        Objects.requireNonNull(exactMatchRateCi95, "toolCalls field 'exactMatchRateCi95' is missing");
        Objects.requireNonNull(micro, "toolCalls field 'micro' is missing");
        Objects.requireNonNull(macro, "toolCalls field 'macro' is missing");
        Objects.requireNonNull(failureReasons, "toolCalls field 'failureReasons' is missing");
        Objects.requireNonNull(perTool, "toolCalls field 'perTool' is missing");
        Objects.requireNonNull(hardFails, "toolCalls field 'hardFails' is missing");
        long failed = 0;
        for (Map.Entry<String, Long> entry : failureReasons.entrySet()) {
            Long count = entry.getValue();
            if (count == null || count < 0) {
                throw new IllegalArgumentException("toolCalls failure reason '" + entry.getKey() + "' has count "
                        + count + "; it must be 0 or more");
            }
            failed += count;
        }
        if (failed != rows - exactMatches) {
            throw new IllegalArgumentException("toolCalls failure reasons add up to " + failed + " rows, but "
                    + (rows - exactMatches) + " rows failed (rows " + rows + " - exactMatches " + exactMatches
                    + ")");
        }
        for (Map.Entry<String, LabelScores> entry : perTool.entrySet()) {
            Objects.requireNonNull(entry.getValue(), () -> "perTool entry '" + entry.getKey() + "' is null");
        }
        failureReasons = Collections.unmodifiableSortedMap(new TreeMap<>(failureReasons));
        perTool = Collections.unmodifiableSortedMap(new TreeMap<>(perTool));
        hardFails = List.copyOf(hardFails);
    }

    /** Returns the rows that fail the structured check: rows − exactMatches. */
    public long failedRows() {
        return rows - exactMatches;
    }

    /**
     * Calls to a tool that the reference plan of the row does not call, grouped by the reference's tool set, for
     * example a crypto-wallet transfer made for a stock-price question.
     *
     * @param referenceTools the distinct tool names of the reference plan, sorted; empty when no call was expected
     * @param calledTool the tool that was called although the reference does not call it
     * @param calls such calls
     * @param rows rows with at least one such call
     * @param sampleRowIds the lexicographically smallest ids of those rows, at most a fixed number
     */
    @JsonPropertyOrder({"referenceTools", "calledTool", "calls", "rows", "sampleRowIds"})
    public record HardFail(
            List<String> referenceTools,
            String calledTool,
            @JsonProperty(required = true) long calls,
            @JsonProperty(required = true) long rows,
            List<String> sampleRowIds) {

        public HardFail {
            Objects.requireNonNull(referenceTools, "hard fail field 'referenceTools' is missing");
            Objects.requireNonNull(calledTool, "hard fail field 'calledTool' is missing");
            Objects.requireNonNull(sampleRowIds, "hard fail field 'sampleRowIds' is missing");
            if (rows < 1 || calls < rows) {
                throw new IllegalArgumentException("hard fail '" + calledTool + "' needs rows >= 1 and calls >= rows,"
                        + " got " + calls + " calls in " + rows + " rows");
            }
            referenceTools = List.copyOf(referenceTools);
            sampleRowIds = List.copyOf(sampleRowIds);
        }
    }

    /**
     * The closeness in meaning of produced to reference argument values: the cosine similarity of their text
     * embeddings, averaged per row over the reference arguments of calls paired with a call of the same function.
     *
     * @param embeddingModel the id of the embedding model
     * @param lowSimilarityThreshold rows whose mean cosine is below this are flagged
     * @param rows rows considered
     * @param scoredRows rows with at least one compared argument
     * @param meanRowCosine the mean over scored rows of each row's mean cosine, or null when no row was scored
     * @param lowSimilarityRows rows flagged for low similarity
     * @param sampleLowSimilarityRowIds the lexicographically smallest ids of the flagged rows, at most a fixed number
     */
    @JsonPropertyOrder({"embeddingModel", "lowSimilarityThreshold", "rows", "scoredRows", "meanRowCosine",
        "lowSimilarityRows", "sampleLowSimilarityRowIds"})
    public record ArgumentSimilarity(
            String embeddingModel,
            @JsonProperty(required = true) double lowSimilarityThreshold,
            @JsonProperty(required = true) long rows,
            @JsonProperty(required = true) long scoredRows,
            Double meanRowCosine,
            @JsonProperty(required = true) long lowSimilarityRows,
            List<String> sampleLowSimilarityRowIds) {

        public ArgumentSimilarity {
            Objects.requireNonNull(embeddingModel, "argumentSimilarity field 'embeddingModel' is missing");
            Objects.requireNonNull(sampleLowSimilarityRowIds,
                    "argumentSimilarity field 'sampleLowSimilarityRowIds' is missing");
            if (!(lowSimilarityThreshold >= -1 && lowSimilarityThreshold <= 1)) {
                throw new IllegalArgumentException("argumentSimilarity lowSimilarityThreshold must be a cosine in"
                        + " [-1, 1], got " + lowSimilarityThreshold);
            }
            if (scoredRows < 0 || scoredRows > rows || lowSimilarityRows < 0 || lowSimilarityRows > scoredRows
                    || (meanRowCosine == null) != (scoredRows == 0)) {
                throw new IllegalArgumentException("argumentSimilarity counts are inconsistent: " + rows + " rows, "
                        + scoredRows + " scored, " + lowSimilarityRows + " flagged, meanRowCosine " + meanRowCosine
                        + "; the mean must be null exactly when no row was scored");
            }
            sampleLowSimilarityRowIds = List.copyOf(sampleLowSimilarityRowIds);
        }
    }
}
