/**
 * Self-contained HTML reports: inline SVG charts built as strings ({@link dev.tuneladder.core.report.SvgCharts})
 * and the report.html page around them ({@link dev.tuneladder.core.report.HtmlReport}). The output loads nothing
 * from the network and is the same bytes for the same input under every default locale.
 */
package dev.tuneladder.core.report;
