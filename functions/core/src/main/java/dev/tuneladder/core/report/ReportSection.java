package dev.tuneladder.core.report;

import java.util.Objects;

/**
 * One titled section of report.html.
 *
 * @param title the heading, plain text (it is escaped)
 * @param fragment the body: well-formed HTML or SVG markup, inserted as is, so any text in it must already be
 *     escaped with {@link Markup#escape}. Charts from {@link SvgCharts} wrapped by {@link HtmlReport#figure} fit.
 */
public record ReportSection(String title, String fragment) {

    public ReportSection {
        Objects.requireNonNull(title, "report section title is missing");
        Objects.requireNonNull(fragment, () -> "report section '" + title + "' has no fragment");
    }
}
