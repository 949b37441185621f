package dev.tuneladder.core.report;

import java.util.List;

/**
 * Lays out a histogram with one equal-width column per bin, so that narrow bins near the median and wide bins in
 * the tail (as in latency histograms) are equally readable. The bin edges are written under the columns.
 */
final class HistogramSvg {

    private static final double PLOT_HEIGHT = 220;
    private static final double RIGHT = 20;
    private static final double BOTTOM = 50;

    private HistogramSvg() {
    }

    static String render(String title, String valueAxisLabel, String countAxisLabel, double lowerBound,
            List<HistogramBin> bins) {
        if (bins.isEmpty()) {
            return Svg.empty(title, "No data to show.");
        }
        long maxCount = 0;
        int edgeDecimals = edgeDecimals(lowerBound, bins);
        double edgeLabelWidth = Svg.textWidth(Svg.format(lowerBound, edgeDecimals), Svg.SMALL_SIZE);
        for (HistogramBin bin : bins) {
            maxCount = Math.max(maxCount, bin.count());
            edgeLabelWidth = Math.max(edgeLabelWidth,
                    Svg.textWidth(Svg.format(bin.upperBound(), edgeDecimals), Svg.SMALL_SIZE));
        }
        Svg.Ticks ticks = Svg.Ticks.covering(0, Math.max(1, maxCount), 5);
        if (ticks.step() < 1) {
            // Counts are whole numbers, so an axis up to a count of 1 to 4 gets a tick at every count.
            ticks = new Svg.Ticks(0, Math.max(1, maxCount), 1, 0);
        }
        double left = 30 + Svg.textWidth(Svg.count((long) ticks.max()), Svg.SMALL_SIZE) + 8;
        double plotWidth = Svg.WIDTH - left - RIGHT;
        double binWidth = plotWidth / bins.size();
        double top = Svg.TITLE_BOTTOM + 16;
        double bottom = top + PLOT_HEIGHT;
        double scale = PLOT_HEIGHT / ticks.max();
        // Label every n-th edge so neighbouring labels keep at least 8 px apart.
        int edgeEvery = (int) Math.ceil((edgeLabelWidth + 8) / binWidth);
        boolean countsFit = binWidth >= Svg.textWidth(Svg.count(maxCount), Svg.SMALL_SIZE) + 2;

        StringBuilder out = Svg.open(Svg.WIDTH, bottom + BOTTOM, title);
        for (double tick : ticks.values()) {
            double y = bottom - tick * scale;
            Svg.line(out, "grid", left, y, left + plotWidth, y, Svg.GRID, 1);
            Svg.text(out, "tick", left - 6, y + 3.5, "end", Svg.SMALL_SIZE, Svg.MUTED, Svg.count((long) tick));
        }
        double previous = lowerBound;
        for (int i = 0; i < bins.size(); i++) {
            HistogramBin bin = bins.get(i);
            double x = left + i * binWidth;
            double barHeight = bin.count() * scale;
            Svg.rect(out, "bin", x + 1, bottom - barHeight, binWidth - 2, barHeight, Svg.SERIES_COLOURS.get(0),
                    "(" + Svg.format(previous, edgeDecimals) + ", " + Svg.format(bin.upperBound(), edgeDecimals)
                            + "]: " + Svg.count(bin.count()));
            if (countsFit && bin.count() > 0) {
                Svg.valueText(out, x + binWidth / 2, bottom - barHeight - 4, "middle", Svg.count(bin.count()));
            }
            previous = bin.upperBound();
        }
        for (int edge = 0; edge <= bins.size(); edge += edgeEvery) {
            double value = edge == 0 ? lowerBound : bins.get(edge - 1).upperBound();
            Svg.text(out, "tick", left + edge * binWidth, bottom + 15, "middle", Svg.SMALL_SIZE, Svg.MUTED,
                    Svg.format(value, edgeDecimals));
        }
        Svg.line(out, "axis", left, bottom, left + plotWidth, bottom, Svg.AXIS, 1);
        Svg.line(out, "axis", left, top, left, bottom, Svg.AXIS, 1);
        Svg.text(out, "axis-label", left + plotWidth / 2, bottom + 34, "middle", Svg.LABEL_SIZE, Svg.MUTED,
                valueAxisLabel);
        Svg.rotatedText(out, "axis-label", 14, top + PLOT_HEIGHT / 2, -90, "middle", Svg.LABEL_SIZE, Svg.MUTED,
                countAxisLabel);
        return Svg.close(out);
    }

    /** Returns the fewest decimals (at most 3) that write every bin edge exactly. */
    private static int edgeDecimals(double lowerBound, List<HistogramBin> bins) {
        int decimals = decimalsOf(lowerBound);
        for (HistogramBin bin : bins) {
            decimals = Math.max(decimals, decimalsOf(bin.upperBound()));
        }
        return decimals;
    }

    private static int decimalsOf(double value) {
        for (int decimals = 0; decimals < 3; decimals++) {
            double scaled = value * Math.pow(10, decimals);
            if (Math.abs(scaled - Math.rint(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) {
                return decimals;
            }
        }
        return 3;
    }
}
