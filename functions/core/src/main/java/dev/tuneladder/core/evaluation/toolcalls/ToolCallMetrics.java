package dev.tuneladder.core.evaluation.toolcalls;

import dev.tuneladder.core.metrics.AveragedScores;
import dev.tuneladder.core.metrics.ConfidenceInterval;
import dev.tuneladder.core.metrics.LabelScores;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Planner metrics over tool calls, from {@link ToolCallMetricsState#result()}.
 *
 * @param rows the rows scored
 * @param exactMatches the rows whose produced plan passes the structured check of {@link ToolCallChecker}
 * @param exactMatchRate exactMatches / rows
 * @param exactMatchRateCi95 the 95% Poisson bootstrap percentile interval of exactMatchRate
 * @param perTool precision, recall, F1 and support of each tool over calls, by tool name; a tool that only
 *     appears among produced calls is included with support 0
 * @param micro scores from the call counts summed over tools
 * @param macro the unweighted mean of the per-tool scores
 * @param failureReasons the failed rows per primary reason, every reason present (0 when none)
 * @param hardFails calls to tools the reference does not call, most calls first, then by reference tools and tool
 * @param replicates the bootstrap replicates behind the interval
 * @param seed the bootstrap seed
 */
public record ToolCallMetrics(
        long rows,
        long exactMatches,
        double exactMatchRate,
        ConfidenceInterval exactMatchRateCi95,
        Map<String, LabelScores> perTool,
        AveragedScores micro,
        AveragedScores macro,
        Map<FailureReason, Long> failureReasons,
        List<HardFail> hardFails,
        int replicates,
        long seed) {

    public ToolCallMetrics {
        if (rows < 1 || exactMatches < 0 || exactMatches > rows) {
            throw new IllegalArgumentException("tool call metrics need rows ≥ 1 and 0 ≤ exactMatches ≤ rows, got "
                    + rows + " rows and " + exactMatches + " exact matches");
        }
        Objects.requireNonNull(exactMatchRateCi95, "exactMatchRateCi95");
        Objects.requireNonNull(micro, "micro");
        Objects.requireNonNull(macro, "macro");
        perTool = Collections.unmodifiableMap(new TreeMap<>(perTool));
        EnumMap<FailureReason, Long> reasons = new EnumMap<>(FailureReason.class);
        for (FailureReason reason : FailureReason.values()) {
            reasons.put(reason, failureReasons.getOrDefault(reason, 0L));
        }
        failureReasons = Collections.unmodifiableMap(reasons);
        hardFails = List.copyOf(hardFails);
    }

    /** Returns the number of rows that fail the structured check. */
    public long failedRows() {
        return rows - exactMatches;
    }
}
