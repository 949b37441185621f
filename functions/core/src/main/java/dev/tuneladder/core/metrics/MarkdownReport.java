package dev.tuneladder.core.metrics;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link MetricsDocument} as report.md: a summary table with one line per routing run and one per
 * tool-call run, then per run its worst labels by F1 and its most frequent confusions, its tool-call tables (see
 * {@link MarkdownSections}), its latency percentiles and its cost. Numbers use {@link Locale#ROOT}, so the
 * report is the same under every default locale.
 */
public final class MarkdownReport {

    /** How many labels the per-run table of worst labels shows. */
    public static final int WORST_LABELS = 10;

    /** How many confusions the per-run confusion table shows. */
    public static final int TOP_CONFUSIONS = 10;

    private static final Comparator<Map.Entry<String, LabelScores>> WORST_F1_FIRST = Comparator
            .comparingDouble((Map.Entry<String, LabelScores> entry) -> entry.getValue().f1())
            .thenComparing(Map.Entry.comparingByKey());

    private MarkdownReport() {
    }

    /** Returns the report as Markdown text ending in a line break. */
    public static String render(MetricsDocument document) {
        List<MetricsDocument.Run> routingRuns = document.runs().stream().filter(run -> run.routing() != null)
                .toList();
        List<MetricsDocument.Run> toolCallRuns = document.runs().stream().filter(run -> run.toolCalls() != null)
                .toList();
        StringBuilder out = new StringBuilder();
        out.append("# ").append(title(document)).append("\n\n");
        if (!routingRuns.isEmpty()) {
            appendSummary(out, routingRuns);
        }
        if (!toolCallRuns.isEmpty()) {
            if (!routingRuns.isEmpty()) {
                out.append('\n');
            }
            MarkdownSections.appendToolCallSummary(out, toolCallRuns);
        }
        for (MetricsDocument.Run run : document.runs()) {
            out.append("\n## ").append(inline(run.name())).append("\n\n");
            if (run.routing() != null) {
                appendWorstLabels(out, run.routing());
                out.append('\n');
                appendTopConfusions(out, run.routing());
            }
            if (run.toolCalls() != null) {
                if (run.routing() != null) {
                    out.append('\n');
                }
                MarkdownSections.appendToolCalls(out, run.toolCalls());
            }
            if (!run.latency().isEmpty()) {
                out.append('\n');
                MarkdownSections.appendLatency(out, run.latency());
            }
            if (run.cost() != null) {
                out.append('\n');
                MarkdownSections.appendCost(out, run.cost());
            }
        }
        return out.toString();
    }

    /**
     * Returns the title of the reports of {@code document}: "Routing metrics" or "Tool-call metrics" when all
     * runs are of one kind, else "Evaluation metrics".
     */
    public static String title(MetricsDocument document) {
        boolean routing = document.runs().stream().anyMatch(run -> run.routing() != null);
        boolean toolCalls = document.runs().stream().anyMatch(run -> run.toolCalls() != null);
        if (routing && toolCalls) {
            return "Evaluation metrics";
        }
        return routing ? "Routing metrics" : "Tool-call metrics";
    }

    /** Writes {@link #render} to {@code out}; the caller owns and closes {@code out}. */
    public static void write(MetricsDocument document, Writer out) {
        try {
            out.write(render(document));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write the Markdown report", e);
        }
    }

    /** Formats a rate with three decimals, for example "0.912". */
    static String rate(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * Formats an amount of money with at most 6 significant digits and no exponent, followed by the currency, for
     * example "0.00123 USD".
     */
    public static String money(double amount, String currency) {
        return new BigDecimal(amount).round(new MathContext(6)).stripTrailingZeros().toPlainString() + " " + currency;
    }

    /** Formats a rate and its interval, for example "0.912 [0.902, 0.921]". */
    static String rateWithInterval(double value, ConfidenceInterval interval) {
        return rate(value) + " [" + rate(interval.low()) + ", " + rate(interval.high()) + "]";
    }

    private static void appendSummary(StringBuilder out, List<MetricsDocument.Run> runs) {
        out.append("| run | accuracy [95% CI] | macro-F1 [95% CI] | micro-F1 | weighted-F1 | rows |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        for (MetricsDocument.Run run : runs) {
            RoutingSummary routing = run.routing();
            out.append("| ").append(cell(run.name()))
                    .append(" | ").append(rateWithInterval(routing.accuracy(), routing.ci95().accuracy()))
                    .append(" | ").append(rateWithInterval(routing.macroF1(), routing.ci95().macroF1()))
                    .append(" | ").append(rate(routing.microF1()))
                    .append(" | ").append(rate(routing.weightedF1()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", routing.rows()))
                    .append(" |\n");
        }
        out.append("\nIntervals are the 2.5th and 97.5th percentiles of a Poisson bootstrap over rows.\n");
    }

    private static void appendWorstLabels(StringBuilder out, RoutingSummary routing) {
        List<Map.Entry<String, LabelScores>> labels = new ArrayList<>(routing.perLabel().entrySet());
        labels.sort(WORST_F1_FIRST);
        List<Map.Entry<String, LabelScores>> worst = labels.subList(0, Math.min(WORST_LABELS, labels.size()));

        out.append("### Worst ").append(worst.size()).append(" labels by F1\n\n");
        out.append("| label | precision | recall | F1 | support |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, LabelScores> entry : worst) {
            LabelScores scores = entry.getValue();
            out.append("| ").append(cell(entry.getKey()))
                    .append(" | ").append(rate(scores.precision()))
                    .append(" | ").append(rate(scores.recall()))
                    .append(" | ").append(rate(scores.f1()))
                    .append(" | ").append(scores.support())
                    .append(" |\n");
        }
    }

    private static void appendTopConfusions(StringBuilder out, RoutingSummary routing) {
        List<Confusion> top = routing.topConfusions()
                .subList(0, Math.min(TOP_CONFUSIONS, routing.topConfusions().size()));
        if (top.isEmpty()) {
            out.append("### Top confusions\n\nNo row was predicted as a wrong label.\n");
            return;
        }
        out.append("### Top ").append(top.size()).append(" confusions\n\n");
        out.append("| gold | predicted | count |\n");
        out.append("|---|---|---:|\n");
        for (Confusion confusion : top) {
            out.append("| ").append(cell(confusion.gold()))
                    .append(" | ").append(cell(confusion.predicted()))
                    .append(" | ").append(confusion.count())
                    .append(" |\n");
        }
    }

    /** Escapes text for a table cell: a pipe would end the cell and a line break the row. */
    static String cell(String text) {
        return inline(text).replace("|", "\\|");
    }

    static String inline(String text) {
        return text.replace("\r", " ").replace("\n", " ");
    }
}
