package dev.tuneladder.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SvgChartsTest {

    private static final String NASTY = "<&\"'>";

    private Locale defaultLocale;

    /** Turkish writes 0.5 as "0,5", so a number formatted with the default locale shows up in the output. */
    @BeforeEach
    void useTurkishLocale() {
        defaultLocale = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(defaultLocale);
    }

    private static List<String> labels(int count) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            labels.add(String.format(Locale.ROOT, "label_%02d", i));
        }
        return labels;
    }

    private static List<Double> ascending(int count) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(i / (double) (count - 1));
        }
        return values;
    }

    private static String bars77() {
        return SvgCharts.horizontalBars("Per-label F1", "F1", "label", labels(77),
                List.of(new BarSeries("run", ascending(77))), 1.0);
    }

    private static List<HeatmapCell> confusions() {
        return List.of(new HeatmapCell("card_arrival", "card_delivery_estimate", 12),
                new HeatmapCell("card_delivery_estimate", "card_arrival", 7),
                new HeatmapCell("top_up_failed", "top_up_reverted", 5),
                new HeatmapCell(NASTY, "card_arrival", 1));
    }

    private static List<ForestRow> differences() {
        return List.of(new ForestRow("accuracy", 0.012, -0.004, 0.027),
                new ForestRow("macro-F1", -0.031, -0.052, -0.011),
                new ForestRow(NASTY, 0.0, -0.01, 0.01));
    }

    private static List<HistogramBin> latencies() {
        return List.of(new HistogramBin(10, 4), new HistogramBin(20, 30), new HistogramBin(50, 61),
                new HistogramBin(100, 9), new HistogramBin(500, 0), new HistogramBin(2500, 1));
    }

    private static String allCharts() {
        return bars77()
                + SvgCharts.heatmap("t", "r", "c", confusions())
                + SvgCharts.forestPlot("t", "a", "r", differences())
                + SvgCharts.histogram("t", "v", "c", 0, latencies());
    }

    @Test
    void horizontalBars_77Labels_oneBarEach() {
        Document svg = Xml.parse(bars77());

        assertThat(Xml.withClass(svg, "bar")).hasSize(77);
        assertThat(Xml.texts(Xml.withClass(svg, "label"))).containsExactlyElementsOf(labels(77));
        assertThat(Xml.texts(Xml.withClass(svg, "value"))).contains("0.000", "0.500", "1.000");
    }

    @Test
    void horizontalBars_threeSeries_groupedWithLegend() {
        List<BarSeries> series = List.of(new BarSeries("baseline", List.of(0.1, 0.2, 0.3, 0.4, 0.5)),
                new BarSeries("candidate", List.of(0.5, 0.4, 0.3, 0.2, 0.1)),
                new BarSeries(NASTY, List.of(0.0, 0.0, 1.0, 0.0, 0.0)));
        Document svg = Xml.parse(SvgCharts.horizontalBars("F1 by run", "F1", "label", labels(5), series, 1.0));

        List<Element> bars = Xml.withClass(svg, "bar");
        assertThat(bars).hasSize(15);
        assertThat(bars.stream().map(bar -> bar.getAttribute("fill")).distinct()).hasSize(3);
        assertThat(Xml.texts(Xml.withClass(svg, "legend"))).containsExactly("baseline", "candidate", NASTY);
    }

    @Test
    void horizontalBars_barLength_proportionalToValue() {
        Document svg = Xml.parse(SvgCharts.horizontalBars("t", "v", "c", List.of("a", "b", "c"),
                List.of(new BarSeries("s", List.of(0.25, 0.5, 1.0))), 1.0));

        List<Double> widths = Xml.withClass(svg, "bar").stream()
                .map(bar -> Double.parseDouble(bar.getAttribute("width"))).toList();
        assertThat(widths.get(1)).isCloseTo(2 * widths.get(0), offset(0.3));
        assertThat(widths.get(2)).isCloseTo(4 * widths.get(0), offset(0.3));
    }

    @Test
    void horizontalBars_valueAboveAxis_rejected() {
        List<BarSeries> series = List.of(new BarSeries("s", List.of(0.5, 1.5)));

        assertThatThrownBy(() -> SvgCharts.horizontalBars("t", "v", "c", List.of("a", "b"), series, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5").hasMessageContaining("'b'");
    }

    @Test
    void horizontalBars_wrongValueCount_rejected() {
        List<BarSeries> series = List.of(new BarSeries("s", List.of(0.5)));

        assertThatThrownBy(() -> SvgCharts.horizontalBars("t", "v", "c", List.of("a", "b"), series, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 values for 2 categories");
    }

    @Test
    void horizontalBars_longLabel_cutWithFullTooltip() {
        String longLabel = "x".repeat(80);
        Document svg = Xml.parse(SvgCharts.horizontalBars("t", "v", "c", List.of(longLabel),
                List.of(new BarSeries("s", List.of(0.5))), 1.0));

        String shown = Xml.withClass(svg, "label").get(0).getTextContent();
        assertThat(shown).endsWith("\u2026").hasSizeLessThan(50);
        assertThat(Xml.texts(Xml.named(svg, "title"))).contains(longLabel);
    }

    @Test
    void heatmap_oneCellPerConfusion() {
        Document svg = Xml.parse(SvgCharts.heatmap("Top confusions", "gold label", "predicted label", confusions()));

        List<Element> cells = Xml.withClass(svg, "cell");
        assertThat(cells).hasSize(4);
        assertThat(Xml.texts(Xml.withClass(svg, "cell-value"))).containsExactlyInAnyOrder("12", "7", "5", "1");
        // 4 gold rows × 3 predicted columns, of which 4 are filled.
        assertThat(Xml.withClass(svg, "empty")).hasSize(4 * 3 - 4);
    }

    @Test
    void heatmap_largestCount_darkestWithLightText() {
        Document svg = Xml.parse(SvgCharts.heatmap("t", "gold", "predicted", confusions()));

        List<Element> values = Xml.withClass(svg, "cell-value");
        Element twelve = values.stream().filter(value -> value.getTextContent().equals("12")).findFirst()
                .orElseThrow();
        Element one = values.stream().filter(value -> value.getTextContent().equals("1")).findFirst()
                .orElseThrow();
        assertThat(twelve.getAttribute("fill")).isEqualTo("#ffffff");
        assertThat(one.getAttribute("fill")).isEqualTo(Svg.TEXT);
    }

    @Test
    void heatmap_rowsByTotal_largestFirst() {
        Document svg = Xml.parse(SvgCharts.heatmap("t", "gold", "predicted", confusions()));

        List<String> rowLabels = Xml.texts(Xml.withClass(svg, "label")).subList(0, 4);
        assertThat(rowLabels).containsExactly("card_arrival", "card_delivery_estimate", "top_up_failed", NASTY);
    }

    @Test
    void heatmap_legendAndAxisLabels_present() {
        Document svg = Xml.parse(SvgCharts.heatmap("Top confusions", "gold label", "predicted label", confusions()));

        assertThat(Xml.texts(Xml.withClass(svg, "axis-label"))).containsExactly("gold label", "predicted label");
        assertThat(Xml.withClass(svg, "legend-swatch")).hasSize(5);
        assertThat(Xml.texts(Xml.withClass(svg, "chart-title"))).containsExactly("Top confusions");
    }

    @Test
    void heatmap_duplicateCell_rejected() {
        List<HeatmapCell> cells = List.of(new HeatmapCell("a", "b", 1), new HeatmapCell("a", "b", 2));

        assertThatThrownBy(() -> SvgCharts.heatmap("t", "gold", "predicted", cells))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 'a' and column 'b'");
    }

    @Test
    void forestPlot_onePointAndIntervalPerRow() {
        Document svg = Xml.parse(SvgCharts.forestPlot("Differences", "candidate - baseline", "metric",
                differences()));

        assertThat(Xml.withClass(svg, "point")).hasSize(3);
        assertThat(Xml.withClass(svg, "interval")).hasSize(3);
        assertThat(Xml.texts(Xml.withClass(svg, "numbers")))
                .containsExactly("0.012 [-0.004, 0.027]", "-0.031 [-0.052, -0.011]", "0.000 [-0.010, 0.010]");
        assertThat(Xml.texts(Xml.withClass(svg, "label"))).containsExactly("accuracy", "macro-F1", NASTY);
    }

    @Test
    void forestPlot_zeroLine_atZeroTick() {
        Document svg = Xml.parse(SvgCharts.forestPlot("Differences", "difference", "metric", differences()));

        Element reference = Xml.withClass(svg, "reference").get(0);
        Element zeroTick = Xml.withClass(svg, "tick").stream()
                .filter(tick -> tick.getTextContent().equals("0.00")).findFirst().orElseThrow();
        assertThat(reference.getAttribute("x1")).isEqualTo(zeroTick.getAttribute("x"));
    }

    @Test
    void forestPlot_noReference_noLine() {
        Document svg = Xml.parse(SvgCharts.forestPlot("Accuracy", "accuracy", "run",
                List.of(new ForestRow("run", 0.9, 0.88, 0.92)), OptionalDouble.empty()));

        assertThat(Xml.withClass(svg, "reference")).isEmpty();
        List<String> ticks = Xml.texts(Xml.withClass(svg, "tick"));
        assertThat(ticks.get(0)).isEqualTo("0.88");
        assertThat(ticks.get(ticks.size() - 1)).isEqualTo("0.92");
    }

    @Test
    void forestPlot_pointInsideItsInterval() {
        Document svg = Xml.parse(SvgCharts.forestPlot("Differences", "difference", "metric", differences()));

        List<Element> points = Xml.withClass(svg, "point");
        List<Element> intervals = Xml.withClass(svg, "interval");
        for (int i = 0; i < points.size(); i++) {
            double x = Double.parseDouble(points.get(i).getAttribute("cx"));
            assertThat(x).isBetween(Double.parseDouble(intervals.get(i).getAttribute("x1")),
                    Double.parseDouble(intervals.get(i).getAttribute("x2")));
        }
    }

    @Test
    void histogram_oneColumnPerBin() {
        Document svg = Xml.parse(SvgCharts.histogram("Latency", "latency (ms)", "requests", 0, latencies()));

        assertThat(Xml.withClass(svg, "bin")).hasSize(6);
        assertThat(Xml.texts(Xml.withClass(svg, "axis-label"))).containsExactly("latency (ms)", "requests");
        assertThat(Xml.texts(Xml.named(svg, "title"))).contains("(50, 100]: 9", "(500, 2500]: 1");
    }

    @Test
    void histogram_tallestBin_reachesHighestCount() {
        Document svg = Xml.parse(SvgCharts.histogram("Latency", "ms", "requests", 0, latencies()));

        List<Double> heights = Xml.withClass(svg, "bin").stream()
                .map(bin -> Double.parseDouble(bin.getAttribute("height"))).toList();
        assertThat(heights.get(4)).isZero();
        assertThat(heights.get(2)).isEqualTo(heights.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        assertThat(heights.get(1) / heights.get(2)).isCloseTo(30.0 / 61, offset(0.01));
    }

    @Test
    void histogram_boundsNotIncreasing_rejected() {
        List<HistogramBin> bins = List.of(new HistogramBin(10, 1), new HistogramBin(10, 2));

        assertThatThrownBy(() -> SvgCharts.histogram("t", "ms", "requests", 0, bins))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bin 1");
    }

    @Test
    void charts_emptyInput_sayNoData() {
        List<String> charts = List.of(
                SvgCharts.horizontalBars("t", "v", "c", List.of(), List.of(), 1.0),
                SvgCharts.heatmap("t", "r", "c", List.of()),
                SvgCharts.forestPlot("t", "a", "r", List.of()),
                SvgCharts.histogram("t", "v", "c", 0, List.of()));

        for (String chart : charts) {
            assertThat(Xml.texts(Xml.withClass(Xml.parse(chart), "no-data"))).containsExactly("No data to show.");
        }
    }

    @Test
    void charts_nastyLabel_escapedAndParsedBack() {
        List<String> charts = List.of(
                SvgCharts.horizontalBars(NASTY, NASTY, NASTY, List.of(NASTY),
                        List.of(new BarSeries(NASTY, List.of(0.5))), 1.0),
                SvgCharts.heatmap(NASTY, NASTY, NASTY, confusions()),
                SvgCharts.forestPlot(NASTY, NASTY, NASTY, differences()),
                SvgCharts.histogram(NASTY, NASTY, NASTY, 0, latencies()));

        for (String chart : charts) {
            assertThat(chart).contains("&lt;&amp;&quot;&#39;&gt;").doesNotContain(NASTY);
            Document svg = Xml.parse(chart);
            assertThat(Xml.texts(Xml.withClass(svg, "chart-title"))).containsExactly(NASTY);
            assertThat(svg.getDocumentElement().getAttribute("aria-label")).isEqualTo(NASTY);
        }
    }

    @Test
    void charts_sameInput_sameBytesUnderAnyLocale() {
        String turkish = allCharts();
        Locale.setDefault(Locale.GERMANY);
        String german = allCharts();

        assertThat(german).isEqualTo(turkish);
        // No count here reaches 1,000, so a comma between digits can only be a decimal comma.
        assertThat(turkish).doesNotContainPattern("\\d,\\d");
    }

    @Test
    void charts_selfContained_noExternalReferences() {
        String all = allCharts();

        assertThat(all.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                .doesNotContain("http:", "https:", "url(", "href", "<script", "<image", "@import");
    }
}
