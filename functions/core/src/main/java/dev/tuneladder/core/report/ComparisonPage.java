package dev.tuneladder.core.report;

import dev.tuneladder.core.comparison.ComparisonDocument;
import dev.tuneladder.core.comparison.ExactMcNemar;
import dev.tuneladder.core.comparison.FlippedRows;
import dev.tuneladder.core.comparison.MetricDifference;
import dev.tuneladder.core.comparison.PairedComparison;
import dev.tuneladder.core.comparison.RegressionVerdict;
import dev.tuneladder.core.comparison.StratumComparison;
import dev.tuneladder.core.metrics.LatencySummary;
import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.UsageCost;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders comparison.html from a {@link ComparisonDocument}: the verdict, a forest plot of the differences with
 * their intervals around zero, the McNemar test with the flipped rows, the per-stratum table, and latency and
 * cost when the runs recorded them. The page is self-contained and well-formed as {@link HtmlReport#page}
 * describes. Numbers have four decimals, as in comparison.md.
 */
public final class ComparisonPage {

    /** Flipped row ids listed per direction; comparison.json holds up to the comparison's own cap. */
    static final int LISTED_FLIPS = 50;

    private ComparisonPage() {
    }

    /** Renders the page. */
    public static String render(ComparisonDocument document) {
        Objects.requireNonNull(document, "comparison document is missing");
        PairedComparison comparison = document.comparison();
        List<ReportSection> sections = new ArrayList<>();
        sections.add(new ReportSection("Verdict", verdict(document)));
        sections.add(new ReportSection("Differences with 95% intervals", differences(comparison)));
        sections.add(new ReportSection("McNemar test and flipped rows", flips(comparison)));
        sections.add(new ReportSection("Accuracy per stratum", strata(comparison)));
        if (!document.latency().isEmpty() || !document.cost().isEmpty()) {
            sections.add(new ReportSection("Latency and cost", latencyAndCost(document)));
        }
        String intro = "Candidate " + document.candidate() + " against baseline " + document.baseline() + " on "
                + String.format(Locale.ROOT, "%,d", comparison.rows()) + " rows; intervals from "
                + comparison.replicates() + " paired Poisson bootstrap replicates (seed " + comparison.seed() + ").";
        return HtmlReport.page("Comparison", intro, sections);
    }

    private static String verdict(ComparisonDocument document) {
        RegressionVerdict verdict = document.verdict();
        StringBuilder out = new StringBuilder();
        out.append("<p class=\"verdict\"><strong>").append(Markup.escape(verdict.describe()))
                .append("</strong></p>\n");
        out.append("<div class=\"table-wrap\">\n<table class=\"differences\">\n<thead>\n<tr>")
                .append("<th scope=\"col\">metric</th><th scope=\"col\" class=\"num\">baseline</th>")
                .append("<th scope=\"col\" class=\"num\">candidate</th>")
                .append("<th scope=\"col\" class=\"num\">difference</th>")
                .append("<th scope=\"col\" class=\"num\">95% CI of difference</th></tr>\n</thead>\n<tbody>\n");
        for (MetricDifference metric : document.comparison().metrics().values()) {
            out.append("<tr><th scope=\"row\">").append(Markup.escape(metric.metric())).append("</th>")
                    .append(cell(format("%.4f", metric.baseline())))
                    .append(cell(format("%.4f", metric.candidate())))
                    .append(cell(format("%+.4f", metric.difference())))
                    .append(cell(format("[%+.4f, %+.4f]", metric.ci95().low(), metric.ci95().high())))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        out.append("<p class=\"muted\">The candidate regressed when the whole interval of candidate − baseline on ")
                .append(Markup.escape(verdict.metric())).append(" lies below −").append(format("%.4f",
                        verdict.maxRegression()))
                .append(", the tolerated loss: then even the most favourable plausible difference is a larger loss."
                        + "</p>\n");
        return out.toString();
    }

    private static String differences(PairedComparison comparison) {
        List<ForestRow> rows = new ArrayList<>();
        for (MetricDifference metric : comparison.metrics().values()) {
            rows.add(new ForestRow(metric.metric(), metric.difference(), metric.ci95().low(), metric.ci95().high()));
        }
        String svg = SvgCharts.forestPlot("Candidate − baseline", "difference (candidate − baseline)", "metric",
                rows);
        return HtmlReport.figure(svg, "Each dot is the difference on all rows and the bar its 95% paired bootstrap"
                + " interval; both runs are resampled with the same row weights. An interval wholly right of the"
                + " dashed zero line is a significant gain, wholly left a significant loss, and one that crosses it"
                + " is a difference the rows cannot tell from noise.");
    }

    private static String flips(PairedComparison comparison) {
        ExactMcNemar test = comparison.mcNemar();
        StringBuilder out = new StringBuilder();
        out.append("<table class=\"mcnemar\">\n<thead>\n<tr><th scope=\"col\">count</th>")
                .append("<th scope=\"col\" class=\"num\">rows</th></tr>\n</thead>\n<tbody>\n")
                .append("<tr><th scope=\"row\">b: right in baseline only (broken)</th>")
                .append(cell(Long.toString(test.baselineOnlyCorrect()))).append("</tr>\n")
                .append("<tr><th scope=\"row\">c: right in candidate only (fixed)</th>")
                .append(cell(Long.toString(test.candidateOnlyCorrect()))).append("</tr>\n")
                .append("<tr><th scope=\"row\">exact two-sided p-value</th>")
                .append(cell(format("%.4g", test.pValue()))).append("</tr>\n")
                .append("</tbody>\n</table>\n");
        out.append("<p class=\"muted\">The exact McNemar test uses only the rows whose correctness changed: under"
                + " equal accuracy each falls either way with probability 1/2, so b follows Binomial(b + c, 1/2). A"
                + " small p-value means the runs differ in accuracy.</p>\n");
        appendFlipped(out, "Fixed rows (wrong in baseline, right in candidate)", comparison.fixed());
        appendFlipped(out, "Broken rows (right in baseline, wrong in candidate)", comparison.broken());
        return out.toString();
    }

    private static void appendFlipped(StringBuilder out, String title, FlippedRows rows) {
        out.append("<h3>").append(Markup.escape(title)).append(": ").append(rows.count()).append("</h3>\n");
        if (rows.count() == 0) {
            out.append("<p class=\"muted\">None.</p>\n");
            return;
        }
        List<String> listed = rows.ids().subList(0, Math.min(LISTED_FLIPS, rows.ids().size()));
        out.append("<p class=\"flipped\">").append(Markup.escape(String.join(", ", listed)));
        if (listed.size() < rows.count()) {
            out.append(", … (").append(rows.count() - listed.size()).append(" more; comparison.json lists ")
                    .append(rows.ids().size()).append(")");
        }
        out.append("</p>\n");
    }

    private static String strata(PairedComparison comparison) {
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"table-wrap\">\n<table class=\"strata\">\n<thead>\n<tr>")
                .append("<th scope=\"col\">stratum</th><th scope=\"col\" class=\"num\">rows</th>")
                .append("<th scope=\"col\" class=\"num\">baseline accuracy</th>")
                .append("<th scope=\"col\" class=\"num\">candidate accuracy</th>")
                .append("<th scope=\"col\" class=\"num\">difference</th>")
                .append("<th scope=\"col\" class=\"num\">fixed</th><th scope=\"col\" class=\"num\">broken</th></tr>\n")
                .append("</thead>\n<tbody>\n");
        for (StratumComparison stratum : comparison.strata()) {
            out.append("<tr><th scope=\"row\">").append(Markup.escape(stratum.stratum())).append("</th>")
                    .append(cell(Long.toString(stratum.rows())))
                    .append(cell(format("%.4f", stratum.baselineAccuracy())))
                    .append(cell(format("%.4f", stratum.candidateAccuracy())))
                    .append(cell(format("%+.4f", stratum.difference())))
                    .append(cell(Long.toString(stratum.fixed())))
                    .append(cell(Long.toString(stratum.broken())))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        out.append("<p class=\"muted\">Per-stratum differences carry no interval; a stratum of few rows can swing"
                + " widely by chance, so read them as pointers to rows worth a look.</p>\n");
        return out.toString();
    }

    private static String latencyAndCost(ComparisonDocument document) {
        StringBuilder out = new StringBuilder();
        if (!document.latency().isEmpty()) {
            out.append("<table class=\"latency\">\n<thead>\n<tr><th scope=\"col\">run</th>")
                    .append("<th scope=\"col\" class=\"num\">count</th>")
                    .append("<th scope=\"col\" class=\"num\">p50 (ms)</th><th scope=\"col\" class=\"num\">p90 (ms)</th>")
                    .append("<th scope=\"col\" class=\"num\">p95 (ms)</th><th scope=\"col\" class=\"num\">p99 (ms)</th>")
                    .append("</tr>\n</thead>\n<tbody>\n");
            for (String role : List.of("baseline", "candidate")) {
                LatencySummary latency = document.latency().get(role);
                if (latency == null) {
                    continue;
                }
                out.append("<tr><th scope=\"row\">").append(role).append("</th>")
                        .append(cell(Long.toString(latency.count())))
                        .append(cell(Long.toString(latency.p50Millis())))
                        .append(cell(Long.toString(latency.p90Millis())))
                        .append(cell(Long.toString(latency.p95Millis())))
                        .append(cell(Long.toString(latency.p99Millis())))
                        .append("</tr>\n");
            }
            out.append("</tbody>\n</table>\n");
        }
        if (!document.cost().isEmpty()) {
            out.append("<table class=\"cost\">\n<thead>\n<tr><th scope=\"col\">run</th>")
                    .append("<th scope=\"col\" class=\"num\">cost</th>")
                    .append("<th scope=\"col\" class=\"num\">cost per correct answer</th></tr>\n</thead>\n<tbody>\n");
            for (Map.Entry<String, UsageCost> entry : List.of("baseline", "candidate").stream()
                    .filter(document.cost()::containsKey)
                    .map(role -> Map.entry(role, document.cost().get(role)))
                    .toList()) {
                UsageCost cost = entry.getValue();
                out.append("<tr><th scope=\"row\">").append(entry.getKey()).append("</th>")
                        .append(cell(Markup.escape(MarkdownReport.money(cost.cost(), cost.currency()))))
                        .append(cell(cost.costPerCorrect() == null ? "n/a"
                                : Markup.escape(MarkdownReport.money(cost.costPerCorrect(), cost.currency()))))
                        .append("</tr>\n");
            }
            out.append("</tbody>\n</table>\n");
        }
        return out.toString();
    }

    private static String cell(String content) {
        return "<td class=\"num\">" + content + "</td>";
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
