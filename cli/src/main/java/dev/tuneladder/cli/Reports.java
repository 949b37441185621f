package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.metrics.LatencyState;
import dev.tuneladder.core.metrics.LatencySummary;
import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.ToolCallSummary;
import dev.tuneladder.core.metrics.UsageCost;
import dev.tuneladder.core.report.HtmlReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the metrics and reports every evaluating command produces, and the closing lines it prints. */
final class Reports {

    static final String METRICS_FILE = "metrics.json";
    static final String MARKDOWN_FILE = "report.md";
    static final String HTML_FILE = "report.html";

    private Reports() {
    }

    static void write(RunFolder run, MetricsDocument document) {
        run.writeText(METRICS_FILE, document.toJson());
        run.writeText(MARKDOWN_FILE, MarkdownReport.render(document));
        run.writeText(HTML_FILE, HtmlReport.render(document));
    }

    /**
     * Prints the runs' routing table, then per run a line each for its tool calls, latency and cost, with
     * {@link Locale#ROOT} numbers.
     */
    static void printSummary(PrintWriter out, MetricsDocument document) {
        List<MetricsDocument.Run> routingRuns = document.runs().stream().filter(run -> run.routing() != null)
                .toList();
        if (!routingRuns.isEmpty()) {
            out.print(SummaryTable.render(new MetricsDocument(routingRuns)));
        }
        for (MetricsDocument.Run run : document.runs()) {
            if (run.toolCalls() != null) {
                printToolCalls(out, run.name(), run.toolCalls());
            }
            LatencySummary latency = run.latency().get(LatencyState.END_TO_END);
            if (latency != null) {
                out.printf(Locale.ROOT, "%s latency (ms, %,d predictions): p50 %d, p90 %d, p95 %d, p99 %d, max %d%n",
                        run.name(), latency.count(), latency.p50Millis(), latency.p90Millis(), latency.p95Millis(),
                        latency.p99Millis(), latency.maxMillis());
            }
            if (run.cost() != null) {
                printCost(out, run.name(), run.cost());
            }
        }
    }

    private static void printToolCalls(PrintWriter out, String name, ToolCallSummary toolCalls) {
        out.printf(Locale.ROOT, "%s tool calls: exact plan match %.4f [%.4f, %.4f] (%,d of %,d rows), micro-F1 %.4f, "
                + "macro-F1 %.4f%n", name, toolCalls.exactMatchRate(), toolCalls.exactMatchRateCi95().low(),
                toolCalls.exactMatchRateCi95().high(), toolCalls.exactMatches(), toolCalls.rows(),
                toolCalls.micro().f1(), toolCalls.macro().f1());
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, Long> reason : toolCalls.failureReasons().entrySet()) {
            if (reason.getValue() > 0) {
                reasons.add(reason.getKey() + " " + reason.getValue());
            }
        }
        if (!reasons.isEmpty()) {
            out.println("Failed rows by reason: " + String.join(", ", reasons) + " (details in "
                    + EvaluateCommand.TOOL_CALL_FAILURES_FILE + ")");
        }
        long hardFailCalls = toolCalls.hardFails().stream().mapToLong(ToolCallSummary.HardFail::calls).sum();
        if (hardFailCalls > 0) {
            out.printf(Locale.ROOT, "Hard fails: %,d calls to tools that the reference plan does not call.%n",
                    hardFailCalls);
        }
        if (toolCalls.argumentSimilarity() != null && toolCalls.argumentSimilarity().meanRowCosine() != null) {
            ToolCallSummary.ArgumentSimilarity similarity = toolCalls.argumentSimilarity();
            out.printf(Locale.ROOT, "Argument similarity: mean row cosine %.4f; %,d of %,d rows below %.2f%n",
                    similarity.meanRowCosine(), similarity.lowSimilarityRows(), similarity.scoredRows(),
                    similarity.lowSimilarityThreshold());
        }
    }

    private static void printCost(PrintWriter out, String name, UsageCost cost) {
        String perCorrect = cost.costPerCorrect() == null ? "n/a (no correct row)"
                : MarkdownReport.money(cost.costPerCorrect(), cost.currency());
        out.printf(Locale.ROOT, "%s cost: %s for %,d input and %,d output tokens; per correct answer %s%n",
                name, MarkdownReport.money(cost.cost(), cost.currency()), cost.tokens().inputTokens(),
                cost.tokens().outputTokens(), perCorrect);
    }

    static void printFooter(PrintWriter out, RunFolder run, BadRows badRows) {
        if (badRows.count() > 0) {
            out.printf(Locale.ROOT, "%d input rows were rejected; see %s%n", badRows.count(), run.root().resolve("rejects.jsonl"));
        }
        out.println("Results: " + run.root());
        out.flush();
    }
}
