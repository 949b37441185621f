package dev.tuneladder.core.report;

import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.MetricsDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders report.html: one self-contained page with the summary of a {@link MetricsDocument} and inline SVG
 * charts, readable on screen and on paper: routing metrics, tool-call metrics, latency and cost, each for the runs
 * that have them.
 *
 * <p>The page is HTML5 that is also well-formed XML after its doctype line, so it can be checked with any XML
 * parser. It loads nothing: the only style sheet is inline, there are no scripts, fonts, images or links to
 * other pages, and the only URI in it is the SVG namespace. Numbers use {@link Locale#ROOT} and no clock or
 * random source is read, so the same input gives the same bytes.
 *
 * <p>Commands with more to show (paired comparisons, latency) add {@link ReportSection}s after the routing ones
 * with {@link #render(MetricsDocument, List)}, or build a page of their own sections with {@link #page}.
 */
public final class HtmlReport {

    /** The page title of reports rendered from a {@link MetricsDocument} whose runs all have routing metrics only. */
    public static final String ROUTING_TITLE = "Routing metrics";

    private HtmlReport() {
    }

    /**
     * Renders the report of {@code document}: the routing sections, the tool-call sections, then the latency and
     * cost sections, each for the runs that have them.
     */
    public static String render(MetricsDocument document) {
        return render(document, List.of());
    }

    /** Renders the report of {@code document} followed by {@code extraSections}, in their order. */
    public static String render(MetricsDocument document, List<ReportSection> extraSections) {
        Objects.requireNonNull(extraSections, "extra sections are missing; pass an empty list for none");
        List<ReportSection> sections = new ArrayList<>(routingSections(document));
        sections.addAll(toolCallSections(document));
        sections.addAll(RunCostSections.of(document.runs()));
        sections.addAll(extraSections);
        String intro = document.runs().size() + (document.runs().size() == 1 ? " run" : " runs")
                + ". Rates are rounded to three decimals; metrics.json has the exact values.";
        return page(MarkdownReport.title(document), intro, sections);
    }

    /**
     * Returns the routing sections of {@code document}: the summary table, the runs' accuracy and macro-F1 with
     * their intervals, and per run its per-label F1 and top confusions. Runs without routing metrics are left
     * out; when no run has them the list is empty.
     */
    public static List<ReportSection> routingSections(MetricsDocument document) {
        Objects.requireNonNull(document, "metrics document is missing");
        List<MetricsDocument.Run> runs = document.runs().stream().filter(run -> run.routing() != null).toList();
        return runs.isEmpty() ? List.of() : RoutingSections.of(runs);
    }

    /**
     * Returns the tool-call sections of {@code document}: the summary table, and per run its per-tool F1, failure
     * reasons, hard fails and argument similarity. Runs without tool-call metrics are left out; when no run has
     * them the list is empty.
     */
    public static List<ReportSection> toolCallSections(MetricsDocument document) {
        Objects.requireNonNull(document, "metrics document is missing");
        List<MetricsDocument.Run> runs = document.runs().stream().filter(run -> run.toolCalls() != null).toList();
        return runs.isEmpty() ? List.of() : ToolCallSections.of(runs);
    }

    /**
     * Renders a page of {@code sections} under {@code title}, with a table of contents when there are two or
     * more sections.
     *
     * @param intro a plain-text paragraph under the title; empty for none
     */
    public static String page(String title, String intro, List<ReportSection> sections) {
        Objects.requireNonNull(title, "page title is missing");
        Objects.requireNonNull(intro, "page intro is missing; pass an empty string for none");
        Objects.requireNonNull(sections, "page sections are missing");
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Markup.escape(title)).append("</title>\n")
                .append("<style>\n").append(PageStyle.CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>").append(Markup.escape(title)).append("</h1>\n");
        if (!intro.isEmpty()) {
            out.append("<p class=\"intro\">").append(Markup.escape(intro)).append("</p>\n");
        }
        if (sections.size() > 1) {
            appendContents(out, sections);
        }
        for (int i = 0; i < sections.size(); i++) {
            ReportSection section = sections.get(i);
            out.append("<section id=\"").append(sectionId(i)).append("\">\n<h2>")
                    .append(Markup.escape(section.title())).append("</h2>\n").append(section.fragment());
            if (!section.fragment().endsWith("\n")) {
                out.append('\n');
            }
            out.append("</section>\n");
        }
        return out.append("</main>\n</body>\n</html>\n").toString();
    }

    /**
     * Wraps a chart in a figure whose caption explains how to read it.
     *
     * @param svg a chart from {@link SvgCharts}, or other well-formed markup
     * @param howToRead plain text (it is escaped); empty for no caption
     */
    public static String figure(String svg, String howToRead) {
        Objects.requireNonNull(svg, "figure content is missing");
        Objects.requireNonNull(howToRead, "figure caption is missing; pass an empty string for none");
        StringBuilder out = new StringBuilder(svg.length() + howToRead.length() + 64);
        out.append("<figure>\n").append(svg);
        if (!svg.endsWith("\n")) {
            out.append('\n');
        }
        if (!howToRead.isEmpty()) {
            out.append("<figcaption><strong>How to read this:</strong> ").append(Markup.escape(howToRead))
                    .append("</figcaption>\n");
        }
        return out.append("</figure>\n").toString();
    }

    private static void appendContents(StringBuilder out, List<ReportSection> sections) {
        out.append("<nav aria-label=\"Contents\">\n<ol>\n");
        for (int i = 0; i < sections.size(); i++) {
            out.append("<li><a href=\"#").append(sectionId(i)).append("\">")
                    .append(Markup.escape(sections.get(i).title())).append("</a></li>\n");
        }
        out.append("</ol>\n</nav>\n");
    }

    private static String sectionId(int index) {
        return "section-" + (index + 1);
    }
}
