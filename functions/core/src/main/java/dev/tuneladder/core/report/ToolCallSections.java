package dev.tuneladder.core.report;

import dev.tuneladder.core.metrics.LabelScores;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.ToolCallSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the tool-call sections of report.html from the runs of a {@link MetricsDocument} that have them. */
final class ToolCallSections {

    /** How many tools the per-tool F1 chart shows, worst first; metrics.json lists them all. */
    static final int CHARTED_TOOLS = 40;

    /** How many hard fails the table lists, most calls first. */
    static final int LISTED_HARD_FAILS = 20;

    private static final Comparator<Map.Entry<String, LabelScores>> WORST_F1_FIRST = Comparator
            .comparingDouble((Map.Entry<String, LabelScores> entry) -> entry.getValue().f1())
            .thenComparing(Map.Entry.comparingByKey());

    private ToolCallSections() {
    }

    static List<ReportSection> of(List<MetricsDocument.Run> runs) {
        List<ReportSection> sections = new ArrayList<>();
        sections.add(new ReportSection("Tool-call summary", summary(runs)));
        for (MetricsDocument.Run run : runs) {
            sections.add(new ReportSection("Tool calls: " + run.name(), details(run)));
        }
        return sections;
    }

    private static String summary(List<MetricsDocument.Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"table-wrap\">\n<table class=\"toolcall-summary\">\n<thead>\n<tr>")
                .append("<th scope=\"col\">run</th>")
                .append("<th scope=\"col\" class=\"num\">rows</th>")
                .append("<th scope=\"col\" class=\"num\">exact plan match<br/>[95% CI]</th>")
                .append("<th scope=\"col\" class=\"num\">matched<br/>rows</th>")
                .append("<th scope=\"col\" class=\"num\">micro-F1</th>")
                .append("<th scope=\"col\" class=\"num\">macro-F1</th>")
                .append("<th scope=\"col\" class=\"num\">hard-fail<br/>calls</th></tr>\n</thead>\n<tbody>\n");
        for (MetricsDocument.Run run : runs) {
            ToolCallSummary toolCalls = run.toolCalls();
            long hardFailCalls = toolCalls.hardFails().stream().mapToLong(ToolCallSummary.HardFail::calls).sum();
            out.append("<tr><th scope=\"row\">").append(Markup.escape(run.name())).append("</th>")
                    .append(numberCell(toolCalls.rows()))
                    .append("<td class=\"num\">").append(RoutingSections.rate(toolCalls.exactMatchRate()))
                    .append(" <span class=\"ci\">").append(RoutingSections.interval(toolCalls.exactMatchRateCi95()))
                    .append("</span></td>")
                    .append(numberCell(toolCalls.exactMatches()))
                    .append(rateCell(toolCalls.micro().f1()))
                    .append(rateCell(toolCalls.macro().f1()))
                    .append(numberCell(hardFailCalls))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        out.append("<p class=\"muted\">A row is an exact plan match when it has as many calls as the reference and"
                + " every call passes the structured check of function name, required and unexpected arguments,"
                + " types and accepted values, in any order. Micro- and macro-F1 count calls by tool name only. A"
                + " hard fail is a call to a tool that the row's reference plan does not call at all. Each interval"
                + " is the 2.5th to 97.5th percentile of a Poisson bootstrap over rows.</p>\n");
        return out.toString();
    }

    private static String details(MetricsDocument.Run run) {
        ToolCallSummary toolCalls = run.toolCalls();
        StringBuilder out = new StringBuilder();
        out.append("<p>Exact plan match ").append(RoutingSections.rate(toolCalls.exactMatchRate())).append(' ')
                .append(RoutingSections.interval(toolCalls.exactMatchRateCi95())).append(": ")
                .append(count(toolCalls.exactMatches())).append(" of ").append(count(toolCalls.rows()))
                .append(" rows, ").append(toolCalls.perTool().size()).append(" tools.</p>\n");
        out.append(perToolF1(run));
        out.append(failureReasons(run));
        out.append(hardFails(toolCalls));
        if (toolCalls.argumentSimilarity() != null) {
            out.append(argumentSimilarity(toolCalls.argumentSimilarity()));
        }
        return out.toString();
    }

    private static String perToolF1(MetricsDocument.Run run) {
        List<Map.Entry<String, LabelScores>> tools = new ArrayList<>(run.toolCalls().perTool().entrySet());
        if (tools.isEmpty()) {
            return "<p class=\"muted\">No row produced or expected a call, so there are no per-tool scores.</p>\n";
        }
        tools.sort(WORST_F1_FIRST);
        List<Map.Entry<String, LabelScores>> shown = tools.subList(0, Math.min(CHARTED_TOOLS, tools.size()));
        List<String> names = shown.stream().map(Map.Entry::getKey).toList();
        List<Double> f1 = shown.stream().map(entry -> entry.getValue().f1()).toList();
        String title = shown.size() < tools.size()
                ? "Per-tool F1, worst " + shown.size() + " of " + tools.size() + ": " + run.name()
                : "Per-tool F1: " + run.name();
        String svg = SvgCharts.horizontalBars(title, "F1 over calls (0 = never right, 1 = perfect)",
                "tool, worst first", names, List.of(new BarSeries(run.name(), f1)), 1.0);
        return HtmlReport.figure(svg, "One bar per tool, sorted from the lowest F1 up. A tool's F1 compares how"
                + " often the run called it with how often the reference plans call it, row by row, ignoring the"
                + " arguments; a bar at 0 means no call of that tool matched a reference call. Hover over a bar"
                + " for the tool's name and value.");
    }

