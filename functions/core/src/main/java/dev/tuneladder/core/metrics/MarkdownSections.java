package dev.tuneladder.core.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Renders the tool-call, latency and cost parts of report.md; see {@link MarkdownReport}. */
final class MarkdownSections {

    /** How many tools the per-run table of worst tools shows. */
    static final int WORST_TOOLS = 20;

    /** How many hard fails the per-run table shows. */
    static final int TOP_HARD_FAILS = 10;

    /** How many sample row ids a hard fail or similarity line lists. */
    private static final int SAMPLE_IDS = 3;

    private static final Comparator<Map.Entry<String, LabelScores>> WORST_F1_FIRST = Comparator
            .comparingDouble((Map.Entry<String, LabelScores> entry) -> entry.getValue().f1())
            .thenComparing(Map.Entry.comparingByKey());

    private MarkdownSections() {
    }

    static void appendToolCallSummary(StringBuilder out, List<MetricsDocument.Run> runs) {
        out.append("| run | exact plan match [95% CI] | matched rows | micro-F1 | macro-F1 | rows |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        for (MetricsDocument.Run run : runs) {
            ToolCallSummary toolCalls = run.toolCalls();
            out.append("| ").append(MarkdownReport.cell(run.name()))
                    .append(" | ").append(MarkdownReport.rateWithInterval(toolCalls.exactMatchRate(),
                            toolCalls.exactMatchRateCi95()))
                    .append(" | ").append(toolCalls.exactMatches())
                    .append(" | ").append(MarkdownReport.rate(toolCalls.micro().f1()))
                    .append(" | ").append(MarkdownReport.rate(toolCalls.macro().f1()))
                    .append(" | ").append(toolCalls.rows())
                    .append(" |\n");
        }
        out.append("\nAn exact plan match has as many calls as the reference and every call passes the structured"
                + " check of function, arguments, types and accepted values, in any order. Per-tool scores count"
                + " calls by tool name only.\n");
    }

    static void appendToolCalls(StringBuilder out, ToolCallSummary toolCalls) {
        out.append("### Tool calls\n\n");
        out.append("Exact plan match ")
                .append(MarkdownReport.rateWithInterval(toolCalls.exactMatchRate(), toolCalls.exactMatchRateCi95()))
                .append(": ").append(toolCalls.exactMatches()).append(" of ").append(toolCalls.rows())
                .append(" rows.\n\n");
        appendWorstTools(out, toolCalls);
        out.append('\n');
        appendFailureReasons(out, toolCalls);
        out.append('\n');
        appendHardFails(out, toolCalls);
        if (toolCalls.argumentSimilarity() != null) {
            out.append('\n');
            appendArgumentSimilarity(out, toolCalls.argumentSimilarity());
        }
    }

    private static void appendWorstTools(StringBuilder out, ToolCallSummary toolCalls) {
        List<Map.Entry<String, LabelScores>> tools = new ArrayList<>(toolCalls.perTool().entrySet());
        if (tools.isEmpty()) {
            out.append("#### Per-tool scores\n\nNo row produced or expected a call.\n");
            return;
        }
        tools.sort(WORST_F1_FIRST);
        List<Map.Entry<String, LabelScores>> worst = tools.subList(0, Math.min(WORST_TOOLS, tools.size()));
        out.append("#### Worst ").append(worst.size()).append(" of ").append(tools.size())
                .append(" tools by F1\n\n");
        out.append("| tool | precision | recall | F1 | support |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, LabelScores> entry : worst) {
            LabelScores scores = entry.getValue();
            out.append("| ").append(MarkdownReport.cell(entry.getKey()))
                    .append(" | ").append(MarkdownReport.rate(scores.precision()))
                    .append(" | ").append(MarkdownReport.rate(scores.recall()))
                    .append(" | ").append(MarkdownReport.rate(scores.f1()))
                    .append(" | ").append(scores.support())
                    .append(" |\n");
        }
    }

    private static void appendFailureReasons(StringBuilder out, ToolCallSummary toolCalls) {
        out.append("#### Failure reasons\n\n");
        List<Map.Entry<String, Long>> reasons = failureReasonsByCount(toolCalls);
        if (reasons.isEmpty()) {
            out.append("Every row matched its reference plan.\n");
            return;
        }
        out.append("| reason | rows | share of failed rows |\n");
        out.append("|---|---:|---:|\n");
        for (Map.Entry<String, Long> reason : reasons) {
            out.append("| ").append(MarkdownReport.cell(reason.getKey()))
                    .append(" | ").append(reason.getValue())
                    .append(" | ").append(MarkdownReport.rate((double) reason.getValue() / toolCalls.failedRows()))
                    .append(" |\n");
        }
        out.append("\nEach failed row counts once, under its primary reason: CALL_COUNT when the call counts differ,"
                + " else the most severe reason among its failed calls. toolcall-failures.jsonl lists every failed"
                + " row with its detail.\n");
    }

