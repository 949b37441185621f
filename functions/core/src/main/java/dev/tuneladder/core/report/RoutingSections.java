package dev.tuneladder.core.report;

import dev.tuneladder.core.metrics.ConfidenceInterval;
import dev.tuneladder.core.metrics.Confusion;
import dev.tuneladder.core.metrics.LabelScores;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Builds the routing sections of report.html from the runs of a {@link MetricsDocument} that have them. */
final class RoutingSections {

    private static final Comparator<Map.Entry<String, LabelScores>> WORST_F1_FIRST = Comparator
            .comparingDouble((Map.Entry<String, LabelScores> entry) -> entry.getValue().f1())
            .thenComparing(Map.Entry.comparingByKey());

    private RoutingSections() {
    }

    /** Returns the routing sections of {@code runs}, each of which has a routing section. */
    static List<ReportSection> of(List<MetricsDocument.Run> runs) {
        List<ReportSection> sections = new ArrayList<>();
        sections.add(new ReportSection("Summary", summary(runs)));
        sections.add(new ReportSection("Accuracy and macro-F1 by run", overview(runs)));
        for (MetricsDocument.Run run : runs) {
            sections.add(new ReportSection("Run: " + run.name(), runDetails(run)));
        }
        return sections;
    }

    /** Formats a rate with three decimals, for example "0.912", as report.md does. */
    static String rate(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Formats an interval as "[0.902, 0.921]". */
    static String interval(ConfidenceInterval interval) {
        return "[" + rate(interval.low()) + ", " + rate(interval.high()) + "]";
    }

    private static String summary(List<MetricsDocument.Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"table-wrap\">\n<table class=\"summary\">\n<thead>\n<tr><th scope=\"col\">run</th>")
                .append("<th scope=\"col\" class=\"num\">rows</th>")
                .append("<th scope=\"col\" class=\"num\">accuracy<br/>[95% CI]</th>")
                .append("<th scope=\"col\" class=\"num\">macro-F1<br/>[95% CI]</th>")
                .append("<th scope=\"col\" class=\"num\">micro-F1</th>")
                .append("<th scope=\"col\" class=\"num\">weighted-F1</th>")
                .append("<th scope=\"col\" class=\"num\">macro<br/>precision</th>")
                .append("<th scope=\"col\" class=\"num\">macro<br/>recall</th></tr>\n</thead>\n<tbody>\n");
        for (MetricsDocument.Run run : runs) {
            RoutingSummary routing = run.routing();
            out.append("<tr><th scope=\"row\">").append(Markup.escape(run.name())).append("</th>")
                    .append("<td class=\"num\">").append(String.format(Locale.ROOT, "%,d", routing.rows()))
                    .append("</td>")
                    .append(rateWithInterval(routing.accuracy(), routing.ci95().accuracy()))
                    .append(rateWithInterval(routing.macroF1(), routing.ci95().macroF1()))
                    .append(rateCell(routing.microF1()))
                    .append(rateCell(routing.weightedF1()))
                    .append(rateCell(routing.macroPrecision()))
                    .append(rateCell(routing.macroRecall()))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        out.append("<p class=\"muted\">Accuracy is the share of rows routed to their gold label. Macro-F1 is the"
                + " unweighted mean of the per-label F1, so rare labels count as much as frequent ones; weighted-F1"
                + " weights each label by its rows. Each interval is the 2.5th to 97.5th percentile of a Poisson"
                + " bootstrap over rows.</p>\n");
        return out.toString();
    }

    private static String rateWithInterval(double value, ConfidenceInterval interval) {
        return "<td class=\"num\">" + rate(value) + " <span class=\"ci\">" + interval(interval) + "</span></td>";
    }

    private static String rateCell(double value) {
        return "<td class=\"num\">" + rate(value) + "</td>";
    }

    private static String overview(List<MetricsDocument.Run> runs) {
        List<ForestRow> accuracy = new ArrayList<>();
        List<ForestRow> macroF1 = new ArrayList<>();
        for (MetricsDocument.Run run : runs) {
            RoutingSummary routing = run.routing();
            accuracy.add(forestRow(run.name(), routing.accuracy(), routing.ci95().accuracy()));
            macroF1.add(forestRow(run.name(), routing.macroF1(), routing.ci95().macroF1()));
        }
        String accuracyChart = SvgCharts.forestPlot("Accuracy by run", "accuracy (share of rows routed correctly)",
                "run", accuracy, OptionalDouble.empty());
        String macroF1Chart = SvgCharts.forestPlot("Macro-F1 by run", "macro-F1 (mean of per-label F1)", "run",
                macroF1, OptionalDouble.empty());
        return HtmlReport.figure(accuracyChart, "Each dot is a run's value on the evaluation rows and the bar its 95%"
                        + " bootstrap interval. The axis is zoomed to the runs, so it need not start at 0. Where two"
                        + " runs' intervals do not overlap, the gap is very unlikely to be sampling noise. Where they"
                        + " overlap, a paired comparison of the two runs on the same rows is the sharper test.")
                + HtmlReport.figure(macroF1Chart, "Read it as the accuracy chart above. Macro-F1 weighs every label"
                        + " equally, so a run that fails on rare labels scores lower here than on accuracy.");
    }

    private static ForestRow forestRow(String name, double value, ConfidenceInterval interval) {
        return new ForestRow(name, value, interval.low(), interval.high());
    }

    private static String runDetails(MetricsDocument.Run run) {
        RoutingSummary routing = run.routing();
        StringBuilder out = new StringBuilder();
        out.append("<p>Accuracy ").append(rate(routing.accuracy())).append(' ')
                .append(interval(routing.ci95().accuracy())).append(", macro-F1 ").append(rate(routing.macroF1()))
                .append(' ').append(interval(routing.ci95().macroF1())).append(", ")
                .append(String.format(Locale.ROOT, "%,d", routing.rows())).append(" rows, ")
                .append(routing.perLabel().size()).append(" labels.</p>\n");
        appendExtras(out, run.extra());
        out.append(perLabelF1(run));
        out.append(topConfusions(run));
        return out.toString();
    }

    /** Lists the run's scalar extras (counts, settings, timings); nested values stay in metrics.json only. */
    private static void appendExtras(StringBuilder out, Map<String, Object> extra) {
        List<Map.Entry<String, Object>> scalars = new ArrayList<>();
        for (Map.Entry<String, Object> entry : extra.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Number || value instanceof String || value instanceof Boolean) {
                scalars.add(entry);
            }
        }
        if (scalars.isEmpty()) {
            return;
        }
        out.append("<table class=\"extra\">\n<thead>\n<tr><th scope=\"col\">detail</th>")
                .append("<th scope=\"col\" class=\"num\">value</th></tr>\n</thead>\n<tbody>\n");
        for (Map.Entry<String, Object> entry : scalars) {
            out.append("<tr><th scope=\"row\">").append(Markup.escape(RunDetails.label(entry.getKey())))
                    .append("</th><td class=\"num\">").append(Markup.escape(RunDetails.format(entry.getValue())))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static String perLabelF1(MetricsDocument.Run run) {
        List<Map.Entry<String, LabelScores>> labels = new ArrayList<>(run.routing().perLabel().entrySet());
        labels.sort(WORST_F1_FIRST);
        List<String> names = labels.stream().map(Map.Entry::getKey).toList();
        List<Double> f1 = labels.stream().map(entry -> entry.getValue().f1()).toList();
        String svg = SvgCharts.horizontalBars("Per-label F1: " + run.name(), "F1 (0 = never right, 1 = perfect)",
                "label, worst first", names, List.of(new BarSeries(run.name(), f1)), 1.0);
        return HtmlReport.figure(svg, "One bar per label, sorted from the lowest F1 up, so the labels that need"
                + " work come first. F1 is the harmonic mean of the label's precision and recall. A bar at 0 means"
                + " no row of that label was routed to it. Hover over a bar for the label's name and value.");
    }

    private static String topConfusions(MetricsDocument.Run run) {
        List<Confusion> confusions = run.routing().topConfusions();
        if (confusions.isEmpty()) {
            return "<p class=\"muted\">No row was routed to a wrong label, so there are no confusions to show.</p>\n";
        }
        List<HeatmapCell> cells = confusions.stream()
                .map(confusion -> new HeatmapCell(confusion.gold(), confusion.predicted(), confusion.count()))
                .toList();
        String svg = SvgCharts.heatmap("Top " + confusions.size() + " confusions: " + run.name(), "gold label",
                "predicted label", cells);
        return HtmlReport.figure(svg, "Each filled cell counts the rows of a gold label (row) that were routed to"
                + " another label (column); darker cells hold more rows. Only the " + confusions.size()
                + " most frequent pairs are drawn, so an empty cell may still hold a few rows. A pair filled in"
                + " both directions marks two labels that the router cannot tell apart.");
    }
}
