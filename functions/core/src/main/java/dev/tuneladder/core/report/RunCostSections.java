package dev.tuneladder.core.report;

import dev.tuneladder.core.metrics.LatencyBin;
import dev.tuneladder.core.metrics.LatencySummary;
import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.UsageCost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the latency and cost section of report.html for each run that recorded either. */
final class RunCostSections {

    private RunCostSections() {
    }

    static List<ReportSection> of(List<MetricsDocument.Run> runs) {
        List<ReportSection> sections = new ArrayList<>();
        for (MetricsDocument.Run run : runs) {
            if (run.latency().isEmpty() && run.cost() == null) {
                continue;
            }
            StringBuilder out = new StringBuilder();
            if (!run.latency().isEmpty()) {
                out.append(latencyTable(run.latency()));
            }
            if (!run.latencyHistogram().isEmpty()) {
                out.append(histogram(run));
            }
            if (run.cost() != null) {
                out.append(costTable(run.cost()));
            }
            sections.add(new ReportSection("Latency and cost: " + run.name(), out.toString()));
        }
        return sections;
    }

    private static String latencyTable(Map<String, LatencySummary> latency) {
        StringBuilder out = new StringBuilder();
        out.append("<table class=\"latency\">\n<thead>\n<tr><th scope=\"col\">stage</th>")
                .append("<th scope=\"col\" class=\"num\">count</th>")
                .append("<th scope=\"col\" class=\"num\">p50 (ms)</th><th scope=\"col\" class=\"num\">p90 (ms)</th>")
                .append("<th scope=\"col\" class=\"num\">p95 (ms)</th><th scope=\"col\" class=\"num\">p99 (ms)</th>")
                .append("<th scope=\"col\" class=\"num\">max (ms)</th></tr>\n</thead>\n<tbody>\n");
        for (Map.Entry<String, LatencySummary> entry : latency.entrySet()) {
            LatencySummary summary = entry.getValue();
            out.append("<tr><th scope=\"row\">").append(Markup.escape(entry.getKey())).append("</th>")
                    .append(ToolCallSections.numberCell(summary.count()))
                    .append(ToolCallSections.numberCell(summary.p50Millis()))
                    .append(ToolCallSections.numberCell(summary.p90Millis()))
                    .append(ToolCallSections.numberCell(summary.p95Millis()))
                    .append(ToolCallSections.numberCell(summary.p99Millis()))
                    .append(ToolCallSections.numberCell(summary.maxMillis()))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        out.append("<p class=\"muted\">Percentiles are nearest-rank over the recorded latencies, exact up to 2,047 ms"
                + " and at most 0.1% high above.</p>\n");
        return out.toString();
    }

    private static String histogram(MetricsDocument.Run run) {
        List<LatencyBin> bins = run.latencyHistogram();
        List<HistogramBin> histogramBins = bins.stream()
                .map(bin -> new HistogramBin(bin.upToMillis(), bin.count()))
                .toList();
        String svg = SvgCharts.histogram("End-to-end latency: " + run.name(), "latency (ms), bins (low, high]",
                "rows", bins.get(0).aboveMillis(), histogramBins);
        return HtmlReport.figure(svg, "Each column counts the rows whose latency lies above the left edge and up to"
                + " the right edge. The bins widen in a 1-2-5 series, so every column has the same width on the page"
                + " while the tail covers ever larger ranges; a long run of columns to the right is a slow tail."
                + " Hover over a column for its range and count.");
    }

    private static String costTable(UsageCost cost) {
        StringBuilder out = new StringBuilder();
        out.append("<table class=\"cost\">\n<thead>\n<tr><th scope=\"col\">rows</th>")
                .append("<th scope=\"col\" class=\"num\">correct rows</th>")
                .append("<th scope=\"col\" class=\"num\">input tokens</th>")
                .append("<th scope=\"col\" class=\"num\">output tokens</th>")
                .append("<th scope=\"col\" class=\"num\">cache read tokens</th>")
                .append("<th scope=\"col\" class=\"num\">cache write tokens</th>")
                .append("<th scope=\"col\" class=\"num\">cost</th>")
                .append("<th scope=\"col\" class=\"num\">cost per correct answer</th></tr>\n</thead>\n<tbody>\n");
        out.append("<tr><th scope=\"row\">").append(ToolCallSections.count(cost.rows())).append("</th>")
                .append(ToolCallSections.numberCell(cost.correctRows()))
                .append(ToolCallSections.numberCell(cost.tokens().inputTokens()))
                .append(ToolCallSections.numberCell(cost.tokens().outputTokens()))
                .append(ToolCallSections.numberCell(cost.tokens().cacheReadTokens()))
                .append(ToolCallSections.numberCell(cost.tokens().cacheWriteTokens()))
                .append("<td class=\"num\">").append(Markup.escape(MarkdownReport.money(cost.cost(), cost.currency())))
                .append("</td><td class=\"num\">")
                .append(cost.costPerCorrect() == null ? "n/a"
                        : Markup.escape(MarkdownReport.money(cost.costPerCorrect(), cost.currency())))
                .append("</td></tr>\n</tbody>\n</table>\n");
        out.append("<p class=\"muted\">Cost prices each model's token counts with the price table given to the"
                + " command; cost per correct answer divides it by the rows the run got right.</p>\n");
        return out.toString();
    }
}
