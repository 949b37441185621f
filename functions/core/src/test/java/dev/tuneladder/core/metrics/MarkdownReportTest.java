package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.data.TokenUsage;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private Locale defaultLocale;

    /** Turkish formats 0.912 as "0,912", so a number formatted with the default locale fails the checks. */
    @BeforeEach
    void useTurkishLocale() {
        defaultLocale = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(defaultLocale);
    }

    /** Labels l00..l11 with F1 = 0.05 × (index + 1), and confusions l00→l01 .. l11→l00 with count 12 - index. */
    private static RoutingSummary summary(double accuracy) {
        TreeMap<String, LabelScores> perLabel = new TreeMap<>();
        List<Confusion> confusions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double f1 = 0.05 * (i + 1);
            perLabel.put(label(i), new LabelScores(f1, f1, f1, 10 + i));
            confusions.add(new Confusion(label(i), label((i + 1) % 12), 12 - i));
        }
        return new RoutingSummary(3080, accuracy, 0.9034, 0.9123, 0.9101, 0.9055, 0.9044,
                new RoutingCi95(new ConfidenceInterval(0.9021, 0.9209), new ConfidenceInterval(0.8932, 0.9128)),
                perLabel, confusions);
    }

    private static String label(int index) {
        return String.format(Locale.ROOT, "l%02d", index);
    }

    private static MetricsDocument twoRuns() {
        return new MetricsDocument(List.of(
                new MetricsDocument.Run("baseline", summary(0.9123), Map.of()),
                new MetricsDocument.Run("candidate|k=5", summary(0.8), Map.of())));
    }

    @Test
    void render_summaryRow_formatsRatesAndIntervals() {
        String report = MarkdownReport.render(twoRuns());

        assertThat(report).contains(
                "| baseline | 0.912 [0.902, 0.921] | 0.903 [0.893, 0.913] | 0.912 | 0.910 | 3,080 |");
        assertThat(report).doesNotContain("0,9");
    }

    @Test
    void render_twoRuns_oneTableRowEach() {
        String report = MarkdownReport.render(twoRuns());

        int header = report.indexOf("| run | accuracy [95% CI] | macro-F1 [95% CI] | micro-F1 | weighted-F1 | rows |");
        int baseline = report.indexOf("| baseline | 0.912");
        int candidate = report.indexOf("| candidate\\|k=5 | 0.800");
        assertThat(header).isNotNegative();
        assertThat(baseline).isGreaterThan(header);
        assertThat(candidate).isGreaterThan(baseline);
        assertThat(report).contains("\n## baseline\n", "\n## candidate|k=5\n");
    }

    @Test
    void render_worstLabels_tenLowestF1First() {
        String report = MarkdownReport.render(twoRuns());
        int start = report.indexOf("### Worst 10 labels by F1");
        String worstLabels = report.substring(start, report.indexOf("### Top", start));

        assertThat(start).isNotNegative();
        assertThat(worstLabels).contains("| l00 | 0.050 | 0.050 | 0.050 | 10 |");
        assertThat(worstLabels).contains("| l09 | 0.500 | 0.500 | 0.500 | 19 |");
        assertThat(worstLabels).doesNotContain("| l10 |", "| l11 |");
        assertThat(worstLabels.indexOf("| l00 |")).isLessThan(worstLabels.indexOf("| l01 |"));
    }

    @Test
    void render_topConfusions_tenMostFrequentFirst() {
        String report = MarkdownReport.render(twoRuns());
        String baselineSection = report.substring(report.indexOf("## baseline"), report.indexOf("## candidate"));

        assertThat(baselineSection).contains("### Top 10 confusions");
        assertThat(baselineSection).contains("| l00 | l01 | 12 |");
        assertThat(baselineSection).contains("| l09 | l10 | 3 |");
        assertThat(baselineSection).doesNotContain("| l10 | l11 | 2 |", "| l11 | l00 | 1 |");
        assertThat(baselineSection.indexOf("| l00 | l01 | 12 |"))
                .isLessThan(baselineSection.indexOf("| l01 | l02 | 11 |"));
    }

    @Test
    void render_noConfusions_saysSo() {
        RoutingMetricsState state = new RoutingMetricsState(20, 1);
        state.add("r1", "a", "a");
        state.add("r2", "b", null);
        MetricsDocument document = MetricsDocument.of(MetricsDocument.Run.of("perfect", state.result(), Map.of()));

        String report = MarkdownReport.render(document);

        assertThat(report).contains("No row was predicted as a wrong label.");
        assertThat(report).contains("| b | 0.000 | 0.000 | 0.000 | 1 |");
    }

    @Test
    void write_sameTextAsRender() {
        StringWriter out = new StringWriter();

        MarkdownReport.write(twoRuns(), out);

        assertThat(out.toString()).isEqualTo(MarkdownReport.render(twoRuns()));
    }

    private static MetricsDocument toolCallRun(boolean withRouting) {
        LatencyState latency = new LatencyState();
        for (long millis = 1; millis <= 100; millis++) {
            latency.addEndToEnd(millis);
        }
        UsageCostState usage = new UsageCostState();
        usage.add("m1", new TokenUsage(1_000_000, 100_000, 0, 0), true);
        usage.add("m1", new TokenUsage(1_000_000, 100_000, 0, 0), false);
        UsageCost cost = usage.result(new PriceTable("USD", Map.of("m1", new ModelPrice(3, 15, 0.3, 3.75))));
        return MetricsDocument.of(new MetricsDocument.Run("planner", withRouting ? summary(0.9) : null,
                MetricsDocumentTest.sampleToolCalls(true), latency.result(),
                latency.histogram(LatencyState.END_TO_END), cost, Map.of()));
    }

    @Test
    void render_toolCallRun_summaryAndTables() {
        String report = MarkdownReport.render(toolCallRun(false));

        assertThat(report).startsWith("# Tool-call metrics\n\n");
        assertThat(report).contains("| planner | 0.700 [0.400, 1.000] | 7 | 0.888 | 0.444 | 10 |");
        assertThat(report).contains("Exact plan match 0.700 [0.400, 1.000]: 7 of 10 rows.");
        assertThat(report).contains("| send_crypto | 0.000 | 0.000 | 0.000 | 0 |");
        assertThat(report).contains("| get_stock_price | 0.800 | 1.000 | 0.889 | 8 |");
        assertThat(report).contains("| CALL_COUNT | 2 | 0.667 |\n| WRONG_TYPE | 1 | 0.333 |\n");
        assertThat(report).doesNotContain("| WRONG_FUNCTION |");
        assertThat(report).contains("| get_stock_price | send_crypto | 2 | 2 | row-3, row-7 |");
        assertThat(report).contains("Mean row cosine 0.910 over 9 rows (test-model); 1 rows below 0.800, for"
                + " example row-3.");
        assertThat(report).doesNotContain("labels by F1", "Routing");
    }

    @Test
    void render_latencyAndCost_tables() {
        String report = MarkdownReport.render(toolCallRun(false));

        assertThat(report).contains("| end-to-end | 100 | 50 | 90 | 95 | 99 | 100 |");
        assertThat(report).contains("| 2 | 1 | 2000000 | 200000 | 0 | 0 | 9 USD | 9 USD |");
    }

    @Test
    void render_routingAndToolCalls_bothSummaries() {
        String report = MarkdownReport.render(toolCallRun(true));

        assertThat(report).startsWith("# Evaluation metrics\n\n");
        assertThat(report).contains("| run | accuracy [95% CI] |", "| run | exact plan match [95% CI] |");
        assertThat(report.indexOf("### Worst 10 labels by F1")).isLessThan(report.indexOf("### Tool calls"));
    }

    @Test
    void money_sixSignificantDigitsNoExponent() {
        assertThat(MarkdownReport.money(0.000123456789, "USD")).isEqualTo("0.000123457 USD");
        assertThat(MarkdownReport.money(42, "EUR")).isEqualTo("42 EUR");
        assertThat(MarkdownReport.money(0, "USD")).isEqualTo("0 USD");
    }
}