    private static String failureReasons(MetricsDocument.Run run) {
        ToolCallSummary toolCalls = run.toolCalls();
        List<Map.Entry<String, Long>> reasons = toolCalls.failureReasons().entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();

        if (reasons.isEmpty()) {
            return "<p class=\"muted\">Every row matched its reference plan, so there are no failure reasons to"
                    + " show.</p>\n";
        }

        StringBuilder out = new StringBuilder();
        out.append("<table class=\"failure-reasons\">\n<thead>\n<tr><th scope=\"col\">failure reason</th>")
                .append("<th scope=\"col\" class=\"num\">rows</th>")
                .append("<th scope=\"col\" class=\"num\">share of failed rows</th></tr>\n</thead>\n<tbody>\n");
        List<String> names = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        for (Map.Entry<String, Long> reason : reasons) {
            double share = (double) reason.getValue() / toolCalls.failedRows();
            names.add(reason.getKey());
            shares.add(share);
            out.append("<tr><th scope=\"row\">").append(Markup.escape(reason.getKey())).append("</th>")
                    .append(numberCell(reason.getValue())).append(rateCell(share)).append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");

        String svg = SvgCharts.horizontalBars("Failure reasons: " + run.name(), "share of the "
                + count(toolCalls.failedRows()) + " failed rows", "reason", names,
                List.of(new BarSeries(run.name(), shares)), 1.0);
        out.append(HtmlReport.figure(svg, "Each failed row counts once, under its primary reason: CALL_COUNT when"
                + " it has more or fewer calls than the reference, else the most severe reason among its failed"
                + " calls (wrong function, then missing required argument, unexpected argument, wrong type, value"
                + " not accepted). toolcall-failures.jsonl lists every failed row with its detail."));
        return out.toString();
    }

    private static String hardFails(ToolCallSummary toolCalls) {
        if (toolCalls.hardFails().isEmpty()) {
            return "<p class=\"muted\">No call went to a tool that the row's reference plan does not call.</p>\n";
        }
        List<ToolCallSummary.HardFail> listed = toolCalls.hardFails()
                .subList(0, Math.min(LISTED_HARD_FAILS, toolCalls.hardFails().size()));
        StringBuilder out = new StringBuilder();
        out.append("<h3>Hard fails</h3>\n<table class=\"hard-fails\">\n<thead>\n<tr>")
                .append("<th scope=\"col\">reference tools</th><th scope=\"col\">called tool</th>")
                .append("<th scope=\"col\" class=\"num\">calls</th><th scope=\"col\" class=\"num\">rows</th>")
                .append("<th scope=\"col\">sample rows</th></tr>\n</thead>\n<tbody>\n");
        for (ToolCallSummary.HardFail hardFail : listed) {
            String referenceTools = hardFail.referenceTools().isEmpty() ? "(no call)"
                    : String.join(", ", hardFail.referenceTools());
            out.append("<tr><td>").append(Markup.escape(referenceTools)).append("</td><th scope=\"row\">")
                    .append(Markup.escape(hardFail.calledTool())).append("</th>")
                    .append(numberCell(hardFail.calls())).append(numberCell(hardFail.rows()))
                    .append("<td>").append(Markup.escape(String.join(", ", hardFail.sampleRowIds())))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        if (listed.size() < toolCalls.hardFails().size()) {
            out.append("<p class=\"muted\">").append(toolCalls.hardFails().size() - listed.size())
                    .append(" more are listed in metrics.json.</p>\n");
        }
        return out.toString();
    }

    private static String argumentSimilarity(ToolCallSummary.ArgumentSimilarity similarity) {
        StringBuilder out = new StringBuilder("<h3>Argument similarity</h3>\n<p>");
        if (similarity.meanRowCosine() == null) {
            return out.append("No row had an argument to compare with ")
                    .append(Markup.escape(similarity.embeddingModel())).append(".</p>\n").toString();
        }
        out.append("Mean row cosine ").append(RoutingSections.rate(similarity.meanRowCosine())).append(" over ")
                .append(count(similarity.scoredRows())).append(" rows (")
                .append(Markup.escape(similarity.embeddingModel())).append("); ")
                .append(count(similarity.lowSimilarityRows())).append(" rows below ")
                .append(RoutingSections.rate(similarity.lowSimilarityThreshold()));
        if (!similarity.sampleLowSimilarityRowIds().isEmpty()) {
            out.append(", for example ").append(Markup.escape(String.join(", ",
                    similarity.sampleLowSimilarityRowIds())));
        }
        return out.append(".</p>\n<p class=\"muted\">The cosine compares the embeddings of each produced"
                + " argument value and its first accepted value; 1 means equal text, 0 an omitted argument. It"
                + " shows near misses that the exact check rejects.</p>\n").toString();
    }

    static String numberCell(long value) {
        return "<td class=\"num\">" + count(value) + "</td>";
    }

    static String rateCell(double value) {
        return "<td class=\"num\">" + RoutingSections.rate(value) + "</td>";
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
