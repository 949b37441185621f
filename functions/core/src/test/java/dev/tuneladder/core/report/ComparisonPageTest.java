package dev.tuneladder.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.comparison.ComparisonDocument;
import dev.tuneladder.core.comparison.MetricDifference;
import dev.tuneladder.core.comparison.PairedComparison;
import dev.tuneladder.core.comparison.PairedComparisonState;
import dev.tuneladder.core.comparison.RegressionVerdict;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.comparison.StratumComparison;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.metrics.LatencyState;
import dev.tuneladder.core.metrics.ModelPrice;
import dev.tuneladder.core.metrics.PriceTable;
import dev.tuneladder.core.metrics.UsageCostState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ComparisonPageTest {

    private static final String NASTY = "<&\"'>";

    private Locale defaultLocale;

    /** Turkish writes 0.912 as "0,912", so a number formatted with the default locale fails the checks. */
    @BeforeEach
    void useTurkishLocale() {
        defaultLocale = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(defaultLocale);
    }

    /**
     * 60 rows over labels a, b and {@code <&"'>}: the baseline is right on even rows, the candidate on rows with
     * i % 6 != 0. So the candidate fixes every odd row (30) and breaks the rows divisible by 6 (10).
     */
    private static ComparisonDocument document(double maxRegression, int maxListedFlips) {
        return document(maxRegression, maxListedFlips, false);
    }

    /** The same rows with the runs' roles swapped when {@code reversed}, so the candidate is the worse run. */
    private static ComparisonDocument document(double maxRegression, int maxListedFlips, boolean reversed) {
        String[] labels = {"a", "b", NASTY};
        List<RowOutcome> baseline = new ArrayList<>();
        List<RowOutcome> candidate = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = String.format(Locale.ROOT, "row-%02d", i);
            String gold = labels[i % 3];
            String wrong = labels[(i + 1) % 3];
            baseline.add(RowOutcome.of(id, gold, i % 2 == 0 ? gold : wrong, 10L + i));
            candidate.add(RowOutcome.of(id, gold, i % 6 != 0 ? gold : wrong, 20L + i));
        }
        PairedComparisonState state = new PairedComparisonState(300, 42, List.of(), maxListedFlips);
        PairedComparison comparison = reversed ? RowOutcomes.pair(candidate, baseline, state).result()
                : RowOutcomes.pair(baseline, candidate, state).result();
        RegressionVerdict verdict = RegressionVerdict.judge(comparison, "macroF1", maxRegression);
        LatencyState latency = new LatencyState();
        baseline.forEach(row -> latency.add("baseline", row.latencyMillis()));
        candidate.forEach(row -> latency.add("candidate", row.latencyMillis()));
        UsageCostState usage = new UsageCostState();
        usage.add("m1", new TokenUsage(1_000_000, 0, 0, 0), true);
        PriceTable prices = new PriceTable("USD", Map.of("m1", new ModelPrice(2, 0, 0, 0)));
        return new ComparisonDocument("runs/base " + NASTY, "runs/cand", verdict, comparison, latency.result(),
                Map.of("baseline", usage.result(prices), "candidate", usage.result(prices)));
    }

    @Test
    void render_page_selfContained() {
        Document page = PageChecks.parseSelfContained(ComparisonPage.render(document(0, 1000)));

        assertThat(Xml.texts(Xml.named(page, "h1"))).containsExactly("Comparison");
        assertThat(Xml.texts(Xml.named(page, "h2"))).containsExactly("Verdict", "Differences with 95% intervals",
                "McNemar test and flipped rows", "Accuracy per stratum", "Latency and cost");
    }

    @Test
    void render_differences_carryComparisonNumbers() {
        ComparisonDocument document = document(0, 1000);
        Document page = Xml.parsePage(ComparisonPage.render(document));

        List<String> rows = PageChecks.rowTexts(page, "differences");
        List<MetricDifference> metrics = List.copyOf(document.comparison().metrics().values());
        assertThat(rows).hasSize(metrics.size());
        for (int i = 0; i < rows.size(); i++) {
            MetricDifference metric = metrics.get(i);
            assertThat(rows.get(i)).isEqualTo(metric.metric()
                    + String.format(Locale.ROOT, "%.4f%.4f%+.4f[%+.4f, %+.4f]", metric.baseline(),
                    metric.candidate(), metric.difference(), metric.ci95().low(), metric.ci95().high()));
        }
    }

    @Test
    void render_forestPlot_onePointPerMetricAroundZero() {
        ComparisonDocument document = document(0, 1000);
        Document page = Xml.parsePage(ComparisonPage.render(document));

        assertThat(Xml.withClass(page, "point")).hasSize(document.comparison().metrics().size());
        assertThat(Xml.withClass(page, "reference")).hasSize(1);
        assertThat(Xml.named(page, "svg")).singleElement()
                .extracting(chart -> chart.getAttribute("aria-label")).isEqualTo("Candidate − baseline");
    }

    @Test
    void render_mcNemarAndFlips_carryCounts() {
        ComparisonDocument document = document(0, 1000);
        Document page = Xml.parsePage(ComparisonPage.render(document));

        assertThat(document.comparison().fixed().count()).isEqualTo(30);
        assertThat(document.comparison().broken().count()).isEqualTo(10);
        assertThat(PageChecks.rowTexts(page, "mcnemar")).containsExactly(
                "b: right in baseline only (broken)10", "c: right in candidate only (fixed)30",
                "exact two-sided p-value" + String.format(Locale.ROOT, "%.4g",
                        document.comparison().mcNemar().pValue()));
        List<String> flipped = Xml.texts(Xml.withClass(page, "flipped"));
        assertThat(flipped).hasSize(2);
        assertThat(flipped.get(0)).isEqualTo(String.join(", ", document.comparison().fixed().ids()));
        assertThat(flipped.get(1)).startsWith("row-00, row-06");
    }

    @Test
    void render_cappedFlips_saysHowManyMore() {
        Document page = Xml.parsePage(ComparisonPage.render(document(0, 5)));

        assertThat(Xml.texts(Xml.withClass(page, "flipped")).get(0)).endsWith(", … (25 more; comparison.json lists 5)");
    }

    @Test
    void render_strata_oneRowPerStratumEscaped() {
        ComparisonDocument document = document(0, 1000);
        String html = ComparisonPage.render(document);
        Document page = Xml.parsePage(html);

        List<String> rows = PageChecks.rowTexts(page, "strata");
        assertThat(rows).hasSize(document.comparison().strata().size());
        for (int i = 0; i < rows.size(); i++) {
            StratumComparison stratum = document.comparison().strata().get(i);
            assertThat(rows.get(i)).isEqualTo(stratum.stratum() + stratum.rows()
                    + String.format(Locale.ROOT, "%.4f%.4f%+.4f", stratum.baselineAccuracy(),
                    stratum.candidateAccuracy(), stratum.difference()) + stratum.fixed() + stratum.broken());
        }
        assertThat(html).doesNotContain(NASTY);
    }

    @Test
    void render_verdict_describedAsInTerminal() {
        ComparisonDocument strict = document(0, 1000);
        ComparisonDocument tolerant = document(0.9, 1000);

        Element strictVerdict = Xml.withClass(Xml.parsePage(ComparisonPage.render(strict)), "verdict").get(0);
        Element tolerantVerdict = Xml.withClass(Xml.parsePage(ComparisonPage.render(tolerant)), "verdict").get(0);

        assertThat(strictVerdict.getTextContent()).isEqualTo(strict.verdict().describe());
        assertThat(tolerantVerdict.getTextContent()).isEqualTo(tolerant.verdict().describe())
                .endsWith("does not lie entirely below -0.9000");
    }

    @Test
    void render_worseCandidate_showsRegression() {
        ComparisonDocument worse = document(0, 1000, true);

        Element verdict = Xml.withClass(Xml.parsePage(ComparisonPage.render(worse)), "verdict").get(0);

        assertThat(worse.verdict().regressed()).isTrue();
        assertThat(verdict.getTextContent()).startsWith("REGRESSION: macroF1 -");
    }

    @Test
    void render_latencyAndCost_perRun() {
        Document page = Xml.parsePage(ComparisonPage.render(document(0, 1000)));

        // Latencies 10 .. 69 and 20 .. 79 ms: nearest-rank p50, p90, p95, p99 are the 30th, 54th, 57th, 60th.
        assertThat(PageChecks.rowTexts(page, "latency")).containsExactly("baseline6039636669",
                "candidate6049737679");
        assertThat(PageChecks.rowTexts(page, "cost")).containsExactly("baseline2 USD2 USD", "candidate2 USD2 USD");
    }
}
