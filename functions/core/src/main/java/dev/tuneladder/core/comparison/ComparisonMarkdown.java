package dev.tuneladder.core.comparison;

import dev.tuneladder.core.metrics.LatencySummary;
import dev.tuneladder.core.metrics.UsageCost;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ComparisonDocument} as comparison.md: the verdict, the metric differences with intervals,
 * McNemar's test, the flipped rows, the per-stratum table, and latency and cost when known. Numbers use
 * {@link Locale#ROOT}, so the report is the same under every default locale.
 */
public final class ComparisonMarkdown {

    /** Flipped row ids listed per direction; comparison.json lists more. */
    public static final int LISTED_FLIPS = 20;

    private ComparisonMarkdown() {
    }

    /** Returns the report as Markdown text ending in a line break. */
    public static String render(ComparisonDocument document) {
        PairedComparison comparison = document.comparison();
        StringBuilder out = new StringBuilder();
        out.append("# Comparison\n\n");
        out.append("Baseline: `").append(inline(document.baseline())).append("`  \n");
        out.append("Candidate: `").append(inline(document.candidate())).append("`  \n");
        out.append("Rows: ").append(comparison.rows()).append("\n\n");
        out.append("**").append(document.verdict().describe()).append("**\n\n");

        appendMetrics(out, comparison);
        appendMcNemar(out, comparison.mcNemar());
        appendFlips(out, "Fixed (baseline wrong, candidate right)", comparison.fixed());
        appendFlips(out, "Broken (baseline right, candidate wrong)", comparison.broken());
        appendStrata(out, comparison.strata());
        if (!document.latency().isEmpty()) {
            appendLatency(out, document.latency());
        }
        if (!document.cost().isEmpty()) {
            appendCost(out, document.cost());
        }
        return out.toString();
    }

    private static void appendMetrics(StringBuilder out, PairedComparison comparison) {
        out.append("| metric | baseline | candidate | difference | 95% CI of difference |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (MetricDifference metric : comparison.metrics().values()) {
            out.append("| ").append(cell(metric.metric()))
                    .append(" | ").append(format("%.4f", metric.baseline()))
                    .append(" | ").append(format("%.4f", metric.candidate()))
                    .append(" | ").append(format("%+.4f", metric.difference()))
                    .append(" | ").append(format("[%+.4f, %+.4f]", metric.ci95().low(), metric.ci95().high()))
                    .append(" |\n");
        }
        out.append("\nDifferences are candidate − baseline. Intervals are the 2.5th and 97.5th percentiles of a paired"
                + " Poisson bootstrap over rows (").append(comparison.replicates()).append(" replicates, seed ")
                .append(comparison.seed()).append(").\n\n");
    }

    private static void appendMcNemar(StringBuilder out, ExactMcNemar test) {
        out.append("## McNemar's test (exact)\n\n");
        out.append("b = ").append(test.baselineOnlyCorrect()).append(" rows right only in the baseline, c = ")
                .append(test.candidateOnlyCorrect()).append(" rows right only in the candidate, two-sided p = ")
                .append(format("%.4g", test.pValue())).append(".\n\n");
    }

    private static void appendFlips(StringBuilder out, String title, FlippedRows flips) {
        out.append("## ").append(title).append(": ").append(flips.count()).append("\n\n");
        if (flips.count() == 0) {
            out.append("None.\n\n");
            return;
        }
        List<String> listed = flips.ids().subList(0, Math.min(LISTED_FLIPS, flips.ids().size()));
        for (String id : listed) {
            out.append("- `").append(inline(id)).append("`\n");
        }
        if (listed.size() < flips.count()) {
            out.append("- … ").append(flips.count() - listed.size()).append(" more")
                    .append(flips.ids().size() > listed.size() ? " (comparison.json lists " + flips.ids().size()
                            + ")" : "").append('\n');
        }
        out.append('\n');
    }

    private static void appendStrata(StringBuilder out, List<StratumComparison> strata) {
        out.append("## Per stratum\n\n");
        out.append("| stratum | rows | baseline accuracy | candidate accuracy | difference | fixed | broken |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (StratumComparison stratum : strata) {
            out.append("| ").append(cell(stratum.stratum()))
                    .append(" | ").append(stratum.rows())
                    .append(" | ").append(format("%.4f", stratum.baselineAccuracy()))
                    .append(" | ").append(format("%.4f", stratum.candidateAccuracy()))
                    .append(" | ").append(format("%+.4f", stratum.difference()))
                    .append(" | ").append(stratum.fixed())
                    .append(" | ").append(stratum.broken())
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static void appendLatency(StringBuilder out, Map<String, LatencySummary> latency) {
        out.append("## End-to-end latency (ms)\n\n");
        out.append("| run | rows | p50 | p90 | p95 | p99 | max |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (String run : List.of("baseline", "candidate")) {
            LatencySummary summary = latency.get(run);
            if (summary == null) {
                continue;
            }
            out.append("| ").append(run)
                    .append(" | ").append(summary.count())
                    .append(" | ").append(summary.p50Millis())
                    .append(" | ").append(summary.p90Millis())
                    .append(" | ").append(summary.p95Millis())
                    .append(" | ").append(summary.p99Millis())
                    .append(" | ").append(summary.maxMillis())
                    .append(" |\n");
        }
        out.append("\nNearest-rank percentiles from HdrHistogram with 3 significant digits.\n\n");
    }

    private static void appendCost(StringBuilder out, Map<String, UsageCost> cost) {
        out.append("## Token cost\n\n");
        out.append("| run | input | output | cache read | cache write | cost | cost per correct |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (String run : List.of("baseline", "candidate")) {
            UsageCost usage = cost.get(run);
            if (usage == null) {
                continue;
            }
            out.append("| ").append(run)
                    .append(" | ").append(usage.tokens().inputTokens())
                    .append(" | ").append(usage.tokens().outputTokens())
                    .append(" | ").append(usage.tokens().cacheReadTokens())
                    .append(" | ").append(usage.tokens().cacheWriteTokens())
                    .append(" | ").append(format("%.6f", usage.cost())).append(' ').append(inline(usage.currency()))
                    .append(" | ").append(usage.costPerCorrect() == null ? "n/a"
                            : format("%.6f", usage.costPerCorrect()) + " " + inline(usage.currency()))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    /** Escapes text for a table cell: a pipe would end the cell and a line break the row. */
    private static String cell(String text) {
        return inline(text).replace("|", "\\|");
    }

    private static String inline(String text) {
        return text.replace("\r", " ").replace("\n", " ").replace("`", "'");
    }
}
