package dev.tuneladder.core.report;

import dev.tuneladder.core.judging.calibration.CalibrationReport;
import dev.tuneladder.core.judging.calibration.CalibrationResult;
import dev.tuneladder.core.judging.calibration.JudgeCalibration;
import dev.tuneladder.core.judging.calibration.OrderScores;
import dev.tuneladder.core.judging.calibration.ReviewerCalibration;
import dev.tuneladder.core.judging.calibration.SwapConsistency;
import dev.tuneladder.core.judging.calibration.VerdictScale;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Renders calibration.html from a {@link CalibrationResult}: the judge table of calibration.md, a forest plot of
 * each judge's accuracy per presentation order with its interval, swap consistency per judge, and the reviewers'
 * agreement and leniency. The page is self-contained and well-formed as {@link HtmlReport#page} describes.
 */
public final class CalibrationPage {

    private CalibrationPage() {
    }

    /**
     * Renders the page.
     *
     * @param title what was calibrated, such as the verdict file names; plain text
     */
    public static String render(CalibrationResult result, String title) {
        Objects.requireNonNull(result, "calibration result is missing");
        Objects.requireNonNull(title, "calibration title is missing");
        List<ReportSection> sections = new ArrayList<>();
        if (!result.judges().isEmpty()) {
            sections.add(new ReportSection("Judges", judgeTable(result)));
            sections.add(new ReportSection("Accuracy by judge and order", accuracyChart(result)));
            sections.add(new ReportSection("Swap consistency", swapConsistency(result)));
        }
        if (!result.reviewers().isEmpty()) {
            sections.add(new ReportSection("Reviewers", reviewers(result)));
        }
        String intro = String.format(Locale.ROOT, "%s. Scale %s: %,d items, %,d with a gold label. Intervals from %d"
                + " Poisson bootstrap replicates over items (seed %d).", title, result.scale(), result.items(),
                result.itemsWithGold(), result.bootstrapReplicates(), result.seed());
        return HtmlReport.page("Judge calibration", intro, sections);
    }

    private static String judgeTable(CalibrationResult result) {
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"table-wrap\">\n<table class=\"judges\">\n<thead>\n<tr>");
        List<String> headers = CalibrationReport.JUDGE_HEADERS;
        for (int i = 0; i < headers.size(); i++) {
            out.append("<th scope=\"col\"").append(i < 2 ? "" : " class=\"num\"").append('>')
                    .append(Markup.escape(headers.get(i))).append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        for (List<String> row : CalibrationReport.judgeRows(result)) {
            out.append("<tr><th scope=\"row\">").append(Markup.escape(row.get(0))).append("</th>");
            out.append("<td>").append(Markup.escape(row.get(1))).append("</td>");
            for (int i = 2; i < row.size(); i++) {
                out.append("<td class=\"num\">").append(Markup.escape(row.get(i))).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        out.append("<p class=\"muted\">Accuracy counts the verdicts equal to the gold label. Kappa is Cohen's kappa"
                + " against gold, which discounts the agreement expected by chance. \"both\" pools the original and"
                + " the swapped order, so an item judged twice counts twice.</p>\n");
        return out.toString();
    }

    private static String accuracyChart(CalibrationResult result) {
        List<ForestRow> rows = new ArrayList<>();
        for (JudgeCalibration judge : result.judges()) {
            addRow(rows, judge.judge() + " · original", judge.original());
            if (judge.swapped().verdicts() > 0) {
                addRow(rows, judge.judge() + " · swapped", judge.swapped());
            }
        }
        if (rows.isEmpty()) {
            return "<p class=\"muted\">No verdict has a gold label, so there is no accuracy to chart.</p>\n";
        }
        boolean pairwise = result.scale().equals(VerdictScale.PAIRWISE.spec());
        String svg = SvgCharts.forestPlot("Accuracy against gold by judge and order",
                "accuracy (share of verdicts equal to gold)", "judge · order", rows,
                pairwise ? OptionalDouble.of(0.5) : OptionalDouble.empty());
        String chance = pairwise ? " The dashed line at 0.5 is the accuracy of a judge that picks at random." : "";
        return HtmlReport.figure(svg, "Each dot is a judge's accuracy in one presentation order and the bar its 95%"
                + " bootstrap interval over items. A judge whose swapped-order dot sits far from its original-order"
                + " dot depends on where the answers are shown." + chance);
    }

    private static void addRow(List<ForestRow> rows, String name, OrderScores scores) {
        if (scores.accuracy() == null || scores.accuracyCi95() == null) {
            return;
        }
        rows.add(new ForestRow(name, scores.accuracy(), scores.accuracyCi95().low(), scores.accuracyCi95().high()));
    }

    private static String swapConsistency(CalibrationResult result) {
        List<JudgeCalibration> swapped = result.judges().stream()
                .filter(judge -> judge.swapConsistency() != null && judge.swapConsistency().pairs() > 0)
                .toList();
        if (swapped.isEmpty()) {
            return "<p class=\"muted\">No judge judged an item in both orders, so swap consistency is"
                    + " undefined.</p>\n";
        }
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"table-wrap\">\n<table class=\"swap\">\n<thead>\n<tr><th scope=\"col\">judge</th>")
                .append("<th scope=\"col\" class=\"num\">pairs</th><th scope=\"col\" class=\"num\">consistent</th>")
                .append("<th scope=\"col\" class=\"num\">consistency</th>")
                .append("<th scope=\"col\" class=\"num\">first position won both</th>")
                .append("<th scope=\"col\" class=\"num\">second position won both</th>")
                .append("<th scope=\"col\" class=\"num\">kappa between orders</th></tr>\n</thead>\n<tbody>\n");
        List<String> names = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (JudgeCalibration judge : swapped) {
            SwapConsistency swap = judge.swapConsistency();
            names.add(judge.judge());
            rates.add(swap.consistencyRate());
            out.append("<tr><th scope=\"row\">").append(Markup.escape(judge.judge())).append("</th>")
                    .append(cell(Long.toString(swap.pairs())))
                    .append(cell(Long.toString(swap.consistent())))
                    .append(cell(decimal(swap.consistencyRate())))
                    .append(cell(Long.toString(swap.firstPositionBoth())))
                    .append(cell(Long.toString(swap.secondPositionBoth())))
                    .append(cell(decimal(swap.kappaBetweenOrders())))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        String svg = SvgCharts.horizontalBars("Swap consistency by judge", "share of items with the same answer"
                + " preferred in both orders", "judge", names, List.of(new BarSeries("consistency", rates)), 1.0);
        out.append(HtmlReport.figure(svg, "A consistent judge prefers the same answer whichever position it is"
                + " shown in. The inconsistent rest picked the same position twice; the table splits them into"
                + " first-position and second-position wins, which shows a positional preference."));
        return out.toString();
    }

    private static String reviewers(CalibrationResult result) {
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"table-wrap\">\n<table class=\"reviewers\">\n<thead>\n<tr>")
                .append("<th scope=\"col\">reviewer</th><th scope=\"col\" class=\"num\">verdicts</th>")
                .append("<th scope=\"col\" class=\"num\">accuracy</th><th scope=\"col\" class=\"num\">kappa</th>")
                .append("<th scope=\"col\" class=\"num\">agrees with majority</th>")
                .append("<th scope=\"col\" class=\"num\">leniency</th></tr>\n</thead>\n<tbody>\n");
        for (ReviewerCalibration reviewer : result.reviewers()) {
            out.append("<tr><th scope=\"row\">").append(Markup.escape(reviewer.reviewer())).append("</th>")
                    .append(cell(Long.toString(reviewer.verdicts())))
                    .append(cell(decimal(reviewer.accuracy())))
                    .append(cell(decimal(reviewer.kappa())))
                    .append(cell(decimal(reviewer.majorityAgreement())))
                    .append(cell(reviewer.leniency() == null ? "n/a"
                            : String.format(Locale.ROOT, "%+.3f", reviewer.leniency())))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        out.append("<p>Fleiss' kappa over ").append(result.fleissItems()).append(" items with two or more reviewer"
                + " verdicts: ").append(decimal(result.fleissKappa())).append(".</p>\n");
        out.append("<p class=\"muted\">The majority is that of the other reviewers on the item. Leniency is the"
                + " reviewer's mean positive value minus the others' on shared items; positive is more lenient.</p>\n");
        return out.toString();
    }

    private static String cell(String content) {
        return "<td class=\"num\">" + content + "</td>";
    }

    private static String decimal(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }
}