    /** Returns the reasons with at least one row, most rows first, then by name. */
    static List<Map.Entry<String, Long>> failureReasonsByCount(ToolCallSummary toolCalls) {
        return toolCalls.failureReasons().entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }

    private static void appendHardFails(StringBuilder out, ToolCallSummary toolCalls) {
        out.append("#### Hard fails\n\n");
        if (toolCalls.hardFails().isEmpty()) {
            out.append("No call went to a tool that the row's reference plan does not call.\n");
            return;
        }
        List<ToolCallSummary.HardFail> top = toolCalls.hardFails()
                .subList(0, Math.min(TOP_HARD_FAILS, toolCalls.hardFails().size()));
        out.append("Calls to a tool that the row's reference plan does not call at all, most calls first.\n\n");
        out.append("| reference tools | called tool | calls | rows | sample rows |\n");
        out.append("|---|---|---:|---:|---|\n");
        for (ToolCallSummary.HardFail hardFail : top) {
            String referenceTools = hardFail.referenceTools().isEmpty() ? "(no call)"
                    : String.join(", ", hardFail.referenceTools());
            out.append("| ").append(MarkdownReport.cell(referenceTools))
                    .append(" | ").append(MarkdownReport.cell(hardFail.calledTool()))
                    .append(" | ").append(hardFail.calls())
                    .append(" | ").append(hardFail.rows())
                    .append(" | ").append(MarkdownReport.cell(sample(hardFail.sampleRowIds())))
                    .append(" |\n");
        }
        if (top.size() < toolCalls.hardFails().size()) {
            out.append("\n").append(toolCalls.hardFails().size() - top.size())
                    .append(" more are listed in metrics.json.\n");
        }
    }

    private static void appendArgumentSimilarity(StringBuilder out, ToolCallSummary.ArgumentSimilarity similarity) {
        out.append("#### Argument similarity\n\n");
        if (similarity.meanRowCosine() == null) {
            out.append("No row had an argument to compare with ").append(MarkdownReport.inline(
                    similarity.embeddingModel())).append(".\n");
            return;
        }
        out.append("Mean row cosine ").append(MarkdownReport.rate(similarity.meanRowCosine()))
                .append(" over ").append(similarity.scoredRows()).append(" rows (")
                .append(MarkdownReport.inline(similarity.embeddingModel())).append("); ")
                .append(similarity.lowSimilarityRows()).append(" rows below ")
                .append(MarkdownReport.rate(similarity.lowSimilarityThreshold()));
        if (!similarity.sampleLowSimilarityRowIds().isEmpty()) {
            out.append(", for example ").append(MarkdownReport.inline(sample(similarity.sampleLowSimilarityRowIds())));
        }
        out.append(".\n");
    }

    static void appendLatency(StringBuilder out, Map<String, LatencySummary> latency) {
        out.append("### Latency (ms)\n\n");
        out.append("| stage | count | p50 | p90 | p95 | p99 | max |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, LatencySummary> entry : latency.entrySet()) {
            LatencySummary summary = entry.getValue();
            out.append("| ").append(MarkdownReport.cell(entry.getKey()))
                    .append(" | ").append(summary.count())
                    .append(" | ").append(summary.p50Millis())
                    .append(" | ").append(summary.p90Millis())
                    .append(" | ").append(summary.p95Millis())
                    .append(" | ").append(summary.p99Millis())
                    .append(" | ").append(summary.maxMillis())
                    .append(" |\n");
        }
    }

    static void appendCost(StringBuilder out, UsageCost cost) {
        out.append("### Cost\n\n");
        out.append("| rows | correct rows | input tokens | output tokens | cache read tokens | cache write tokens"
                + " | cost | cost per correct answer |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        out.append("| ").append(cost.rows())
                .append(" | ").append(cost.correctRows())
                .append(" | ").append(cost.tokens().inputTokens())
                .append(" | ").append(cost.tokens().outputTokens())
                .append(" | ").append(cost.tokens().cacheReadTokens())
                .append(" | ").append(cost.tokens().cacheWriteTokens())
                .append(" | ").append(MarkdownReport.cell(MarkdownReport.money(cost.cost(), cost.currency())))
                .append(" | ").append(cost.costPerCorrect() == null ? "n/a (no correct row)"
                        : MarkdownReport.cell(MarkdownReport.money(cost.costPerCorrect(), cost.currency())))
                .append(" |\n");
    }

    private static String sample(List<String> ids) {
        List<String> shown = ids.subList(0, Math.min(SAMPLE_IDS, ids.size()));
        return String.join(", ", shown) + (ids.size() > shown.size() ? ", ..." : "");
    }
}
