package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.report.HtmlReport;
import java.io.PrintWriter;
import java.util.Locale;

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

    static void printFooter(PrintWriter out, RunFolder run, BadRows badRows) {
        if (badRows.count() > 0) {
            out.printf(Locale.ROOT, "%d input rows were rejected; see %s%n", badRows.count(), run.root().resolve("rejects.jsonl"));
        }
        out.println("Results: " + run.root());
        out.flush();
    }
}
