package dev.tuneladder.core.report;

import java.util.List;

/** Lays out a horizontal bar chart: categories top to bottom, one bar per series in each category's band. */
final class BarChartSvg {

    private static final int MAX_LABEL_CHARS = 48;
    private static final double BAR_HEIGHT = 10;
    private static final double BAND_GAP = 4;
    private static final double RIGHT = 50;
    private static final double LEGEND_HEIGHT = 20;
    private static final int MAX_LEGEND_CHARS = 40;
    private static final double BOTTOM = 50;

    private BarChartSvg() {
    }

    static String render(String title, String valueAxisLabel, String categoryAxisLabel, List<String> categories,
            List<BarSeries> series, double valueMax) {
        if (categories.isEmpty() || series.isEmpty()) {
            return Svg.empty(title, "No data to show.");
        }
        double left = 30 + Svg.maxTextWidth(categories, MAX_LABEL_CHARS, Svg.LABEL_SIZE) + 8;
        double plotWidth = Svg.WIDTH - left - RIGHT;
        double top = Svg.TITLE_BOTTOM + (series.size() > 1 ? legendRows(series) * LEGEND_HEIGHT : 0) + 8;
        double bandHeight = series.size() * BAR_HEIGHT + BAND_GAP;
        double plotHeight = categories.size() * bandHeight;
        double height = top + plotHeight + BOTTOM;
        Svg.Ticks ticks = Svg.Ticks.covering(0, valueMax, 5);
        double scale = plotWidth / ticks.max();

        StringBuilder out = Svg.open(Svg.WIDTH, height, title);
        if (series.size() > 1) {
            appendLegend(out, series, Svg.TITLE_BOTTOM + 12);
        }
        appendValueAxis(out, ticks, left, top, plotHeight, scale, valueAxisLabel);
        Svg.rotatedText(out, "axis-label", 14, top + plotHeight / 2, -90, "middle", Svg.LABEL_SIZE, Svg.MUTED,
                categoryAxisLabel);

        for (int c = 0; c < categories.size(); c++) {
            double bandTop = top + c * bandHeight + BAND_GAP / 2;
            Svg.label(out, left - 6, bandTop + series.size() * BAR_HEIGHT / 2 + 3.5, "end", 0, MAX_LABEL_CHARS,
                    categories.get(c));
            for (int s = 0; s < series.size(); s++) {
                BarSeries one = series.get(s);
                double value = one.values().get(c);
                double barTop = bandTop + s * BAR_HEIGHT;
                String tooltip = categories.get(c) + (series.size() > 1 ? " (" + one.name() + ")" : "") + ": "
                        + Svg.format(value, 3);
                Svg.rect(out, "bar", left, barTop + 0.5, value * scale, BAR_HEIGHT - 1,
                        Svg.SERIES_COLOURS.get(s % Svg.SERIES_COLOURS.size()), tooltip);
                Svg.valueText(out, left + value * scale + 4, barTop + BAR_HEIGHT - 1.5, "start",
                        Svg.format(value, 3));
            }
        }
        return Svg.close(out);
    }

    private static void appendValueAxis(StringBuilder out, Svg.Ticks ticks, double left, double top,
            double plotHeight, double scale, String axisLabel) {
        double bottom = top + plotHeight;
        for (double tick : ticks.values()) {
            double x = left + tick * scale;
            Svg.line(out, "grid", x, top, x, bottom, Svg.GRID, 1);
            Svg.text(out, "tick", x, bottom + 15, "middle", Svg.SMALL_SIZE, Svg.MUTED, ticks.label(tick));
        }
        Svg.line(out, "axis", left, bottom, left + ticks.max() * scale, bottom, Svg.AXIS, 1);
        Svg.line(out, "axis", left, top, left, bottom, Svg.AXIS, 1);
        Svg.text(out, "axis-label", left + ticks.max() * scale / 2, bottom + 34, "middle", Svg.LABEL_SIZE,
                Svg.MUTED, axisLabel);
    }

    /** Draws a swatch and name per series, left to right, starting a new row where the next would not fit. */
    private static void appendLegend(StringBuilder out, List<BarSeries> series, double y) {
        double x = 12;
        for (int s = 0; s < series.size(); s++) {
            String name = Svg.truncate(series.get(s).name(), MAX_LEGEND_CHARS);
            double entryWidth = legendEntryWidth(name);
            if (x > 12 && x + entryWidth > Svg.WIDTH) {
                x = 12;
                y += LEGEND_HEIGHT;
            }
            Svg.rect(out, "legend-swatch", x, y - 9, 12, 12, Svg.SERIES_COLOURS.get(s % Svg.SERIES_COLOURS.size()),
                    null);
            Svg.text(out, "legend", x + 17, y + 1, "start", Svg.LABEL_SIZE, Svg.TEXT, name);
            x += entryWidth;
        }
    }

    /** Returns how many rows {@link #appendLegend} uses. */
    private static int legendRows(List<BarSeries> series) {
        int rows = 1;
        double x = 12;
        for (BarSeries one : series) {
            double entryWidth = legendEntryWidth(Svg.truncate(one.name(), MAX_LEGEND_CHARS));
            if (x > 12 && x + entryWidth > Svg.WIDTH) {
                x = 12;
                rows++;
            }
            x += entryWidth;
        }
        return rows;
    }

    private static double legendEntryWidth(String shownName) {
        return 17 + Svg.textWidth(shownName, Svg.LABEL_SIZE) + 18;
    }
}
