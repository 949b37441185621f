package dev.tuneladder.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.metrics.AveragedScores;
import dev.tuneladder.core.metrics.ConfidenceInterval;
import dev.tuneladder.core.metrics.Confusion;
import dev.tuneladder.core.metrics.LabelScores;
import dev.tuneladder.core.metrics.LatencyBin;
import dev.tuneladder.core.metrics.LatencyState;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.ModelPrice;
import dev.tuneladder.core.metrics.PriceTable;
import dev.tuneladder.core.metrics.RoutingCi95;
import dev.tuneladder.core.metrics.RoutingSummary;
import dev.tuneladder.core.metrics.ToolCallSummary;
import dev.tuneladder.core.metrics.UsageCost;
import dev.tuneladder.core.metrics.UsageCostState;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    private static final String NASTY = "<&\"'>";
    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

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
     * Labels l00..l{labels-1} plus the label {@code <&"'>}, F1 rising with the index, and a confusion from each
     * label to the next with a falling count.
     */
    private static RoutingSummary summary(double accuracy, double macroF1, int labels) {
        TreeMap<String, LabelScores> perLabel = new TreeMap<>();
        List<Confusion> confusions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            names.add(String.format(Locale.ROOT, "l%02d", i));
        }
        names.add(NASTY);
        for (int i = 0; i < names.size(); i++) {
            double f1 = (i + 1) / (double) (names.size() + 1);
            perLabel.put(names.get(i), new LabelScores(f1, f1, f1, 10 + i));
            confusions.add(new Confusion(names.get(i), names.get((i + 1) % names.size()), names.size() - i));
        }
        return new RoutingSummary(3080, accuracy, macroF1, 0.9123, 0.9101, 0.9055, 0.9044,
                new RoutingCi95(new ConfidenceInterval(accuracy - 0.0102, accuracy + 0.0097),
                        new ConfidenceInterval(macroF1 - 0.0101, macroF1 + 0.0094)),
                perLabel, confusions);
    }

    private static MetricsDocument threeRuns() {
        return new MetricsDocument(List.of(
                new MetricsDocument.Run("full-train", summary(0.9123, 0.9034, 11),
                        Map.of("k", 5, "examples", 10003, "indexBuildMillis", 1234L, "floorMacroF1", 0.81234,
                                "customKey", "as given", "config", Map.of("seed", 42))),
                new MetricsDocument.Run("kmeans-8", summary(0.8412, 0.8377, 11), Map.of()),
                new MetricsDocument.Run("random " + NASTY, summary(0.8001, 0.7956, 11), Map.of())));
    }

    private static String text(Element element) {
        return element.getTextContent().strip();
    }

    @Test
    void render_page_isWellFormed() {
        Document page = Xml.parsePage(HtmlReport.render(threeRuns()));

        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(Xml.named(page, "title")).isNotEmpty();
        assertThat(text(Xml.named(page, "h1").get(0))).isEqualTo("Routing metrics");
    }

    @Test
    void render_page_loadsNothingExternal() {
        String html = HtmlReport.render(threeRuns());

        Matcher uri = Pattern.compile("https?://[^\"'\\s)<]*").matcher(html);
        while (uri.find()) {
            assertThat(uri.group()).isEqualTo(SVG_NAMESPACE);
        }
        assertThat(html.toLowerCase(Locale.ROOT))
                .doesNotContain("<script", "<link", "@import", "url(", "<img", "<iframe", "<object", "src=");
    }

    @Test
    void render_page_onlyLocalLinks() {
        Document page = Xml.parsePage(HtmlReport.render(threeRuns()));

        for (Element link : Xml.named(page, "a")) {
            assertThat(link.getAttribute("href")).startsWith("#");
            String target = link.getAttribute("href").substring(1);
            assertThat(Xml.named(page, "section").stream().map(section -> section.getAttribute("id")))
                    .contains(target);
        }
    }

    @Test
    void render_summaryTable_carriesEveryRunsRates() {
        MetricsDocument document = threeRuns();
        Document page = Xml.parsePage(HtmlReport.render(document));

        Element table = Xml.withClass(page, "summary").get(0);
        List<Element> rows = new ArrayList<>();
        for (Element row : Xml.named(page, "tr")) {
            if (row.getParentNode().getParentNode() == table && row.getParentNode().getLocalName().equals("tbody")) {
                rows.add(row);
            }
        }
        assertThat(rows).hasSize(3);
        for (int i = 0; i < rows.size(); i++) {
            MetricsDocument.Run run = document.runs().get(i);
            String row = rows.get(i).getTextContent();
            assertThat(row).startsWith(run.name());
            assertThat(row).contains(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", run.routing().accuracy(),
                    run.routing().ci95().accuracy().low(), run.routing().ci95().accuracy().high()));
            assertThat(row).contains(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", run.routing().macroF1(),
                    run.routing().ci95().macroF1().low(), run.routing().ci95().macroF1().high()));
            assertThat(row).contains("3,080");
        }
    }

    @Test
    void render_summaryRow_formatsAsMarkdownReport() {
        String html = HtmlReport.render(threeRuns());

        assertThat(html).contains("<td class=\"num\">0.912 <span class=\"ci\">[0.902, 0.922]</span></td>");
        assertThat(html).contains("<td class=\"num\">0.903 <span class=\"ci\">[0.893, 0.913]</span></td>");
        assertThat(html).doesNotContainPattern("\\d,\\d{3}\\]").doesNotContain("0,9");
    }

    @Test
    void render_nastyLabel_escapedEverywhere() {
        String html = HtmlReport.render(threeRuns());
        Document page = Xml.parsePage(html);

        assertThat(html).doesNotContain(NASTY).contains("&lt;&amp;&quot;&#39;&gt;");
        assertThat(Xml.texts(Xml.withClass(page, "label"))).contains(NASTY);
        assertThat(Xml.texts(Xml.named(page, "h2"))).contains("Run: random " + NASTY);
    }

    @Test
    void render_charts_oneElementPerItem() {
        MetricsDocument document = threeRuns();
        Document page = Xml.parsePage(HtmlReport.render(document));

        int labels = document.runs().get(0).routing().perLabel().size();
        int confusions = document.runs().get(0).routing().topConfusions().size();
        assertThat(Xml.withClass(page, "bar")).hasSize(3 * labels);
        assertThat(Xml.withClass(page, "cell")).hasSize(3 * confusions);
        // One accuracy plot and one macro-F1 plot, each with a point per run.
        assertThat(Xml.withClass(page, "point")).hasSize(2 * 3);
    }

    @Test
    void render_charts_titledAndLabelled() {
        Document page = Xml.parsePage(HtmlReport.render(threeRuns()));

        List<Element> charts = Xml.named(page, "svg");
        assertThat(charts).hasSize(2 + 2 * 3);
        for (Element chart : charts) {
            assertThat(chart.getNamespaceURI()).isEqualTo(SVG_NAMESPACE);
            assertThat(chart.getAttribute("role")).isEqualTo("img");
            assertThat(chart.getAttribute("aria-label")).isNotBlank();
        }
        assertThat(Xml.withClass(page, "chart-title")).hasSize(charts.size());
        assertThat(Xml.withClass(page, "axis-label")).hasSize(2 * charts.size());
        assertThat(Xml.named(page, "figcaption")).hasSize(charts.size());
    }

    @Test
    void render_perLabelBars_worstFirst() {
        Document page = Xml.parsePage(HtmlReport.render(threeRuns()));

        Element firstChart = Xml.named(page, "svg").get(2);
        assertThat(firstChart.getAttribute("aria-label")).isEqualTo("Per-label F1: full-train");
        List<String> values = new ArrayList<>();
        for (Element value : Xml.withClass(page, "value")) {
            if (firstChart.isSameNode(value.getParentNode())) {
                values.add(value.getTextContent());
            }
        }
        assertThat(values).hasSize(12).isSorted();
    }

    @Test
    void render_scalarExtras_listedNestedLeftOut() {
        Document page = Xml.parsePage(HtmlReport.render(threeRuns()));

        List<String> extras = Xml.withClass(page, "extra").stream().map(Element::getTextContent).toList();
        assertThat(extras).hasSize(1);
        assertThat(extras.get(0)).contains("examples", "k", "5").doesNotContain("config");
    }

    @Test
    void render_extras_readableLabelsAndGroupedCounts() {
        Document page = Xml.parsePage(HtmlReport.render(threeRuns()));

        Element table = Xml.withClass(page, "extra").get(0);
        Map<String, String> valueByLabel = new TreeMap<>();
        NodeList rows = table.getElementsByTagNameNS("*", "tr");
        for (int i = 0; i < rows.getLength(); i++) {
            Element row = (Element) rows.item(i);
            NodeList values = row.getElementsByTagNameNS("*", "td");
            if (values.getLength() == 1) {
                Element header = (Element) row.getElementsByTagNameNS("*", "th").item(0);
                valueByLabel.put(text(header), text((Element) values.item(0)));
            }
        }
        assertThat(valueByLabel).containsEntry("examples in the index", "10,003");
        assertThat(valueByLabel).containsEntry("neighbours searched (k)", "5");
        assertThat(valueByLabel).containsEntry("index build time (ms)", "1,234");
        assertThat(valueByLabel).containsEntry("floor macro-F1", "0.812");
        assertThat(valueByLabel).as("keys without a label are shown as given").containsEntry("customKey", "as given");
        assertThat(valueByLabel).doesNotContainKeys("examples", "indexBuildMillis", "floorMacroF1");
    }

    @Test
    void render_noConfusions_saysSoInsteadOfChart() {
        TreeMap<String, LabelScores> perLabel = new TreeMap<>(Map.of("a", new LabelScores(1, 1, 1, 3)));
        RoutingSummary perfect = new RoutingSummary(3, 1, 1, 1, 1, 1, 1,
                new RoutingCi95(new ConfidenceInterval(1, 1), new ConfidenceInterval(1, 1)), perLabel, List.of());
        Document page = Xml.parsePage(HtmlReport.render(MetricsDocument.of(
                new MetricsDocument.Run("perfect", perfect, Map.of()))));

        assertThat(Xml.withClass(page, "cell")).isEmpty();
        assertThat(page.getDocumentElement().getTextContent()).contains("No row was routed to a wrong label");
        assertThat(Xml.withClass(page, "bar")).hasSize(1);
    }

    @Test
    void render_extraSections_followRoutingSectionsInOrder() {
        String forest = SvgCharts.forestPlot("Candidate minus baseline", "difference", "metric",
                List.of(new ForestRow("accuracy", 0.01, -0.002, 0.021)));
        List<ReportSection> extra = List.of(
                new ReportSection("Comparison " + NASTY, HtmlReport.figure(forest, "Left of zero is worse.")),
                new ReportSection("Notes", "<p>Plain paragraph.</p>"));
        Document page = Xml.parsePage(HtmlReport.render(threeRuns(), extra));

        List<String> headings = Xml.texts(Xml.named(page, "h2"));
        assertThat(headings).endsWith("Comparison " + NASTY, "Notes");
        assertThat(headings.get(0)).isEqualTo("Summary");
        assertThat(Xml.withClass(page, "reference")).hasSize(1);
        assertThat(Xml.texts(Xml.named(page, "figcaption"))).contains("How to read this: Left of zero is worse.");
    }

    @Test
    void page_ownSections_noRoutingContent() {
        String html = HtmlReport.page("Judge calibration", "",
                List.of(new ReportSection("Latency", HtmlReport.figure(SvgCharts.histogram("Latency", "ms",
                        "verdicts", 0, List.of(new HistogramBin(100, 3), new HistogramBin(200, 1))), ""))));
        Document page = Xml.parsePage(html);

        assertThat(Xml.texts(Xml.named(page, "h1"))).containsExactly("Judge calibration");
        assertThat(Xml.named(page, "nav")).isEmpty();
        assertThat(Xml.withClass(page, "bin")).hasSize(2);
        assertThat(Xml.named(page, "figcaption")).isEmpty();
    }

    @Test
    void render_sameDocument_sameBytes() {
        String first = HtmlReport.render(threeRuns());
        Locale.setDefault(Locale.GERMANY);
        String second = HtmlReport.render(threeRuns());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void render_afterJsonRoundTrip_sameBytes() {
        MetricsDocument document = threeRuns();
        MetricsDocument readBack = MetricsDocument.read(new StringReader(document.toJson()), "metrics.json");

        assertThat(HtmlReport.render(readBack)).isEqualTo(HtmlReport.render(document));
    }

    /**
     * One tool-call run: 10 rows, 7 exact matches, 2 CALL_COUNT and 1 WRONG_TYPE failures, tools a_tool (F1 1) and
     * {@code <&"'>} (F1 0), one hard fail, latencies 1 .. 100 ms and a cost.
     */
    private static MetricsDocument toolCallDocument() {
        TreeMap<String, Long> reasons = new TreeMap<>(Map.of("CALL_COUNT", 2L, "WRONG_TYPE", 1L,
                "VALUE_NOT_ACCEPTED", 0L));
        TreeMap<String, LabelScores> perTool = new TreeMap<>(Map.of("a_tool", new LabelScores(1, 1, 1, 9),
                NASTY, new LabelScores(0, 0, 0, 1)));
        ToolCallSummary toolCalls = new ToolCallSummary(10, 7, 0.7, new ConfidenceInterval(0.4, 0.9),
                new AveragedScores(0.9, 0.9, 0.9), new AveragedScores(0.5, 0.5, 0.5), reasons, perTool,
                List.of(new ToolCallSummary.HardFail(List.of("a_tool"), "send_crypto", 3, 2, List.of("r1", "r2"))),
                new ToolCallSummary.ArgumentSimilarity("test-model", 0.8, 10, 9, 0.875, 2, List.of("r4", "r5")));
        LatencyState latency = new LatencyState();
        for (long millis = 1; millis <= 100; millis++) {
            latency.addEndToEnd(millis);
        }
        UsageCostState usage = new UsageCostState();
        usage.add("m1", new TokenUsage(2_000_000, 0, 0, 0), true);
        UsageCost cost = usage.result(new PriceTable("USD", Map.of("m1", new ModelPrice(1.5, 0, 0, 0))));
        return MetricsDocument.of(new MetricsDocument.Run("planner", null, toolCalls, latency.result(),
                latency.histogram(LatencyState.END_TO_END), cost, Map.of()));
    }

    @Test
    void render_toolCallRun_selfContained() {
        Document page = PageChecks.parseSelfContained(HtmlReport.render(toolCallDocument()));

        assertThat(text(Xml.named(page, "h1").get(0))).isEqualTo("Tool-call metrics");
        assertThat(Xml.texts(Xml.named(page, "h2"))).containsExactly("Tool-call summary", "Tool calls: planner",
                "Latency and cost: planner");
    }

    @Test
    void render_toolCallRun_carriesMetricsNumbers() {
        MetricsDocument document = toolCallDocument();
        Document page = Xml.parsePage(HtmlReport.render(document));
        ToolCallSummary toolCalls = document.runs().get(0).toolCalls();

        assertThat(PageChecks.rowTexts(page, "toolcall-summary")).singleElement().asString()
                .startsWith("planner10")
                .contains(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", toolCalls.exactMatchRate(),
                        toolCalls.exactMatchRateCi95().low(), toolCalls.exactMatchRateCi95().high()))
                .contains("0.9000.500");
        assertThat(PageChecks.rowTexts(page, "failure-reasons")).containsExactly("CALL_COUNT20.667",
                "WRONG_TYPE10.333");
        assertThat(PageChecks.rowTexts(page, "hard-fails")).containsExactly("a_toolsend_crypto32r1, r2");
        assertThat(page.getDocumentElement().getTextContent()).contains("Mean row cosine 0.875 over 9 rows");
    }

    @Test
    void render_toolCallRun_barsPerToolAndReason() {
        Document page = Xml.parsePage(HtmlReport.render(toolCallDocument()));

        List<Element> charts = Xml.named(page, "svg");
        assertThat(charts).extracting(chart -> chart.getAttribute("aria-label")).containsExactly(
                "Per-tool F1: planner", "Failure reasons: planner", "End-to-end latency: planner");
        assertThat(barsIn(page, charts.get(0))).isEqualTo(2);
        assertThat(barsIn(page, charts.get(1))).isEqualTo(2);
    }

    @Test
    void render_latency_percentilesHistogramAndCost() {
        MetricsDocument document = toolCallDocument();
        Document page = Xml.parsePage(HtmlReport.render(document));
        MetricsDocument.Run run = document.runs().get(0);

        assertThat(PageChecks.rowTexts(page, "latency")).containsExactly("end-to-end10050909599100");
        assertThat(Xml.withClass(page, "bin")).hasSize(run.latencyHistogram().size());
        List<String> tooltips = Xml.withClass(page, "bin").stream().map(Element::getTextContent).toList();
        for (int i = 0; i < tooltips.size(); i++) {
            LatencyBin bin = run.latencyHistogram().get(i);
            assertThat(tooltips.get(i)).isEqualTo("(" + bin.aboveMillis() + ", " + bin.upToMillis() + "]: "
                    + bin.count());
        }
        assertThat(PageChecks.rowTexts(page, "cost")).containsExactly("112,000,0000003 USD3 USD");
    }

    @Test
    void render_routingAndToolCallRuns_bothTitled() {
        MetricsDocument mixed = new MetricsDocument(List.of(threeRuns().runs().get(0),
                toolCallDocument().runs().get(0)));

        Document page = PageChecks.parseSelfContained(HtmlReport.render(mixed));

        assertThat(text(Xml.named(page, "h1").get(0))).isEqualTo("Evaluation metrics");
        assertThat(Xml.texts(Xml.named(page, "h2"))).startsWith("Summary").contains("Tool-call summary");
        assertThat(PageChecks.rowTexts(page, "summary")).hasSize(1);
    }

    private static long barsIn(Document page, Element chart) {
        return Xml.withClass(page, "bar").stream().filter(bar -> isInside(bar, chart)).count();
    }

    private static boolean isInside(org.w3c.dom.Node node, Element ancestor) {
        for (org.w3c.dom.Node current = node; current != null; current = current.getParentNode()) {
            if (current.isSameNode(ancestor)) {
                return true;
            }
        }
        return false;
    }
}
